package models

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// BlamelessHint is a soft hint about one phrase of a narrative that reads
// as blame or hindsight. Hints never block saving: they help the author
// rewrite.
type BlamelessHint struct {
	// Start and End are byte offsets of the phrase in the text.
	Start, End int
	// Phrase is the text matched.
	Phrase string
	// Kind is counterfactual, judgement, minimising or blame.
	Kind string
	// Why says why the phrase works against a blameless review.
	Why string
	// Suggest is a neutral pattern to rewrite with.
	Suggest string
}

// Kinds of blameless hints.
const (
	HintCounterfactual = "counterfactual"
	HintJudgement      = "judgement"
	HintMinimising     = "minimising"
	HintBlame          = "blame"
)

type blamelessRule struct {
	re      *regexp.Regexp
	kind    string
	why     string
	suggest string
	// group is the submatch that is the phrase (0: the whole match).
	group int
	// skip, when set, drops a match (m are its submatch indices).
	skip func(text string, m []int) bool
}

// Words that make a subject a person rather than a system, for phrases
// that are neutral about systems ("the health check failed to connect").
const personSubject = `(?:he|she|they|we|i|you|someone|somebody|nobody|no one|everyone|` +
	`(?:the|our|their|an?)\s+(?:[a-z-]+\s+)?(?:engineers?|operators?|on-?call|responders?|developers?|devs?|admins?|administrators?|sres?|teams?|reviewers?|authors?|commanders?|ic|person|people|humans?|users?|staff|oncaller))`

const (
	whyCounterfactual = "Counterfactuals describe what did not happen. They judge with hindsight and hide why the actions made sense at the time."
	sugCounterfactual = "Describe what happened and what people knew then: \"At 14:02 the runbook said to restart the service, so the on-call engineer did.\""
	whyFailedTo       = "\"Failed to\" frames what a person did as a failure, judged with knowledge they did not have."
	sugFailedTo       = "Say what the person did and what informed it: \"The engineer restarted the service; the alert did not show that the queue was full.\""
	whyHumanError     = "\"Human error\" ends the investigation where it should start: it names nothing that can be fixed."
	sugHumanError     = "Describe the conditions that made the action easy to get wrong: \"Both clusters had the same shell prompt, and the command ran against production.\""
	whyJudgement      = "Judging people's character makes them defensive and stops them from telling what really happened."
	sugJudgement      = "Describe the action and its context neutrally: \"The change was merged without a second review because the reviewer was paged.\""
	whyObvious        = "\"Obvious\" is hindsight: it was not obvious to the people there at the time, or they would have acted on it."
	sugObvious        = "Describe what the signals showed at the time and how they were read: \"The dashboard showed normal traffic; the errors were in a log nobody was watching.\""
	whyMinimising     = "\"Just\" makes the work sound trivial and implies the problem was easy to avoid."
	sugMinimising     = "Describe what the task really took: \"Rolling back needed three manual steps, one of them undocumented.\""
	whyBlame          = "Naming a person as the cause points at blame, not at the system that made the outcome possible."
	sugBlame          = "Name the role and the action, then the conditions: \"The deploying engineer ran the migration; nothing in the pipeline checked how long it would lock the table.\""
)

// apostrophe matches straight and typographic apostrophes.
const apos = `['’]`

