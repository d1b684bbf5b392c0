package pages

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// defaultPeriodDays is the dashboard's period when none is chosen.
const defaultPeriodDays = models.DefaultFollowThroughDays

// ftScope is a parsed dashboard scope with the form and title the
// dashboard shows for it.
type ftScope struct {
	web.FollowThroughScope
	Form  views.Form
	Label string
}

// parseFollowThroughScope reads a scope from v; the error is a database
// error only.
func (b base) parseFollowThroughScope(c echo.Context, v url.Values) (ftScope, error) {
	sc, err := b.FollowThroughScope(c, v)
	if err != nil {
		return ftScope{}, err
	}
	out := ftScope{FollowThroughScope: sc, Label: ftLabel(sc.Res)}
	out.Form = views.FormFrom(sc.Base).Set("from", sc.Scope.From.String()).Set("to", sc.Scope.To.String())
	return out, nil
}

// ftLabel names a scope: "All teams", a team, an owner (in a team), then
// the narrower selections.
func ftLabel(res *models.ResolvedFilter) string {
	label := "All teams"
	team, hasTeam := res.Item("team")
	if hasTeam {
		label = team.Name
	}
	if owner, ok := res.Item("owner"); ok {
		label = owner.Name
		if hasTeam {
			label += " in " + team.Name
		}
	}
	if comp, ok := res.Item("component"); ok {
		label += " · " + comp.Name
	}
	if sev, ok := res.Item("severity"); ok {
		label += " · " + sev.Name + " incidents"
	}
	if tag, ok := res.Item("tag"); ok {
		label += " · incidents tagged " + tag.Value
	}
	return label
}

// link is the list URL of the scope plus extra parameters.
func (b base) ftLink(base url.Values, kv ...string) string {
	w := web.CloneValues(base)
	for i := 0; i+1 < len(kv); i += 2 {
		w.Set(kv[i], kv[i+1])
	}
	return b.ActionsURL(w)
}

// periodPresets are quick periods ending today, keeping team and owner.
func (b base) periodPresets(sc ftScope) []views.Preset {
	var out []views.Preset
	today := b.Today()
	for _, n := range []int{30, 90, 180, 365} {
		w := web.CloneValues(sc.Base)
		w.Set("days", strconv.Itoa(n))
		out = append(out, views.Preset{
			Label:   "Last " + views.Plural(n, "day", "days"),
			URL:     b.Path("actions.dashboard") + web.EncodeQuery(w),
			Current: sc.Scope.To == today && sc.Scope.From == today.AddDays(-(n-1)),
		})
	}
	return out
}
