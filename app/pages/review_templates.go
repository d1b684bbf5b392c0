package pages

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Templates serves review templates: the catalogue, versions, import and export, and the draft editor.
type Templates struct{ base }

// ensureBuiltins adds the built-in templates on first use.
func (b base) ensureBuiltins(c echo.Context) error {
	return b.builtins.Ensure(c.Request().Context(), b.DB)
}

func (h Templates) Index(c echo.Context) error {
	if err := h.ensureBuiltins(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	ts, err := models.ListTemplates(ctx, h.DB)
	if err != nil {
		return err
	}
	counts, err := models.QuestionCounts(ctx, h.DB)
	if err != nil {
		return err
	}
	m := views.TemplatesModel{IsAdmin: h.Can(c, "templates.create")}
	for _, t := range ts {
		m.Templates = append(m.Templates, views.TemplateSummary{Key: t.Key, Name: t.Name, Description: t.Description, Builtin: t.Builtin,
			Versions: h.versionRefs(c, t.Versions, counts)})
	}
	return h.Render(c, http.StatusOK, views.Templates(h.Page(c, "Review templates", "reviews"), m))
}

// templateVersionParam loads the version named by :key and :n.
func (h Templates) templateVersionParam(c echo.Context) (*models.TemplateVersion, error) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 {
		return nil, models.ErrNotFound
	}
	return models.GetTemplateVersionByKey(c.Request().Context(), h.DB, c.Param("key"), n)
}

func (h Templates) Show(c echo.Context) error {
	t, err := models.GetTemplateByKey(c.Request().Context(), h.DB, c.Param("key"))
	if err != nil {
		return err
	}
	if len(t.Versions) == 0 {
		return models.ErrNotFound
	}
	n := t.Versions[0].Number
	for _, v := range t.Versions {
		if v.Status == models.TemplatePublished {
			n = v.Number
			break
		}
	}
	return h.Redirect(c, h.Path("templates.version", t.Key, n))
}

func (h Templates) Version(c echo.Context) error {
	v, err := h.templateVersionParam(c)
	if err != nil {
		return err
	}
	m, err := h.templateVersionModel(c, v)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.TemplateVersionPage(h.Page(c, v.Label(), "reviews"), m))
}

// templateTransition runs publish, deprecate, discard or new draft.
func (h Templates) Transition(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		v, err := h.templateVersionParam(c)
		if err != nil {
			return err
		}
		target := h.Path("templates.version", v.Key(), v.Number)
		switch action {
		case "publish":
			err = models.PublishTemplateVersion(ctx, h.DB, web.Actor(c), v.ID)
			if err == nil {
				h.Flash(c, "ok", fmt.Sprintf("Version %d published. New reviews start from it.", v.Number))
			}
		case "deprecate":
			err = models.DeprecateTemplateVersion(ctx, h.DB, web.Actor(c), v.ID)
			if err == nil {
				h.Flash(c, "ok", fmt.Sprintf("Version %d deprecated.", v.Number))
			}
		case "discard":
			err = models.DiscardDraft(ctx, h.DB, web.Actor(c), v.ID)
			if err == nil {
				h.Flash(c, "ok", "Draft discarded.")
				target = h.Path("templates.index")
			}
		case "draft":
			var d *models.TemplateVersion
			d, err = models.NewDraftFrom(ctx, h.DB, web.Actor(c), v.ID)
			if err == nil {
				h.Flash(c, "ok", fmt.Sprintf("Draft version %d started from version %d.", d.Number, v.Number))
				target = h.Path("templates.version", d.Key(), d.Number)
			}
		}
		if errors.Is(err, models.ErrInvalidState) {
			h.Flash(c, "bad", web.Message(err))
			return h.Redirect(c, target)
		}
		if err != nil {
			return err
		}
		return h.Redirect(c, target)
	}
}
