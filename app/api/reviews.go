package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Reviews serves review templates, reviews, their answers and findings.
type Reviews struct {
	*web.Kit
	builtins *models.Builtins
}

func (h Reviews) ensureBuiltins(c echo.Context) error {
	return h.builtins.Ensure(c.Request().Context(), h.DB)
}

func (h Reviews) reviewParam(c echo.Context) (*models.Review, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return models.GetReview(c.Request().Context(), h.DB, id)
}

// JSON API of review templates, reviews, answers and findings (issue 4).

type templateVersionJSON struct {
	Key           string                `json:"key"`
	Name          string                `json:"name"`
	Description   string                `json:"description"`
	Version       int                   `json:"version"`
	Status        string                `json:"status"`
	Source        string                `json:"source"`
	Builtin       bool                  `json:"builtin"`
	QuestionCount int                   `json:"question_count"`
	PublishedAt   *time.Time            `json:"published_at"`
	Sections      []templateSectionJSON `json:"sections,omitempty"`
}

type templateSectionJSON struct {
	Key       string                 `json:"key"`
	Title     string                 `json:"title"`
	Questions []templateQuestionJSON `json:"questions"`
}

type templateQuestionJSON struct {
	Key      string `json:"key"`
	Prompt   string `json:"prompt"`
	Guidance string `json:"guidance"`
	Evidence string `json:"evidence"`
	Risk     string `json:"risk"`
}

func toTemplateVersionJSON(t *models.ReviewTemplate, v *models.TemplateVersion, questions int, full bool) templateVersionJSON {
	j := templateVersionJSON{Key: t.Key, Name: v.Name, Description: v.Description, Version: v.Number, Status: v.Status, Source: v.Source,
		Builtin: t.Builtin, QuestionCount: questions, PublishedAt: v.PublishedAt}
	if full {
		j.Sections = []templateSectionJSON{}
		for _, sec := range v.Sections {
			sj := templateSectionJSON{Key: sec.Key, Title: sec.Title, Questions: []templateQuestionJSON{}}
			for _, q := range sec.Questions {
				sj.Questions = append(sj.Questions, templateQuestionJSON{Key: q.Key, Prompt: q.Prompt, Guidance: q.Guidance, Evidence: q.Evidence, Risk: q.Risk})
			}
			j.Sections = append(j.Sections, sj)
		}
	}
	return j
}

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

// ---- reviews ----

type reviewJSON struct {
	ID              int64         `json:"id"`
	Title           string        `json:"title"`
	Status          string        `json:"status"`
	Component       string        `json:"component"`
	Template        string        `json:"template"`
	TemplateVersion int           `json:"template_version"`
	Facilitator     string        `json:"facilitator"`
	Participants    []string      `json:"participants"`
	ScheduledFor    *models.Date  `json:"scheduled_for"`
	StartedAt       *time.Time    `json:"started_at"`
	SubmittedAt     *time.Time    `json:"submitted_at"`
	CompletedAt     *time.Time    `json:"completed_at"`
	Decision        string        `json:"decision"`
	DecisionNotes   string        `json:"decision_notes"`
	PreviousReview  *int64        `json:"previous_review_id"`
	Version         int           `json:"version"`
	CreatedAt       time.Time     `json:"created_at"`
	UpdatedAt       time.Time     `json:"updated_at"`
	Answers         []answerJSON  `json:"answers,omitempty"`
	Findings        []findingJSON `json:"findings,omitempty"`
	Score           *scoreJSON    `json:"score,omitempty"`
}

type answerJSON struct {
	QuestionKey string     `json:"question_key"`
	Section     string     `json:"section,omitempty"`
	Risk        string     `json:"risk,omitempty"`
	State       string     `json:"state"`
	Reason      string     `json:"reason"`
	Notes       string     `json:"notes"`
	Evidence    []string   `json:"evidence"`
	Version     int        `json:"version"`
	UpdatedBy   string     `json:"updated_by"`
	UpdatedAt   time.Time  `json:"updated_at"`
	AnsweredAt  *time.Time `json:"answered_at"`
}

type scoreJSON struct {
	Readiness     float64           `json:"readiness"`
	Formula       string            `json:"formula"`
	Answered      int               `json:"answered"`
	Total         int               `json:"total"`
	Met           int               `json:"met"`
	Partial       int               `json:"partial"`
	NotMet        int               `json:"not_met"`
	NotApplicable int               `json:"not_applicable"`
	Risks         models.RiskCounts `json:"risks"`
}

