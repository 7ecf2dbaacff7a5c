package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sohoa/sohoa/archive/auth"
)

// The accounts: `sohoa user` for people, `sohoa token` for systems. Both
// work on DATA/accounts.json whether serve runs or not (a running server
// sees the change at its next request).

const userUsage = `usage:
  sohoa user add --data DIR --role viewer|archivist|admin NAME
  sohoa user passwd --data DIR NAME
  sohoa user disable --data DIR NAME
  sohoa user list --data DIR

add and passwd print a one-time password as the last line, to be changed at
the first sign-in; with --password-stdin they read the password from the
first line of standard input instead (never from a flag).`

const tokenUsage = `usage:
  sohoa token create --data DIR --role viewer|archivist|admin --name NAME
  sohoa token list --data DIR
  sohoa token revoke --data DIR --name NAME

create prints the new token as the last line; send it as
"Authorization: Bearer TOKEN". Only its hash is kept: it cannot be shown again.`

// openAccounts opens DATA/accounts.json for a command; its changes are
// journalled for the audit as made by the operating-system user who ran it
// (the one behind sudo too).
func openAccounts(data, command string) (*auth.Store, error) {
	dirs, err := newDataDirs(data)
	if err != nil {
		return nil, err
	}
	st, err := auth.Open(dirs.accounts)
	if err != nil {
		return nil, err
	}
	who := "?"
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	if sudo := os.Getenv("SUDO_USER"); sudo != "" {
		who = sudo + " (sudo " + who + ")"
	}
	st.Actor = who + ", sohoa " + command
	return st, nil
}

