package views

import (
	"fmt"
	"strings"
	"time"
)

// PostmortemMarkdown writes the whole postmortem as one Markdown
// document: facts, durations with their definitions, every section, the
// incident's timeline, contributing factors and findings, retro summaries
// and action items. Times are in loc, named.
func PostmortemMarkdown(m PostmortemPage, loc *time.Location, generated time.Time) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Postmortem: %s (%s)\n\n", mdEscape(m.Title), m.IncidentKey)
	w("- **Status:** %s\n", m.StatusLabel)
	w("- **Severity:** %s\n", mdEscape(SeverityName(m.Severity)))
	w("- **Incident started:** %s\n", FormatDateTime(m.Started, loc))
	w("- **Owner:** %s\n", mdEscape(orDash(m.Owner)))
	w("- **Facilitator:** %s\n", mdEscape(orDash(m.Facilitator)))
	w("- **Due:** %s\n", orDash(m.Due))
	if m.Published != nil {
		w("- **Published:** %s\n", FormatDateTime(*m.Published, loc))
	}
	w("\n## Durations\n\n| Metric | Value | Definition |\n|---|---|---|\n")
	for _, d := range m.Durations {
		v := FormatDuration(d.Value)
		if d.Value == nil {
			v = "undefined"
		}
		w("| %s | %s | %s |\n", d.Name, v, d.Definition)
	}
	for _, s := range m.Sections {
		w("\n## %s\n\n", mdEscape(s.Title))
		if strings.TrimSpace(s.Body) == "" {
			w("_Not written._\n")
		} else {
			w("%s\n", strings.TrimRight(s.Body, "\n"))
		}
		switch s.Key {
		case "timeline":
			writeTimeline(&b, m, loc)
		case "contributing_factors":
			writeFactors(&b, m)
		}
	}
	if !hasSection(m.Sections, "timeline") {
		w("\n## Timeline\n")
		writeTimeline(&b, m, loc)
	}
	if !hasSection(m.Sections, "contributing_factors") {
		w("\n## Contributing factors and findings\n")
		writeFactors(&b, m)
	}
	for _, r := range m.Summaries {
		w("\n## Retrospective: %s\n\n_Closed %s._\n\n%s\n", mdEscape(r.Title), r.ClosedAt, strings.TrimRight(r.Summary, "\n"))
	}
	w("\n## Action items\n\n")
	if len(m.Actions) == 0 {
		w("_None._\n")
	} else {
		w("| Action item | Owner | Due | Status |\n|---|---|---|---|\n")
		for _, a := range m.Actions {
			w("| %s | %s | %s | %s |\n", mdEscape(a.Title), mdEscape(orDash(a.Owner)), orDash(a.Due), ActionStatusLabel(a.Status))
		}
	}
	w("\n---\n_Exported from Debrief on %s._\n", FormatDateTime(generated, loc))
	return b.String()
}

func writeTimeline(b *strings.Builder, m PostmortemPage, loc *time.Location) {
	fmt.Fprintf(b, "\n### Incident timeline\n\n")
	if len(m.Timeline) == 0 {
		b.WriteString("_No events._\n")
		return
	}
	fmt.Fprintf(b, "Times in %s.\n\n| Time | Kind | Event |\n|---|---|---|\n", ZoneName(loc, m.Started))
	for _, e := range m.Timeline {
		fmt.Fprintf(b, "| %s | %s | %s |\n", exportTime(e.At, loc), KindLabel(e.Kind), mdEscape(e.Text))
	}
}

func writeFactors(b *strings.Builder, m PostmortemPage) {
	for _, kind := range []string{factorContributing, factorFinding} {
		fs := factorsOf(m.Factors, kind)
		if len(fs) == 0 {
			continue
		}
		label := "Contributing factors"
		if kind == factorFinding {
			label = "Findings"
		}
		fmt.Fprintf(b, "\n### %s\n\n", label)
		for _, f := range fs {
			fmt.Fprintf(b, "- **%s**", mdEscape(f.Title))
			if f.Description != "" {
				fmt.Fprintf(b, ": %s", mdEscape(f.Description))
			}
			b.WriteString("\n")
		}
	}
}
