package views

// TemplateSummary is one template in the list.
type TemplateSummary struct {
	Key, Name, Description string
	Builtin                bool
	Versions               []TemplateVersionRef
}

// TemplateVersionRef names one version.
type TemplateVersionRef struct {
	Number    int
	Status    string
	Questions int
	Published string
	Source    string
}

// TemplatesModel is the template list.
type TemplatesModel struct {
	Templates []TemplateSummary
	IsAdmin   bool
}

// QuestionView is one question of a template version.
type QuestionView struct {
	Key, Prompt, GuidanceMD, Evidence, Risk string
}

// SectionView is one section of a template version.
type SectionView struct {
	Key, Title, DescriptionMD string
	Questions                 []QuestionView
}

// TemplateVersionModel is a version's page.
type TemplateVersionModel struct {
	Key, Name, DescriptionMD string
	Number                   int
	Status                   string
	Source                   string
	Published, Deprecated    string
	Sections                 []SectionView
	Questions                int
	Versions                 []TemplateVersionRef
	IsAdmin                  bool
	HasDraft                 bool
	DraftNumber              int
	Version                  int // optimistic lock of the draft
	AddQuestion              Form
	AddQuestionSection       string
	AddSection               Form
}

// TemplateImportModel is the import page.
type TemplateImportModel struct {
	Form  Form
	Blank Form
}

// TemplateYAMLModel is the YAML editor of a draft.
type TemplateYAMLModel struct {
	Key    string
	Number int
	Name   string
	Form   Form
}

// TemplateQuestionModel is the form for one question of a draft.
type TemplateQuestionModel struct {
	Key      string
	Number   int
	Name     string
	Question string // key of the question being edited
	Form     Form
}

// RiskOptions are the question risk choices.
func RiskOptions() []Option {
	return []Option{{"high", "High"}, {"medium", "Medium"}, {"low", "Low"}}
}

func templateStatusClass(s string) string {
	switch s {
	case "published":
		return "badge badge-ok"
	case "draft":
		return "badge badge-warn"
	}
	return "badge badge-outline"
}
