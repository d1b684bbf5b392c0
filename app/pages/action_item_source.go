package pages

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// actionSource is what the new item form shows of where the item comes
// from: a line of context and the hidden fields that carry the
// references to the create handler.
type actionSource struct {
	label  string
	hidden map[string]string
	// team is the default team: the component's.
	team string
}

// actionRefs reads the references of a new action item from the query
// (new form) or the hidden fields (create): finding=, review= (ids) and
// component= (a slug). An id that is not a number is not found.
func actionRefs(v url.Values) (models.NewActionItem, error) {
	var in models.NewActionItem
	for key, dst := range map[string]**int64{"finding": &in.FindingID, "review": &in.ReviewID} {
		if raw := v.Get(key); raw != "" {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return in, models.ErrNotFound
			}
			*dst = &id
		}
	}
	in.ComponentSlug = v.Get("component")
	return in, nil
}

// resolveActionSource derives where a new item comes from
// (models.ResolveActionSource) for the form. A reference that does not
// resolve, or disagrees with another, is a broken link: not found.
func (h Actions) resolveActionSource(c echo.Context, v url.Values) (actionSource, error) {
	src := actionSource{hidden: map[string]string{}}
	// Where to go after saving survives a refused form.
	if next := v.Get("next"); next != "" {
		src.hidden["next"] = web.SafeNext(next)
	}
	refs, err := actionRefs(v)
	if err != nil {
		return src, err
	}
	from, err := models.ResolveActionSource(c.Request().Context(), h.DB, refs)
	if models.IsReferenceError(err) {
		return src, fmt.Errorf("action item source: %w (%s)", models.ErrNotFound, err)
	}
	if err != nil {
		return src, err
	}
	for _, k := range []string{"finding", "review", "component"} {
		if val := v.Get(k); val != "" {
			src.hidden[k] = val
		}
	}
	if from.Component != nil && from.Component.Team != nil {
		src.team = from.Component.Team.Slug
	}
	switch {
	case from.Finding != nil:
		src.label = "For the finding “" + from.Finding.Title + "” of " + from.Component.Name + "."
	case from.Review != nil:
		src.label = "From the review “" + from.Review.Title + "”."
	case from.Component != nil:
		src.label = "For the component " + from.Component.Name + "."
	}
	return src, nil
}