type findingJSON struct {
	ID                  int64        `json:"id"`
	ReviewID            int64        `json:"review_id"`
	Component           string       `json:"component"`
	QuestionKey         string       `json:"question_key"`
	Title               string       `json:"title"`
	Description         string       `json:"description"`
	Risk                string       `json:"risk"`
	Status              string       `json:"status"`
	Approver            string       `json:"approver"`
	AcceptanceRationale string       `json:"acceptance_rationale"`
	AcceptedUntil       *models.Date `json:"accepted_until"`
	CarriedOver         bool         `json:"carried_over"`
	Version             int          `json:"version"`
	CreatedAt           time.Time    `json:"created_at"`
	UpdatedAt           time.Time    `json:"updated_at"`
}

func toAnswerJSON(a *models.ReviewAnswer) answerJSON {
	j := answerJSON{QuestionKey: a.QuestionKey, State: a.State, Reason: a.Reason, Notes: a.Notes, Evidence: a.Evidence, Version: a.Version,
		UpdatedAt: a.UpdatedAt, AnsweredAt: a.AnsweredAt}
	if j.Evidence == nil {
		j.Evidence = []string{}
	}
	if a.UpdatedBy != nil {
		j.UpdatedBy = a.UpdatedBy.Email
	}
	return j
}

func toFindingJSON(f *models.Finding, component string, carried bool) findingJSON {
	j := findingJSON{ID: f.ID, ReviewID: f.ReviewID, Component: component, QuestionKey: f.QuestionKey, Title: f.Title, Description: f.Description,
		Risk: f.Risk, Status: f.Status, AcceptanceRationale: f.AcceptanceRationale, AcceptedUntil: f.AcceptedUntil, CarriedOver: carried,
		Version: f.Version, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}
	if f.Approver != nil {
		j.Approver = f.Approver.Email
	}
	return j
}

func toReviewJSON(r *models.Review) reviewJSON {
	j := reviewJSON{ID: r.ID, Title: r.Title, Status: r.Status, ScheduledFor: r.ScheduledFor, StartedAt: r.StartedAt, SubmittedAt: r.SubmittedAt,
		CompletedAt: r.CompletedAt, Decision: r.Decision, DecisionNotes: r.DecisionNotes, PreviousReview: r.PreviousReviewID, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Participants: []string{}}
	if r.Component != nil {
		j.Component = r.Component.Slug
	}
	if r.TemplateVersion != nil {
		j.Template, j.TemplateVersion = r.TemplateVersion.Key(), r.TemplateVersion.Number
	}
	if r.Facilitator != nil {
		j.Facilitator = r.Facilitator.Email
	}
	for _, p := range r.Participants {
		j.Participants = append(j.Participants, p.Email)
	}
	return j
}

func (h Reviews) List(c echo.Context) error {
	ctx := c.Request().Context()
	lp, err := parseList(c)
	if err != nil {
		return err
	}
	f := models.ReviewFilter{Limit: lp.Limit + 1, Statuses: c.QueryParams()["status"]}
	if err := decodeCursor(lp.Cursor, &f.AfterID); err != nil {
		return err
	}
	if slug := c.QueryParam("component"); slug != "" {
		comp, err := models.GetComponentBySlug(ctx, h.DB, slug)
		if errors.Is(err, models.ErrNotFound) {
			return models.FieldError("component", "no component has the slug "+slug)
		} else if err != nil {
			return err
		}
		f.ComponentID = comp.ID
	}
	rs, err := models.ListReviews(ctx, h.DB, f)
	if err != nil {
		return err
	}
	items := make([]reviewJSON, 0, len(rs))
	for i := range rs {
		items = append(items, toReviewJSON(&rs[i]))
	}
	return web.WriteJSON(c, http.StatusOK, newListPage(items, lp.Limit, func(j reviewJSON) any { return j.ID }))
}

type reviewCreateJSON struct {
	Component    string   `json:"component"`
	Template     string   `json:"template"`
	Title        string   `json:"title"`
	Facilitator  string   `json:"facilitator"`
	Participants []string `json:"participants"`
	ScheduledFor string   `json:"scheduled_for"`
}

func (h Reviews) Create(c echo.Context) error {
	if err := h.ensureBuiltins(c); err != nil {
		return err
	}
	var in reviewCreateJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	r, err := models.CreateReview(c.Request().Context(), h.DB, web.Actor(c), models.NewReview{Component: in.Component, TemplateKey: in.Template,
		Title: in.Title, Facilitator: in.Facilitator, Participants: in.Participants, ScheduledFor: in.ScheduledFor})
	if err != nil {
		return err
	}
	full, err := h.fullReviewJSON(c, r)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusCreated, full)
}

