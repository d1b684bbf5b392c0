package models_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/debrief-sre/debrief/models"
)

var team = []string{"Ada Lovelace", "Bob Kahn", "Grace Hopper", "Will Turner", "Li"}

// neutralSentences read like a good blameless postmortem, including near
// misses for every rule (systems that "failed to", "not obvious", "could
// have been worse", people named for what they did rather than as a cause,
// a user called Will). The detector should stay quiet on them.
var neutralSentences = []string{
	"The health check failed to connect to the database for four minutes.",
	"The job failed to acquire the lock and retried with backoff.",
	"It was not obvious from the dashboard that the queue was growing.",
	"The disk pressure wasn't obvious until the second alert fired.",
	"The outage could have been much worse: the replica in the second region was healthy.",
	"Ada rolled back the deploy at 14:05 and the error rate dropped within a minute.",
	"Bob paged the database team after the connection pool was exhausted.",
	"Grace noticed the rising error rate and declared an incident.",
	"Will the new rate limits hold at the next traffic peak?",
	"The alert fired twelve minutes after the first errors because its window was fifteen minutes long.",
	"The migration locked the orders table for four minutes.",
	"The runbook did not mention that the second region needs its own restart.",
	"Latency rose when the cache failed over to the standby node.",
	"The certificate expired because the renewal job had been disabled during the March migration.",
	"The on-call engineer restarted the service, as the runbook said to do.",
	"At the time, the graph showed normal traffic, so a bad deploy seemed the likeliest cause.",
	"Just after 14:00 traffic doubled as a marketing email went out.",
	"Nobody was at fault; the retry storm came from two defaults that interacted badly.",
	"We added a canary stage that holds each deploy for ten minutes.",
	"The config change was reviewed and approved by two people.",
	"The load balancer kept sending traffic to the draining pods.",
	"Li and Ada pair on the follow-up action items.",
	"The feature flag defaulted to on in the new environment.",
	"The backup restored cleanly in 38 minutes, within our objective.",
	"We got lucky: the incident started ten minutes before the on-call handover, so two people were awake.",
	"The deploy pipeline has no check for how long a migration holds a lock.",
	"Customers in Europe saw errors on checkout for 23 minutes.",
	"The service discovery cache kept stale entries for up to five minutes.",
	"Grace Hopper wrote the first draft of this review.",
	"The dashboard for the queue lives in a folder that the on-call rotation does not use.",
	"Two alerts fired at once, and the louder one pointed at the wrong service.",
	"The team decided to pause deploys until the root cause was understood.",
	"Bob's analysis of the logs found the first failing request.",
	"The rollback took eleven minutes because the previous image had been garbage-collected.",
	"Ada asked in the channel whether anyone had changed the DNS records.",
	"The error budget for the month was spent by the 20th.",
	"We will add a test that runs the migration against a production-sized table.",
	"The incident commander handed over to Will Turner at 16:00.",
	"The TLS library failed to load the new intermediate certificate.",
	"No one is to blame for the gap in the runbook; it predates the current team.",
	"Every tier-1 service should have an owner and a tested runbook.",
	"Next quarter we could have a second region ready for failover.",
}

func TestBlamelessFalsePositiveRate(t *testing.T) {
	if len(neutralSentences) < 40 {
		t.Fatalf("only %d neutral sentences", len(neutralSentences))
	}
	flagged := 0
	for _, s := range neutralSentences {
		if h := models.BlamelessHints(s, team); len(h) > 0 {
			flagged++
			t.Logf("false positive: %q → %q (%s)", s, h[0].Phrase, h[0].Kind)
		}
	}
	rate := float64(flagged) / float64(len(neutralSentences))
	t.Logf("false positives: %d of %d neutral sentences (%.1f%%)", flagged, len(neutralSentences), 100*rate)
	// Keep it low: a hint that cries wolf gets ignored.
	if rate > 0.05 {
		t.Fatalf("false-positive rate %.1f%% is above 5%%", 100*rate)
	}
}

