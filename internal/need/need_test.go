package need

import (
	"os/exec"
	"runtime"
	"testing"
)

func TestToolFindsInstalled(t *testing.T) {
	want, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	if got := Tool(t, "sh"); got != want {
		t.Errorf("Tool(sh) = %q, want %q", got, want)
	}
}

// A missing program fails the test under SOHOA_REQUIRE_TOOLS=1 and skips
// it otherwise.
func TestToolMissing(t *testing.T) {
	const absent = "sohoa-no-such-program"
	for _, tt := range []struct {
		require    string
		fail, skip bool
	}{{"1", true, false}, {"", false, true}} {
		t.Setenv("SOHOA_REQUIRE_TOOLS", tt.require)
		var r recorder
		done := make(chan struct{})
		go func() { defer close(done); Tool(&r, absent, "nothing") }()
		<-done
		if r.failed != tt.fail || r.skipped != tt.skip {
			t.Errorf("SOHOA_REQUIRE_TOOLS=%q: failed %v skipped %v", tt.require, r.failed, r.skipped)
		}
	}
}

// recorder is a testing.TB that records how the test ended.
type recorder struct {
	testing.TB
	failed, skipped bool
}

func (r *recorder) Helper()      {}
func (r *recorder) Fatal(...any) { r.failed = true; runtimeGoexit() }
func (r *recorder) Skip(...any)  { r.skipped = true; runtimeGoexit() }

var runtimeGoexit = runtime.Goexit