// fullReviewJSON is a review with one answer per question, its findings
// and its score.
func (h Reviews) fullReviewJSON(c echo.Context, r *models.Review) (reviewJSON, error) {
	ctx := c.Request().Context()
	j := toReviewJSON(r)
	answers, err := models.ListAnswers(ctx, h.DB, r.ID)
	if err != nil {
		return j, err
	}
	j.Answers = []answerJSON{}
	for _, sec := range r.TemplateVersion.Sections {
		for _, q := range sec.Questions {
			if a := answers[q.Key]; a != nil {
				aj := toAnswerJSON(a)
				aj.Section, aj.Risk = sec.Key, q.Risk
				j.Answers = append(j.Answers, aj)
			}
		}
	}
	findings, err := models.ListReviewFindings(ctx, h.DB, r.ID)
	if err != nil {
		return j, err
	}
	j.Findings = []findingJSON{}
	for i := range findings {
		j.Findings = append(j.Findings, toFindingJSON(&findings[i].Finding, r.Component.Slug, findings[i].CarriedOver))
	}
	sc := models.ComputeScore(models.ScoredQuestions(r.TemplateVersion, answers))
	j.Score = &scoreJSON{Readiness: sc.Readiness, Formula: models.ScoreFormula, Answered: sc.Answered, Total: sc.Total, Met: sc.Met,
		Partial: sc.Partial, NotMet: sc.NotMet, NotApplicable: sc.NotApplicable, Risks: sc.Risks}
	return j, nil
}

func (h Reviews) Get(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	full, err := h.fullReviewJSON(c, r)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, full)
}

type answerInputJSON struct {
	State    string   `json:"state"`
	Reason   string   `json:"reason"`
	Notes    string   `json:"notes"`
	Evidence []string `json:"evidence"`
	Version  *int     `json:"version"`
}

// apiAnswerPut saves one answer; version is required, so a stale write
// answers 409 with the current answer.
func (h Reviews) AnswerPut(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	key := c.Param("question_key")
	if _, _, _, ok := r.Question(key); !ok {
		return fmt.Errorf("app: question %q: %w", key, models.ErrNotFound)
	}
	var in answerInputJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return models.FieldError("version", "send the version of the answer you read (GET the review), so edits by others are not overwritten")
	}
	a, err := models.SaveAnswer(c.Request().Context(), h.DB, web.Actor(c), r.ID, key, *in.Version, models.AnswerInput{
		State: in.State, Reason: in.Reason, Notes: in.Notes, Evidence: in.Evidence})
	if err != nil {
		return conflictJSON(err, toAnswerJSON)
	}
	return web.WriteJSON(c, http.StatusOK, toAnswerJSON(a))
}

func (h Reviews) FindingList(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	rows, err := models.ListReviewFindings(c.Request().Context(), h.DB, r.ID)
	if err != nil {
		return err
	}
	items := make([]findingJSON, 0, len(rows))
	for i := range rows {
		items = append(items, toFindingJSON(&rows[i].Finding, r.Component.Slug, rows[i].CarriedOver))
	}
	return web.WriteJSON(c, http.StatusOK, listPage[findingJSON]{Items: items})
}

type findingCreateJSON struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Risk        string `json:"risk"`
	QuestionKey string `json:"question_key"`
}

func (h Reviews) FindingCreate(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	var in findingCreateJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	fd, err := models.CreateFinding(c.Request().Context(), h.DB, web.Actor(c), r.ID, models.FindingInput{Title: in.Title, Description: in.Description, Risk: in.Risk, QuestionKey: in.QuestionKey})
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusCreated, toFindingJSON(fd, r.Component.Slug, false))
}

type transitionJSON struct {
	Action        string `json:"action"`
	Decision      string `json:"decision"`
	DecisionNotes string `json:"decision_notes"`
}

// apiReviewTransition moves a review: start, submit, reopen, complete
// (with decision) or archive.
func (h Reviews) Transition(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	var in transitionJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	r, err := models.TransitionReview(c.Request().Context(), h.DB, web.Actor(c), id, in.Action, models.SignOff{Decision: in.Decision, Notes: in.DecisionNotes})
	if err != nil {
		return err
	}
	full, err := h.fullReviewJSON(c, r)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, full)
}