func runUser(_ context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{userUsage}
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	data := fs.String("data", "./data", "data folder (its accounts.json)")
	roleName := fs.String("role", "viewer", "viewer, archivist or admin")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of making one")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openAccounts(*data, "user "+args[0])
	if err != nil {
		return err
	}
	name := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if args[0] != "list" && name == "" {
		return usageError{"a user name is needed\n\n" + userUsage}
	}
	password := func() (string, bool, error) {
		if !*fromStdin {
			return auth.NewPassword(), true, nil
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, err
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	}
	switch args[0] {
	case "add":
		role, err := auth.ParseRole(*roleName)
		if err != nil {
			return usageError{err.Error()}
		}
		pw, made, err := password()
		if err != nil {
			return err
		}
		if err := st.AddUser(name, role, pw, made); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã tạo tài khoản %q (%s) (user added).\n", name, role)
		if made {
			fmt.Fprintf(stdout, "Mật khẩu dùng một lần, phải đổi khi đăng nhập lần đầu (one-time password, to be changed at the first sign-in):\n%s\n", pw)
		}
		return nil
	case "passwd":
		pw, made, err := password()
		if err != nil {
			return err
		}
		if err := st.SetPassword(name, pw, made); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã đặt lại mật khẩu của %q; các phiên đăng nhập cũ đã kết thúc (password set; old sessions ended).\n", name)
		if made {
			fmt.Fprintf(stdout, "Mật khẩu dùng một lần (one-time password):\n%s\n", pw)
		}
		return nil
	case "disable":
		if err := st.Disable(name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã khóa tài khoản %q; các phiên đăng nhập đã kết thúc (disabled; sessions ended). Mở lại bằng sohoa user passwd.\n", name)
		return nil
	case "list":
		us, err := st.Users()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tSTATE\tCREATED")
		for _, u := range us {
			state := "active"
			switch {
			case u.Disabled:
				state = "disabled"
			case u.MustChange:
				state = "must change password"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, state, u.Created.Local().Format(time.DateTime))
		}
		return tw.Flush()
	}
	return usageError{fmt.Sprintf("unknown user command %q\n\n%s", args[0], userUsage)}
}

func runToken(_ context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{tokenUsage}
	}
	fs := flag.NewFlagSet("token "+args[0], flag.ContinueOnError)
	data := fs.String("data", "./data", "data folder (its accounts.json)")
	roleName := fs.String("role", "viewer", "viewer, archivist or admin")
	name := fs.String("name", "", "the token's name: the system that uses it, the \"who\" of what it does")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openAccounts(*data, "token "+args[0])
	if err != nil {
		return err
	}
	if *name == "" && fs.NArg() > 0 {
		*name = strings.Join(fs.Args(), " ")
	}
	switch args[0] {
	case "create":
		role, err := auth.ParseRole(*roleName)
		if err != nil {
			return usageError{err.Error()}
		}
		if *name == "" {
			return usageError{"--name is required\n\n" + tokenUsage}
		}
		secret, err := st.CreateToken(*name, role)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Mã truy cập %q (%s), chỉ hiện một lần; gửi kèm yêu cầu: Authorization: Bearer <mã> (token, shown once):\n%s\n", *name, role, secret)
		return nil
	case "list":
		ts, err := st.Tokens()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tREVOKED")
		for _, t := range ts {
			revoked := "-"
			if !t.Revoked.IsZero() {
				revoked = t.Revoked.Local().Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, t.Role, t.Created.Local().Format(time.DateTime), revoked)
		}
		return tw.Flush()
	case "revoke":
		if *name == "" {
			return usageError{"--name is required\n\n" + tokenUsage}
		}
		if err := st.RevokeToken(*name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã thu hồi mã truy cập %q (token revoked).\n", *name)
		return nil
	}
	return usageError{fmt.Sprintf("unknown token command %q\n\n%s", args[0], tokenUsage)}
}

// webFlags are the flags of the roles that serve the web (serve, archive).
type webFlags struct {
	trusted string
	hosts   string
}

func (w *webFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&w.trusted, "trusted-proxy", "", "addresses (CIDR, comma-separated) of reverse proxies whose X-Remote-User header names the signed-in user; from anywhere else the header is ignored")
	fs.StringVar(&w.hosts, "allow-host", "", "more host names the web answers as (comma-separated; * for any), besides those of --http")
}

func (w *webFlags) trustedProxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(w.trusted, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, usageError{fmt.Sprintf("--trusted-proxy %q: not an address or CIDR", s)}
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// allowedHosts are the Host names the web answers as: those of the address
// it listens on (every name and address of the machine when that is all
// of them; localhost too on loopback), and --allow-host. nil: any.
func (w *webFlags) allowedHosts(listen net.Addr) []string {
	extra := strings.Split(w.hosts, ",")
	for _, h := range extra {
		if strings.TrimSpace(h) == "*" {
			return nil
		}
	}
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if ta, ok := listen.(*net.TCPAddr); ok && !ta.IP.IsUnspecified() {
		hosts = append(hosts, ta.IP.String())
	} else {
		if h, err := os.Hostname(); err == nil {
			hosts = append(hosts, h)
		}
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if ipn, ok := a.(*net.IPNet); ok {
					hosts = append(hosts, ipn.IP.String())
				}
			}
		}
	}
	return append(hosts, extra...)
}

// firstAdmin makes the first admin on the first start of a server that
// has none: named admin, with SOHOA_ADMIN_PASSWORD's password when it is
// set, else a one-time password printed on standard output (never in the
// log), to be changed at the first sign-in.
func firstAdmin(st *auth.Store, stdout io.Writer) error {
	pw, given := os.LookupEnv("SOHOA_ADMIN_PASSWORD")
	if !given {
		pw = auth.NewPassword()
	}
	added, err := st.EnsureAdmin("admin", pw, !given)
	if err != nil {
		return fmt.Errorf("first admin: %w", err)
	}
	switch {
	case added && given:
		fmt.Fprintf(stdout, "Đã tạo tài khoản quản trị \"admin\" với mật khẩu SOHOA_ADMIN_PASSWORD (first admin created).\n")
	case added:
		fmt.Fprintf(stdout, "Đã tạo tài khoản quản trị đầu tiên (first admin created). Đăng nhập bằng:\n"+
			"  Tên (name):         admin\n"+
			"  Mật khẩu một lần (one-time password, change it at the first sign-in): %s\n", pw)
	}
	return nil
}
