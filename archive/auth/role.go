package auth

import "fmt"

// Role is what an account may do. Each role may do all that the roles
// below it may.
type Role int

const (
	// None is no account: only /healthz and the login page.
	None Role = iota
	// Viewer searches, reads and downloads.
	Viewer
	// Archivist also corrects, merges, splits and reviews.
	Archivist
	// Admin also manages accounts and tokens and reads the audit.
	Admin
)

var roleNames = map[Role]string{None: "none", Viewer: "viewer", Archivist: "archivist", Admin: "admin"}

func (r Role) String() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// Vietnamese is the role's name as the pages show it.
func (r Role) Vietnamese() string {
	switch r {
	case Viewer:
		return "xem"
	case Archivist:
		return "lưu trữ viên"
	case Admin:
		return "quản trị"
	}
	return "không có quyền"
}

// ParseRole reads a role's name (viewer, archivist, admin).
func ParseRole(s string) (Role, error) {
	for r, n := range roleNames {
		if n == s && r != None {
			return r, nil
		}
	}
	return None, fmt.Errorf("%w: %q (viewer, archivist or admin)", ErrBadRole, s)
}

func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	*r = v
	return err
}
