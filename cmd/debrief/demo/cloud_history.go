package demo

import (
	"fmt"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/importing"
)

// cloudHistory imports the public cloud post-mortems (2011–2021) as the
// history of three upstream providers, exactly as
// `debrief import incidents --mapping docs/mappings/cloud_incidents.yaml`
// would.
func (s *seeder) cloudHistory() error {
	m, err := importing.ParseMapping(CloudMapping)
	if err != nil {
		return err
	}
	rep, err := importing.Run(s.ctx, s.db, models.SystemActor("demo: public cloud post-mortems"), m, CloudCSV,
		importing.Options{Filename: "cloud_incidents.csv"})
	if err != nil {
		return err
	}
	if !rep.OK() {
		return fmt.Errorf("the cloud post-mortems did not import: %v", rep.Errors)
	}
	s.res.CloudIncidents = rep.Created
	// The providers the import created are upstream dependencies the
	// platform team looks after.
	for _, slug := range []string{"aws", "azure", "google-cloud"} {
		c, err := models.GetComponentBySlug(s.ctx, s.db, slug)
		if err != nil {
			return err
		}
		in := models.ComponentInput{Name: c.Name, Slug: c.Slug, Team: "platform", Tier: 3, Tags: []string{"upstream", "cloud-provider"},
			Description: c.Name + " as an upstream provider. Its incidents here are the public post-mortems " +
				"of 2011–2021 (ISSRE 2022 collection, MIT licence), imported as history.",
			Links: []models.Link{}, ReviewIntervalDays: 365}
		if _, err := models.UpdateComponent(s.ctx, s.db, s.actor("priya"), c.ID, c.Version, in); err != nil {
			return err
		}
	}
	return nil
}
