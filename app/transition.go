package app

import "github.com/debrief-sre/debrief/models"

// Shims for handler files that have not moved to app/pages or app/api yet.

func reviewQuestion(r *models.Review, key string) (int, models.TemplateSection, models.TemplateQuestion, bool) {
	return r.Question(key)
}