var blamelessRules = []blamelessRule{
	// "should have rolled back" is a counterfactual; "every service should
	// have an owner" is a requirement.
	{re: regexp.MustCompile(`(?i)\b((?:should|ought to)(?:\s+not|n` + apos + `t)?\s+have|should` + apos + `ve)\b(?:\s+([a-z]+))?`),
		kind: HintCounterfactual, why: whyCounterfactual, suggest: sugCounterfactual, group: 1,
		skip: possession},
	// "could have been worse" speculates about the outcome (where we got
	// lucky) and is fine; "could have caught it" is a counterfactual.
	{re: regexp.MustCompile(`(?i)\b(could(?:\s+not|n` + apos + `t)?\s+have|could` + apos + `ve)\s+([a-z]+)`),
		kind: HintCounterfactual, why: whyCounterfactual, suggest: sugCounterfactual, group: 1,
		skip: func(text string, m []int) bool {
			return strings.EqualFold(text[m[4]:m[5]], "been") || possession(text, m)
		}},
	{re: regexp.MustCompile(`(?i)\bif only\b`),
		kind: HintCounterfactual, why: whyCounterfactual, suggest: sugCounterfactual},
	// Said of a person only: "the health check failed to connect" is fine.
	{re: regexp.MustCompile(`(?i)\b(?:failed|neglected|forgot|omitted)\s+to\b`),
		kind: HintJudgement, why: whyFailedTo, suggest: sugFailedTo,
		skip: func(text string, m []int) bool { return !personBefore(text[:m[0]]) }},
	{re: regexp.MustCompile(`(?i)\bhuman errors?\b|\boperator errors?\b|\bpilot errors?\b`),
		kind: HintJudgement, why: whyHumanError, suggest: sugHumanError},
	{re: regexp.MustCompile(`(?i)\b(?:careless(?:ly|ness)?|sloppy|sloppiness|negligen(?:t|ce|tly)|reckless(?:ly|ness)?|incompeten(?:t|ce)|lazy|laziness|stupid(?:ity)?|dumb mistake)\b`),
		kind: HintJudgement, why: whyJudgement, suggest: sugJudgement},
	// "obvious(ly)", but not "not obvious" / "wasn't obvious", which is
	// exactly the blameless way to put it.
	{re: regexp.MustCompile(`(?i)\bobvious(?:ly)?\b`),
		kind: HintJudgement, why: whyObvious, suggest: sugObvious,
		skip: func(text string, m []int) bool { return negated(text[:m[0]]) }},
	{re: regexp.MustCompile(`(?i)\b(?:just|simply)\s+(?:needed|had|has|have|need|needs)\s+to\b|\ball\s+(?:he|she|they|you|we|i|it)\s+(?:had|has|needed)\s+to\s+do\b`),
		kind: HintMinimising, why: whyMinimising, suggest: sugMinimising},
	// "his fault", "at fault", but not "nobody was at fault".
	{re: regexp.MustCompile(`(?i)\b(?:(?:his|her|their|my|your|our)\s+fault|at\s+fault|to\s+blame|blamed?\s+(?:on\s+)?(?:him|her|them))\b`),
		kind: HintBlame, why: whyBlame, suggest: sugBlame,
		skip: func(text string, m []int) bool { return negated(text[:m[0]]) }},
}

// determiners after "should have" / "could have" make it about having
// something, not a counterfactual.
var determiners = map[string]bool{"a": true, "an": true, "the": true, "one": true, "some": true, "any": true, "its": true,
	"their": true, "our": true, "his": true, "her": true, "your": true, "no": true, "more": true, "fewer": true, "enough": true,
	"two": true, "three": true, "at": true, "clear": true, "access": true, "each": true, "every": true, "this": true, "these": true}

// possession reports whether the word after the phrase (submatch 2) is a
// determiner.
func possession(text string, m []int) bool {
	return len(m) > 5 && m[4] >= 0 && determiners[strings.ToLower(text[m[4]:m[5]])]
}

// negations that turn a judgement into its blameless opposite ("not
// obvious", "nobody is to blame").
var negations = map[string]bool{"not": true, "never": true, "hardly": true, "less": true, "non": true, "nobody": true, "no": true, "none": true, "neither": true}

// blameVerbs follow a person named as the cause.
const blameVerbs = `(?:broke|breaks|caused|causes|forgot|forgets|missed|ignored|overlooked|neglected|failed|messed\s+up|screwed\s+up|botched|` +
	`should(?:n` + apos + `t|\s+not)?\s+have|should` + apos + `ve|did\s*n` + apos + `t|did\s+not|was\s+careless|was\s+to\s+blame)`

// BlamelessHints finds counterfactual and judgemental phrasing in text:
// should have, could have, if only, failed to (said of people), human
// error, careless and its kin, obviously, just needed to, and a known
// person named as the cause ("Ada broke …", "Bob's mistake", "caused by
// Ada"). names are the people who may be mentioned (users' display
// names); each full name and each first name of three letters or more is
// matched, case-sensitively so that "Will" is not "will". Hints come in
// text order and do not overlap. It never fails and never blocks.
func BlamelessHints(text string, names []string) []BlamelessHint {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	var hints []BlamelessHint
	add := func(start, end int, r blamelessRule) {
		hints = append(hints, BlamelessHint{Start: start, End: end, Phrase: text[start:end], Kind: r.kind, Why: r.why, Suggest: r.suggest})
	}
	for _, r := range blamelessRules {
		for _, m := range r.re.FindAllStringSubmatchIndex(text, -1) {
			start, end := m[2*r.group], m[2*r.group+1]
			if start < 0 {
				continue
			}
			if r.skip != nil && r.skip(text, m) {
				continue
			}
			add(start, end, r)
		}
	}
	for _, r := range nameRules(names) {
		for _, m := range r.re.FindAllStringSubmatchIndex(text, -1) {
			if standsAlone(text, m) {
				add(m[2], m[3], r)
			}
		}
	}
	return dedupeHints(hints)
}

