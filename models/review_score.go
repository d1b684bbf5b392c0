package models

import (
	"context"
	"fmt"
	"math"

	"gorm.io/gorm"
)

// ScoreFormula is shown next to every readiness score.
const ScoreFormula = "readiness = 100 × Σ(weight × credit) ÷ Σ(weight), over every question not marked not applicable; " +
	"weight by the question's risk: high 3, medium 2, low 1; credit: met 1, partly met ½, not met or not yet answered 0."

// RiskCounts counts unmet and partly met answers by the risk of their
// question.
type RiskCounts struct {
	High   int `json:"high"`
	Medium int `json:"medium"`
	Low    int `json:"low"`
}

// Total is the sum of the counts.
func (r RiskCounts) Total() int { return r.High + r.Medium + r.Low }

func (r *RiskCounts) add(risk string) {
	switch risk {
	case RiskHigh:
		r.High++
	case RiskMedium:
		r.Medium++
	default:
		r.Low++
	}
}

// SectionScore is the progress and risk of one section.
type SectionScore struct {
	Key      string     `json:"key"`
	Title    string     `json:"title"`
	Total    int        `json:"total"`
	Answered int        `json:"answered"`
	Risks    RiskCounts `json:"risks"`
}

// Score summarises a review's answers.
type Score struct {
	Total         int            `json:"total"`
	Answered      int            `json:"answered"`
	Met           int            `json:"met"`
	Partial       int            `json:"partial"`
	NotMet        int            `json:"not_met"`
	NotApplicable int            `json:"not_applicable"`
	Risks         RiskCounts     `json:"risks"`
	Earned        float64        `json:"earned"`
	Possible      float64        `json:"possible"`
	Readiness     float64        `json:"readiness"` // 0–100, one decimal
	Sections      []SectionScore `json:"sections"`
}

// AnsweredShare is the share of questions answered, 0–100.
func (s Score) AnsweredShare() int {
	if s.Total == 0 {
		return 0
	}
	return int(math.Round(100 * float64(s.Answered) / float64(s.Total)))
}

// ScoredQuestion is the minimum scoring needs of a question and its
// answer, whether live or from a snapshot.
type ScoredQuestion struct {
	SectionKey, SectionTitle string
	Key, Risk, State         string
}

// ComputeScore scores answers with ScoreFormula.
func ComputeScore(qs []ScoredQuestion) Score {
	s := Score{Sections: []SectionScore{}}
	idx := map[string]int{}
	for _, q := range qs {
		i, ok := idx[q.SectionKey]
		if !ok {
			i = len(s.Sections)
			idx[q.SectionKey] = i
			s.Sections = append(s.Sections, SectionScore{Key: q.SectionKey, Title: q.SectionTitle})
		}
		sec := &s.Sections[i]
		s.Total++
		sec.Total++
		if q.State != AnswerUnanswered {
			s.Answered++
			sec.Answered++
		}
		w := float64(RiskWeight(q.Risk))
		switch q.State {
		case AnswerNotApplicable:
			s.NotApplicable++
			continue
		case AnswerMet:
			s.Met++
			s.Earned += w
		case AnswerPartial:
			s.Partial++
			s.Earned += w / 2
			s.Risks.add(q.Risk)
			sec.Risks.add(q.Risk)
		case AnswerNotMet:
			s.NotMet++
			s.Risks.add(q.Risk)
			sec.Risks.add(q.Risk)
		}
		s.Possible += w
	}
	if s.Possible > 0 {
		s.Readiness = math.Round(1000*s.Earned/s.Possible) / 10
	}
	return s
}

// ScoredQuestions pairs a template version's questions with answers.
func ScoredQuestions(tv *TemplateVersion, answers map[string]*ReviewAnswer) []ScoredQuestion {
	var out []ScoredQuestion
	for _, sec := range tv.Sections {
		for _, q := range sec.Questions {
			sq := ScoredQuestion{SectionKey: sec.Key, SectionTitle: sec.Title, Key: q.Key, Risk: q.Risk}
			if a := answers[q.Key]; a != nil {
				sq.State = a.State
			}
			out = append(out, sq)
		}
	}
	return out
}

// ScoresOfReviews scores many reviews with one query for their answers
// and one per distinct template version.
func ScoresOfReviews(ctx context.Context, db *gorm.DB, reviews []Review) (map[int64]Score, error) {
	out := map[int64]Score{}
	if len(reviews) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(reviews))
	for _, r := range reviews {
		ids = append(ids, r.ID)
	}
	var rows []ReviewAnswer
	if err := db.WithContext(ctx).Select("review_id, question_key, state").Where("review_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: scores: %w", TranslateError(err))
	}
	byReview := map[int64]map[string]*ReviewAnswer{}
	for i := range rows {
		a := &rows[i]
		if byReview[a.ReviewID] == nil {
			byReview[a.ReviewID] = map[string]*ReviewAnswer{}
		}
		byReview[a.ReviewID][a.QuestionKey] = a
	}
	versions := map[int64]*TemplateVersion{}
	for _, r := range reviews {
		tv, ok := versions[r.TemplateVersionID]
		if !ok {
			var err error
			if tv, err = GetTemplateVersion(ctx, db, r.TemplateVersionID); err != nil {
				return nil, err
			}
			versions[r.TemplateVersionID] = tv
		}
		out[r.ID] = ComputeScore(ScoredQuestions(tv, byReview[r.ID]))
	}
	return out, nil
}
