package api

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// apiTemplateList lists every version of every template (?status= keeps
// one status).
func (h Reviews) TemplateList(c echo.Context) error {
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
	status := c.QueryParam("status")
	items := []templateVersionJSON{}
	for i := range ts {
		for j := range ts[i].Versions {
			v := &ts[i].Versions[j]
			if status == "" || v.Status == status {
				items = append(items, toTemplateVersionJSON(&ts[i], v, counts[v.ID], false))
			}
		}
	}
	return web.WriteJSON(c, http.StatusOK, listPage[templateVersionJSON]{Items: items})
}

// apiTemplateGet returns the newest published version of a template, or
// ?version=N; ?format=yaml exports it in our YAML format.
func (h Reviews) TemplateGet(c echo.Context) error {
	if err := h.ensureBuiltins(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	n := 0
	if v := c.QueryParam("version"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			return models.FieldError("version", "version must be a positive number")
		}
	}
	v, err := models.GetTemplateVersionByKey(ctx, h.DB, c.Param("key"), n)
	if err != nil {
		return err
	}
	if c.QueryParam("format") == "yaml" {
		out, err := models.TemplateYAML(v.Def(), v.ExportHeader())
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", out)
	}
	t, err := models.GetTemplateByKey(ctx, h.DB, v.Key())
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toTemplateVersionJSON(t, v, len(v.Questions()), true))
}

// apiTemplateImport takes our YAML (application/yaml or text/yaml) or a
// Well-Architected lens (application/json). ?publish=true publishes it,
// ?key= names a lens's template.
func (h Reviews) TemplateImport(c echo.Context) error {
	ctx := c.Request().Context()
	src, err := io.ReadAll(io.LimitReader(c.Request().Body, models.MaxTemplateSource+1))
	if err != nil {
		return err
	}
	if len(src) > models.MaxTemplateSource {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "a template may be at most 4 MB")
	}
	ct := c.Request().Header.Get(echo.HeaderContentType)
	format := ""
	switch {
	case strings.HasPrefix(ct, "application/json"):
		format = "lens"
	case strings.Contains(ct, "yaml"):
		format = "yaml"
	default:
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send our YAML as application/yaml or a Well-Architected lens as application/json")
	}
	d, source, err := models.ParseTemplateSource(src, format, c.QueryParam("key"))
	if err != nil {
		return err
	}
	res, err := models.ImportTemplate(ctx, h.DB, web.Actor(c), d, models.TemplateImportOptions{Source: source, Publish: c.QueryParam("publish") == "true"})
	if err != nil {
		return err
	}
	t, err := models.GetTemplateByKey(ctx, h.DB, d.Key)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Unchanged {
		status = http.StatusOK
	}
	return web.WriteJSON(c, status, toTemplateVersionJSON(t, res.Version, len(res.Version.Questions()), true))
}
