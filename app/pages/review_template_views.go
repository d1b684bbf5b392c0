package pages

import (
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (b base) versionRefs(c echo.Context, vs []models.TemplateVersion, counts map[int64]int) []views.TemplateVersionRef {
	out := make([]views.TemplateVersionRef, 0, len(vs))
	for _, v := range vs {
		out = append(out, views.TemplateVersionRef{Number: v.Number, Status: v.Status, Questions: counts[v.ID], Published: b.fmtDay(c, v.PublishedAt), Source: v.Source})
	}
	return out
}

func (h Templates) templateVersionModel(c echo.Context, v *models.TemplateVersion) (views.TemplateVersionModel, error) {
	ctx := c.Request().Context()
	t, err := models.GetTemplateByKey(ctx, h.DB, v.Key())
	if err != nil {
		return views.TemplateVersionModel{}, err
	}
	counts, err := models.QuestionCounts(ctx, h.DB)
	if err != nil {
		return views.TemplateVersionModel{}, err
	}
	m := views.TemplateVersionModel{
		Key: v.Key(), Name: v.Name, DescriptionMD: v.Description, Number: v.Number, Status: v.Status, Source: v.Source,
		Published: h.fmtDay(c, v.PublishedAt), Deprecated: h.fmtDay(c, v.DeprecatedAt), Questions: len(v.Questions()),
		Versions: h.versionRefs(c, t.Versions, counts), IsAdmin: h.Can(c, "templates.yaml.save"), Version: v.Version,
	}
	for _, tv := range t.Versions {
		if tv.Status == models.TemplateDraft {
			m.HasDraft, m.DraftNumber = true, tv.Number
		}
	}
	for _, sec := range v.Sections {
		sv := views.SectionView{Key: sec.Key, Title: sec.Title, DescriptionMD: sec.Description}
		for _, q := range sec.Questions {
			sv.Questions = append(sv.Questions, views.QuestionView{Key: q.Key, Prompt: q.Prompt, GuidanceMD: q.Guidance, Evidence: q.Evidence, Risk: q.Risk})
		}
		m.Sections = append(m.Sections, sv)
	}
	return m, nil
}
