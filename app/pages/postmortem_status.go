package pages

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// postmortemStatus handles the three status routes (their access levels
// differ in the route table: publishing is for facilitators, reopening
// for admins).
func (h Postmortems) Status(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	from, to := form.Get("from"), form.Get("to")
	switch r, _ := h.Routes.Of(c); r.Name {
	case "postmortems.publish":
		to = models.PostmortemPublished
	case "postmortems.reopen":
		from, to = models.PostmortemPublished, models.PostmortemDraft
	default:
		if to == models.PostmortemPublished || from == models.PostmortemPublished {
			return fmt.Errorf("app: %w: use the publish or reopen action", models.ErrForbidden)
		}
	}
	_, err = models.ChangePostmortemStatus(c.Request().Context(), h.DB, web.Actor(c), pm.ID, from, to)
	if ce, ok := models.AsConflict(err); ok {
		cur := ce.Current.(*models.Postmortem)
		h.Flash(c, "warn", "The postmortem is "+models.PostmortemStatusLabel(cur.Status)+" already; nothing changed.")
		return h.Redirect(c, h.Path("postmortems.show", inc.Key()))
	}
	if err != nil {
		return err
	}
	msg := map[string]string{
		models.PostmortemInReview:  "Sent for review. Reviewers see the blameless check at the top.",
		models.PostmortemPublished: "Published. The document is read-only now; action items stay open for follow-through.",
		models.PostmortemDraft:     "Back to draft.",
	}[to]
	h.Flash(c, "ok", msg)
	return h.Redirect(c, h.Path("postmortems.show", inc.Key()))
}
