package pages

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Sections of a postmortem save themselves while people write (htmx, a
// moment after typing stops). Each save carries the version the writer
// started from; when someone else saved in between, the answer is 409
// with both texts and nothing is overwritten. Blameless-language hints
// come back with every save and never stop it.

func (h Postmortems) loadSection(c echo.Context) (*models.Incident, *models.Postmortem, *models.PostmortemSection, error) {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return nil, nil, nil, err
	}
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, nil, nil, err
	}
	sec, err := models.GetPostmortemSection(c.Request().Context(), h.DB, pm.ID, id)
	return inc, pm, sec, err
}

// postmortemSection renders one section (the "use theirs" button of a
// conflict loads it fresh).
func (h Postmortems) Section(c echo.Context) error {
	inc, pm, sec, err := h.loadSection(c)
	if err != nil {
		return err
	}
	if !web.IsHTMX(c) {
		return h.Redirect(c, h.Path("postmortems.show", inc.Key())+"#sec-"+views.DOMKey(sec.Key))
	}
	m, err := h.postmortemPage(c, inc, pm, pmOverrides{})
	if err != nil {
		return err
	}
	for _, v := range m.Sections {
		if v.ID == sec.ID {
			return h.Render(c, http.StatusOK, views.PMSectionFragment(v, m))
		}
	}
	return models.ErrNotFound
}

func (h Postmortems) SectionSave(c echo.Context) error {
	ctx := c.Request().Context()
	inc, pm, sec, err := h.loadSection(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	body := form.Get("body")
	version := web.AtoiOr(form.Get("version"), 0)
	// "Keep mine" after a conflict saves over the version the writer saw.
	if bv := form.Get("base_version"); bv != "" {
		version = web.AtoiOr(bv, 0)
	}
	users, err := h.activeUsers(ctx)
	if err != nil {
		return err
	}
	names := blamelessNames(users)
	saved, err := models.SavePostmortemSection(ctx, h.DB, web.Actor(c), pm.ID, sec.ID, version, body)
	var ce *models.ConflictError
	var v views.PMSection
	status := http.StatusOK
	switch {
	case err == nil:
		v = h.sectionView(c, inc, pm, saved, true, names)
		v.Saved = true
	case errors.As(err, &ce):
		cur := ce.Current.(*models.PostmortemSection)
		v = h.sectionView(c, inc, pm, cur, true, names)
		v.Body, v.Version = body, version
		v.Hints = hintViews(body, models.BlamelessHints(body, names))
		v.Conflict = &views.PMSectionConflict{Mine: body, Theirs: cur.Body, TheirsBy: "Someone", TheirsAt: h.fmtTime(c, cur.UpdatedAt), Version: cur.Version}
		if cur.UpdatedBy != nil {
			v.Conflict.TheirsBy = cur.UpdatedBy.Name
		}
		status = http.StatusConflict
	default:
		ve, isVE := models.AsValidation(err)
		if !isVE && !errors.Is(err, models.ErrInvalidState) {
			return err
		}
		v = h.sectionView(c, inc, pm, sec, true, names)
		v.Body, v.Version = body, version
		if isVE {
			v.Error, status = ve.Fields["body"], http.StatusUnprocessableEntity
		} else {
			v.Error, status = "Not saved: "+web.Message(err), http.StatusConflict
		}
	}
	if !web.IsHTMX(c) {
		if status == http.StatusOK {
			h.Flash(c, "ok", sec.Title+" saved.")
			return h.Redirect(c, h.Path("postmortems.show", inc.Key())+"#sec-"+views.DOMKey(sec.Key))
		}
		fresh, err := models.GetPostmortem(ctx, h.DB, pm.ID)
		if err != nil {
			return err
		}
		return h.renderPostmortem(c, status, inc, fresh, pmOverrides{sections: map[int64]views.PMSection{sec.ID: v}})
	}
	return h.Render(c, status, views.PMSectionSaved(v))
}

func (h Postmortems) SectionHistory(c echo.Context) error {
	inc, pm, sec, err := h.loadSection(c)
	if err != nil {
		return err
	}
	revs, err := models.ListSectionRevisions(c.Request().Context(), h.DB, sec.ID)
	if err != nil {
		return err
	}
	m := views.PMSectionHistoryPage{PostmortemHeader: h.pmHeader(c, inc, pm), Section: sec.Title}
	for _, r := range revs {
		author := r.AuthorName
		if author == "" {
			author = "Someone"
		}
		m.Revisions = append(m.Revisions, views.PMRevision{Version: r.Version, Author: author, From: h.fmtTime(c, r.CreatedAt), To: h.fmtTime(c, r.UpdatedAt), Body: r.Body})
	}
	return h.Render(c, http.StatusOK, views.PMSectionHistory(h.Page(c, "History of "+sec.Title+" · "+inc.Key(), "incidents"), m))
}
