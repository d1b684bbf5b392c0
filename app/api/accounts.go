package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Accounts serves the signed-in user, users and teams.
type Accounts struct{ *web.Kit }

type userJSON struct {
	ID           int64      `json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	Role         string     `json:"role"`
	TimeZone     string     `json:"time_zone"`
	Disabled     bool       `json:"disabled"`
	SSO          bool       `json:"sso"`
	CreatedAt    time.Time  `json:"created_at"`
	LastSignInAt *time.Time `json:"last_sign_in_at"`
	// InitialPassword is returned once when the API generated it.
	InitialPassword string `json:"initial_password,omitempty"`
}

func toUserJSON(u *models.User) userJSON {
	return userJSON{
		ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), TimeZone: u.TimeZone,
		Disabled: u.Disabled, SSO: u.OIDCSubject != nil, CreatedAt: u.CreatedAt.UTC(), LastSignInAt: utcPtr(u.LastSignInAt),
	}
}

func (h Accounts) Me(c echo.Context) error {
	return web.WriteJSON(c, http.StatusOK, toUserJSON(web.CurrentUser(c)))
}

func (h Accounts) Users(c echo.Context) error {
	lp, err := parseList(c)
	if err != nil {
		return err
	}
	var after int64
	if err := decodeCursor(lp.Cursor, &after); err != nil {
		return err
	}
	users, err := models.ListUsers(c.Request().Context(), h.DB, models.UserFilter{AfterID: after, Limit: lp.Limit + 1})
	if err != nil {
		return err
	}
	items := make([]userJSON, 0, len(users))
	for i := range users {
		items = append(items, toUserJSON(&users[i]))
	}
	return web.WriteJSON(c, http.StatusOK, newListPage(items, lp.Limit, func(u userJSON) any { return u.ID }))
}

func (h Accounts) UserCreate(c echo.Context) error {
	var in struct {
		Email    string `json:"email"`
		Name     string `json:"name"`
		Role     string `json:"role"`
		TimeZone string `json:"time_zone"`
		Password string `json:"password"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	generated := ""
	if in.Password == "" {
		generated = models.RandomPassword()
		in.Password = generated
	}
	u, err := models.CreateUser(c.Request().Context(), h.DB, web.Actor(c), models.NewUser{
		Email: in.Email, Name: in.Name, Role: models.Role(in.Role), TimeZone: in.TimeZone, Password: in.Password,
	}, true)
	if err != nil {
		return err
	}
	out := toUserJSON(u)
	out.InitialPassword = generated
	return web.WriteJSON(c, http.StatusCreated, out)
}

type teamMemberJSON struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

type teamJSON struct {
	ID      int64            `json:"id"`
	Name    string           `json:"name"`
	Slug    string           `json:"slug"`
	Members []teamMemberJSON `json:"members"`
}

func (h Accounts) Teams(c echo.Context) error {
	ctx := c.Request().Context()
	lp, err := parseList(c)
	if err != nil {
		return err
	}
	var after string
	if err := decodeCursor(lp.Cursor, &after); err != nil {
		return err
	}
	teams, err := models.ListTeams(ctx, h.DB)
	if err != nil {
		return err
	}
	members, err := models.MembersByTeam(ctx, h.DB)
	if err != nil {
		return err
	}
	items := []teamJSON{}
	for _, t := range teams {
		if after != "" && t.Slug <= after {
			continue
		}
		items = append(items, toTeamJSON(t, members[t.ID]))
	}
	sortBySlug(items)
	if len(items) > lp.Limit+1 {
		items = items[:lp.Limit+1]
	}
	return web.WriteJSON(c, http.StatusOK, newListPage(items, lp.Limit, func(t teamJSON) any { return t.Slug }))
}

func sortBySlug(ts []teamJSON) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Slug < ts[j-1].Slug; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func toTeamJSON(t models.Team, ms []models.TeamMember) teamJSON {
	out := teamJSON{ID: t.ID, Name: t.Name, Slug: t.Slug, Members: []teamMemberJSON{}}
	for _, m := range ms {
		out.Members = append(out.Members, teamMemberJSON{Email: m.User.Email, Name: m.User.Name, Role: m.Role})
	}
	return out
}

func (h Accounts) TeamCreate(c echo.Context) error {
	ctx := c.Request().Context()
	var in struct {
		Name     string   `json:"name"`
		Slug     string   `json:"slug"`
		Members  []string `json:"members"`
		Managers []string `json:"managers"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	t, err := models.CreateTeam(ctx, h.DB, web.Actor(c), models.NewTeam{Name: in.Name, Slug: in.Slug, Members: in.Members, Managers: in.Managers})
	if err != nil {
		return err
	}
	ms, err := models.TeamMembers(ctx, h.DB, t.ID)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusCreated, toTeamJSON(*t, ms))
}
