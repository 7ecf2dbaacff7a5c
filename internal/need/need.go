// Package need is how a test says what it needs from outside Go: a program
// such as pdfsig or tiffcp. Run by hand, a test whose program is missing is
// skipped; under SOHOA_REQUIRE_TOOLS=1 (as `make test` sets, after
// deploy/install-deps.sh test installed every program the tests use) it
// fails, so that a test CI promises cannot quietly stop running.
package need

import (
	"os"
	"os/exec"
	"testing"
)

// Tool returns the path of the program name, or skips the test (fails it
// under SOHOA_REQUIRE_TOOLS=1) when it is not installed. pkg, if given,
// names the Debian package that has it, for the message.
func Tool(t testing.TB, name string, pkg ...string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	Missing(t, name, pkg...)
	return ""
}

// Missing skips the test, or fails it under SOHOA_REQUIRE_TOOLS=1, because
// what (a program, a library a program needs) is not installed.
func Missing(t testing.TB, what string, pkg ...string) {
	t.Helper()
	msg := what + " is not installed"
	if len(pkg) > 0 {
		msg += " (apt-get install " + pkg[0] + ")"
	}
	if os.Getenv("SOHOA_REQUIRE_TOOLS") != "" {
		t.Fatal(msg + "; make test installs it with deploy/install-deps.sh test")
	}
	t.Skip(msg)
}
