package models

import (
	"fmt"
	"strings"
)

// ThemeTally is a theme with its votes, for the discussion and summary.
type ThemeTally struct {
	Theme RetroTheme
	Votes int
	Notes []RetroNote
}

// RetroSummaryMarkdown drafts the closing summary: themes by votes with
// their notes (authors never named), findings and contributing factors,
// and action items with owners and due dates. The facilitator edits it
// before closing.
func RetroSummaryMarkdown(b *RetroBoard) string {
	var sb strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&sb, format, args...) }
	w("Retro held %s with %d participants.\n", b.Session.CreatedAt.Format("2 Jan 2006"), len(b.Participants))
	w("\n### Themes by votes\n\n")
	tallies := b.Tallies()
	if len(tallies) == 0 {
		w("_No themes._\n")
	}
	for i, t := range tallies {
		w("%d. **%s** — %s\n", i+1, mdText(t.Theme.Title), votesLabel(t.Votes))
		for _, n := range t.Notes {
			w("   - %s\n", mdText(n.Text))
		}
	}
	factors := b.Factors
	for _, kind := range []string{FactorFinding, FactorContributing} {
		var lines []string
		for _, f := range factors {
			if f.Kind != kind {
				continue
			}
			line := "- " + mdText(f.Title)
			if f.RetroThemeID != nil {
				if th := b.Theme(*f.RetroThemeID); th != nil {
					line += " _(" + mdText(th.Title) + ")_"
				}
			}
			lines = append(lines, line)
		}
		if len(lines) == 0 {
			continue
		}
		if kind == FactorFinding {
			w("\n### Findings\n\n")
		} else {
			w("\n### Contributing factors\n\n")
		}
		w("%s\n", strings.Join(lines, "\n"))
	}
	w("\n### Action items\n\n")
	if len(b.Actions) == 0 {
		w("_None._\n")
	}
	for _, a := range b.Actions {
		owner := "no owner yet"
		if a.Owner != nil {
			owner = a.Owner.Name
		}
		due := "no due date"
		if a.DueDate != nil {
			due = "due " + a.DueDate.String()
		}
		w("- %s (%s, %s)\n", mdText(a.Title), mdText(owner), due)
	}
	return sb.String()
}

func votesLabel(n int) string {
	if n == 1 {
		return "1 vote"
	}
	return fmt.Sprintf("%d votes", n)
}

// mdText keeps user text from turning into Markdown structure in a list.
func mdText(s string) string {
	s = CleanLine(s)
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", "#", `\#`).Replace(s)
}