func TestBlamelessFindsCounterfactualsJudgementsAndBlame(t *testing.T) {
	cases := []struct {
		text, phrase, kind string
	}{
		{"We should have rolled back sooner.", "should have", models.HintCounterfactual},
		{"The team shouldn't have deployed on a Friday.", "shouldn't have", models.HintCounterfactual},
		{"Someone should’ve noticed the disk filling up.", "should’ve", models.HintCounterfactual},
		{"They could have caught it in review.", "could have", models.HintCounterfactual},
		{"The alert should have fired at 14:00.", "should have", models.HintCounterfactual},
		{"We ought to have tested the restore.", "ought to have", models.HintCounterfactual},
		{"If only we had a canary stage.", "If only", models.HintCounterfactual},
		{"The on-call engineer failed to check the dashboard.", "failed to", models.HintJudgement},
		{"We then failed to notice the second alert.", "failed to", models.HintJudgement},
		{"Root cause: human error.", "human error", models.HintJudgement},
		{"This was a careless change to the firewall rules.", "careless", models.HintJudgement},
		{"The review was sloppy.", "sloppy", models.HintJudgement},
		{"Obviously the config was wrong.", "Obviously", models.HintJudgement},
		{"In hindsight it is obvious that the disk was full.", "obvious", models.HintJudgement},
		{"He just needed to restart the pod.", "just needed to", models.HintMinimising},
		{"All they had to do was read the runbook.", "All they had to do", models.HintMinimising},
		{"Ada broke the deploy pipeline.", "Ada broke", models.HintBlame},
		{"Bob Kahn forgot to renew the certificate.", "Bob Kahn forgot", models.HintBlame},
		{"Grace didn't run the migration script.", "Grace didn't", models.HintBlame},
		{"It was Ada's mistake that took the API down.", "Ada's mistake", models.HintBlame},
		{"The outage was caused by Bob.", "caused by Bob", models.HintBlame},
		{"Will Turner ignored the alert.", "Will Turner ignored", models.HintBlame},
		{"It was her fault the page went unanswered.", "her fault", models.HintBlame},
		{"Li caused the outage.", "Li caused", models.HintBlame},
	}
	for _, c := range cases {
		h := models.BlamelessHints(c.text, team)
		if len(h) == 0 {
			t.Errorf("%q: no hint, want %q", c.text, c.phrase)
			continue
		}
		if h[0].Phrase != c.phrase || h[0].Kind != c.kind {
			t.Errorf("%q: hint %q (%s), want %q (%s)", c.text, h[0].Phrase, h[0].Kind, c.phrase, c.kind)
		}
		if c.text[h[0].Start:h[0].End] != h[0].Phrase || h[0].Why == "" || h[0].Suggest == "" {
			t.Errorf("%q: bad hint %+v", c.text, h[0])
		}
	}
}

func TestBlamelessHintsAreOrderedAndDoNotOverlap(t *testing.T) {
	text := "Obviously Ada broke it. She should have known; if only she had been less careless."
	h := models.BlamelessHints(text, team)
	var phrases []string
	for _, x := range h {
		phrases = append(phrases, x.Phrase)
	}
	want := []string{"Obviously", "Ada broke", "should have", "if only", "careless"}
	if strings.Join(phrases, "|") != strings.Join(want, "|") {
		t.Fatalf("phrases %q, want %q", phrases, want)
	}
	// Without names, a person is not recognised as the cause.
	if h := models.BlamelessHints("Ada broke it.", nil); len(h) != 0 {
		t.Fatalf("hints without names: %+v", h)
	}
	// Names are case-sensitive: "will" is not Will.
	if h := models.BlamelessHints("the canary will break the build", team); len(h) != 0 {
		t.Fatalf("hints: %+v", h)
	}
}

// FuzzBlameless: any text, any names; hints stay inside the text, in
// order, without overlap, each with its explanation.
func FuzzBlameless(f *testing.F) {
	for _, s := range append(neutralSentences[:5], "Ada broke it and should have known", "obviously\xff human error", "") {
		f.Add(s, "Ada Lovelace")
	}
	f.Add("(?i) [ broke", "[")
	f.Fuzz(func(t *testing.T, text, name string) {
		h := models.BlamelessHints(text, []string{name, "Bob Kahn"})
		valid := text
		if !utf8.ValidString(text) {
			valid = strings.ToValidUTF8(text, "\uFFFD")
		}
		end := 0
		for _, x := range h {
			if x.Start < end || x.End <= x.Start || x.End > len(valid) {
				t.Fatalf("bad span %d-%d (previous end %d, text %d bytes)", x.Start, x.End, end, len(valid))
			}
			if valid[x.Start:x.End] != x.Phrase || x.Why == "" || x.Suggest == "" || x.Kind == "" {
				t.Fatalf("bad hint %+v", x)
			}
			end = x.End
		}
	})
}

func BenchmarkBlamelessHints(b *testing.B) {
	text := strings.Repeat(strings.Join(neutralSentences, " "), 5)
	for b.Loop() {
		models.BlamelessHints(text, team)
	}
}
