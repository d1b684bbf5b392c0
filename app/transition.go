package app

import (
	"net/url"
	"strconv"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Shims for handler files that have not moved to app/pages or app/api yet.

func reviewQuestion(r *models.Review, key string) (int, models.TemplateSection, models.TemplateQuestion, bool) {
	return r.Question(key)
}

func actionInput(form url.Values) models.ActionItemInput {
	return models.ActionItemInput{
		Title: form.Get("title"), Description: form.Get("description"), Priority: form.Get("priority"),
		Owner: form.Get("owner"), Team: form.Get("team"), DueDate: form.Get("due_date"), ExternalURL: form.Get("external_url"),
	}
}

func actionForm(a *models.ActionItem) views.Form {
	return views.NewForm().Set("title", a.Title).Set("description", a.Description).Set("priority", a.Priority).
		Set("owner", a.OwnerEmail()).Set("team", a.TeamSlug()).Set("due_date", datePtrString(a.DueDate)).
		Set("external_url", a.ExternalURL).Set("version", strconv.Itoa(a.Version))
}

func mergeValidation(v *models.ValidationError, err error) error {
	if ve, ok := models.AsValidation(err); ok {
		for k, m := range ve.Fields {
			v.Add(k, m)
		}
		v.Global = append(v.Global, ve.Global...)
		return v
	}
	if err != nil {
		return err
	}
	return v.Err()
}
