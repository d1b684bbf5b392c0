package demo

import (
	"fmt"
	"time"

	"github.com/debrief-sre/debrief/models"
)

// sectionText is what the demo writes in each section of the default
// postmortem template, in blameless language.
func (s *seeder) sectionText(key string, inc *models.Incident, comp componentDef) string {
	mitigated := "a rollback"
	if inc.MitigatedAt != nil {
		mitigated = "a rollback " + models.UTC(*inc.MitigatedAt).Sub(inc.StartedAt).Round(time.Minute).String() + " after it began"
	}
	switch key {
	case "summary":
		return fmt.Sprintf("%s. %s was degraded until %s restored normal service. %s", inc.Title, comp.name, mitigated, firstLine(inc.Impact))
	case "impact":
		return inc.Impact + "\n\nMeasured from the load balancer's error rate and the checkout conversion dashboard."
	case "timeline":
		return "The first symptom was a slow rise in errors that looked like the usual evening noise. The alert fired on the error budget burn; " +
			"the on-call engineer opened the runbook, saw the recent change in the deploy log and, after checking that the change could be rolled back " +
			"safely, rolled it back. Errors fell within minutes; we watched for an hour before resolving."
	case "contributing_factors":
		return "- The change had passed staging, where traffic has a different shape.\n- The dashboard that showed saturation was not linked from the alert.\n" +
			"- Retries in two callers multiplied the load while the component was slow."
	case "went_well":
		return "- The symptom alert fired within minutes.\n- The rollback was one command and worked the first time.\n- Status page updates went out every 15 minutes."
	case "was_hard":
		return "- The alert did not link to the right dashboard.\n- It took a while to see which of two recent changes mattered."
	case "lucky":
		return "The incident started outside the evening traffic peak; at peak the same change would have hit three times as many customers."
	case "lessons":
		return "Staging does not show how the system behaves under production traffic; our safety comes from small changes, fast rollback and symptom alerts."
	case "supporting":
		return fmt.Sprintf("- [Incident channel](https://chat.northwind.example/archives/%s)\n- [Dashboard](https://grafana.northwind.example/d/%s)", inc.Key(), comp.slug)
	}
	return "See the incident timeline."
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
