package models

// Role is what a user may do. Each role includes the ones before it:
// viewer reads; member creates and edits content, answers reviews and owns
// action items; facilitator also runs reviews and retros; admin also manages
// users, teams, templates, severities and settings.
type Role string

// The roles, weakest first.
const (
	RoleViewer      Role = "viewer"
	RoleMember      Role = "member"
	RoleFacilitator Role = "facilitator"
	RoleAdmin       Role = "admin"
)

// allRoles lists every role, weakest first.
var allRoles = []Role{RoleViewer, RoleMember, RoleFacilitator, RoleAdmin}

func (r Role) rank() int {
	for i, x := range allRoles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// Allows reports whether r includes the rights of min.
func (r Role) Allows(min Role) bool { return r.Valid() && r.rank() >= min.rank() }
