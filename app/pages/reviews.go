package pages

import (
	"errors"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Reviews serves operational reviews: the lists, starting and editing a review, its checklist page and answers, transitions and sign-off.
type Reviews struct{ base }

// reviewsIndex is the Reviews section: open and recent reviews, and how
// many components are due.
func (h Reviews) Index(c echo.Context) error {
	if err := h.ensureBuiltins(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	active, err := models.ListReviews(ctx, h.DB, models.ReviewFilter{Statuses: []string{models.ReviewDraft, models.ReviewInProgress, models.ReviewInReview}, NewestFirst: true, Limit: 100})
	if err != nil {
		return err
	}
	recent, err := models.ListReviews(ctx, h.DB, models.ReviewFilter{Statuses: []string{models.ReviewCompleted}, NewestFirst: true, Limit: 20})
	if err != nil {
		return err
	}
	due, err := models.ComponentsDueForReview(ctx, h.DB, h.Today())
	if err != nil {
		return err
	}
	components, err := models.CountComponents(ctx, h.DB)
	if err != nil {
		return err
	}
	completed, err := models.CountReviews(ctx, h.DB, models.ReviewCompleted)
	if err != nil {
		return err
	}
	// One scoring pass for both lists.
	rows := h.reviewRows(c, slices.Concat(active, recent))
	m := views.ReviewsIndexModel{Active: rows[:len(active)], Recent: rows[len(active):], DueCount: len(due), Components: int(components),
		Completed: int(completed), CanStart: h.Can(c, "reviews.create")}
	for _, r := range active {
		switch r.Status {
		case models.ReviewInReview:
			m.AwaitingOff++
		default:
			m.InProgress++
		}
	}
	return h.Render(c, http.StatusOK, views.ReviewsIndex(h.Page(c, "Reviews", "reviews"), m))
}

func (b base) reviewParam(c echo.Context) (*models.Review, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return models.GetReview(c.Request().Context(), b.DB, id)
}

func (h Reviews) Show(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	m, err := h.reviewPageModel(c, r, nil)
	if err != nil {
		return err
	}
	p := h.Page(c, r.Title, "reviews")
	p.Scripts = append(p.Scripts, "js/reviews.js")
	return h.Render(c, http.StatusOK, views.ReviewPage(p, m))
}

func (h Reviews) Transition(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	action := form.Get("action")
	if action == models.ActionComplete {
		return h.Redirect(c, h.Path("reviews.signoff", id))
	}
	_, err = models.TransitionReview(c.Request().Context(), h.DB, web.Actor(c), id, action, models.SignOff{})
	switch {
	case errors.Is(err, models.ErrInvalidState):
		h.Flash(c, "bad", web.Message(err))
	case err != nil:
		return err
	default:
		h.Flash(c, "ok", map[string]string{
			models.ActionStart: "Review started.", models.ActionSubmit: "Submitted for sign-off. Answers are frozen until it is signed off or reopened.",
			models.ActionReopen: "Review reopened for changes.", models.ActionArchive: "Review archived.",
		}[action])
	}
	return h.Redirect(c, h.Path("reviews.show", id))
}
