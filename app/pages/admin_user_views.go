package pages

import (
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// roleOptions are the roles for the user forms, lowest first, each saying
// what it may do.
func roleOptions() []views.Option {
	return []views.Option{
		{Value: string(models.RoleViewer), Label: "Viewer — reads everything"},
		{Value: string(models.RoleMember), Label: "Member — writes content, answers reviews, owns action items"},
		{Value: string(models.RoleFacilitator), Label: "Facilitator — also runs reviews and retros"},
		{Value: string(models.RoleAdmin), Label: "Admin — also manages users, teams and settings"},
	}
}