var personEnd = regexp.MustCompile(`(?i)(?:^|\b)` + personSubject + `\s+(?:[a-z]+\s+)?$`)

// personBefore reports whether the words just before a phrase are a person
// as its subject ("the on-call engineer", "we then").
func personBefore(before string) bool {
	if len(before) > 80 {
		before = before[len(before)-80:]
	}
	return personEnd.MatchString(before)
}

// negated reports whether the three words before a phrase negate it.
func negated(before string) bool {
	f := strings.Fields(strings.ToLower(before))
	for i := len(f) - 1; i >= 0 && i >= len(f)-3; i-- {
		if strings.ContainsAny(f[i], ".;:!?") {
			return false // a negation in an earlier sentence does not count
		}
		w := strings.Trim(f[i], ",()\"")
		if negations[w] || strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "n’t") {
			return true
		}
	}
	return false
}

// nameRules builds the person-as-cause patterns for the given names.
func nameRules(names []string) []blamelessRule {
	seen := map[string]bool{}
	var alts []string
	for _, n := range names {
		n = strings.Join(strings.Fields(strings.ToValidUTF8(n, "")), " ")
		if n == "" {
			continue
		}
		cands := []string{n}
		if first := strings.Fields(n)[0]; first != n && utf8.RuneCountInString(first) >= 3 {
			cands = append(cands, first)
		}
		for _, c := range cands {
			if utf8.RuneCountInString(c) < 2 || seen[c] {
				continue
			}
			seen[c] = true
			alts = append(alts, regexp.QuoteMeta(c))
		}
	}
	if len(alts) == 0 {
		return nil
	}
	// Longest first, so "Ada Lovelace" wins over "Ada".
	sort.Slice(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
	name := `(?:` + strings.Join(alts, "|") + `)`
	// A name stands alone, not inside a longer word: checked by
	// standsAlone, which is much cheaper than a character class around
	// the pattern.
	pre, post := ``, `\b`
	return []blamelessRule{
		// "Ada broke the build", "Ada Lovelace forgot to …", "Ada just forgot"
		{re: regexp.MustCompile(pre + `(` + name + `(?i:\s+(?:just\s+|simply\s+|clearly\s+)?` + blameVerbs + `))` + post),
			kind: HintBlame, why: whyBlame, suggest: sugBlame},
		// "Ada's mistake", "Ada's fault"
		{re: regexp.MustCompile(pre + `(` + name + apos + `s(?i:\s+(?:mistake|fault|error|carelessness|screw-?up|blunder)s?))` + post),
			kind: HintBlame, why: whyBlame, suggest: sugBlame},
		// "caused by Ada", "because of Ada", "blame Ada"
		{re: regexp.MustCompile(`\b((?i:caused\s+by|because\s+of|thanks\s+to|due\s+to|blame(?:d)?(?:\s+on)?|fault\s+of)\s+` + name + `)`),
			kind: HintBlame, why: whyBlame, suggest: sugBlame},
	}
}

// standsAlone reports whether the match (submatch 1) is not part of a
// longer word on either side.
func standsAlone(text string, m []int) bool {
	wordy := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }
	if r, _ := utf8.DecodeLastRuneInString(text[:m[2]]); m[2] > 0 && wordy(r) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(text[m[3]:]); m[3] < len(text) && wordy(r) {
		return false
	}
	return true
}

// dedupeHints sorts hints by position and drops any that overlap an
// earlier (or, at the same start, longer) one.
func dedupeHints(h []BlamelessHint) []BlamelessHint {
	sort.SliceStable(h, func(i, j int) bool {
		if h[i].Start != h[j].Start {
			return h[i].Start < h[j].Start
		}
		return h[i].End > h[j].End
	})
	out := h[:0]
	end := -1
	for _, x := range h {
		if x.Start < end {
			continue
		}
		out = append(out, x)
		end = x.End
	}
	return out
}
