package importing_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/importing"
)

var ctx = context.Background()

// cloudCSV is the public cloud post-mortems (models/testdata, shared with
// the insight tests).
func cloudCSV(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/cloud_incidents.csv")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// cloudMapping is the mapping docs/ ships for cloudCSV.
func cloudMapping(t testing.TB) *importing.Mapping {
	t.Helper()
	src, err := os.ReadFile("../../docs/mappings/cloud_incidents.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := importing.ParseMapping(src)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func countIncidents(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	n, err := models.CountIncidents(ctx, db, models.IncidentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportSharedCloudCSV imports the 356 shared post-mortems with the
// mapping shipped in docs/, then imports them again: nothing changes.
func TestImportSharedCloudCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := cloudMapping(t)
		actor := models.SystemActor("test")
		var calls, last int
		rep, err := importing.Run(ctx, db, actor, m, cloudCSV(t), importing.Options{
			Filename: "cloud_incidents.csv", Progress: func(done, total int) { calls++; last = done },
		})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Total != 356 || rep.Created != 356 || rep.Updated != 0 {
			t.Fatalf("report %+v %v", rep, rep.Errors)
		}
		if n := countIncidents(t, db); n != 356 {
			t.Fatalf("%d incidents stored, want 356", n)
		}
		if calls == 0 || last != 356 {
			t.Errorf("progress: %d calls, last %d", calls, last)
		}
		if strings.Join(rep.ComponentsCreated, ",") != "aws,azure,google-cloud" {
			t.Errorf("components created %v", rep.ComponentsCreated)
		}
		// One row, checked field by field.
		aws2, err := models.GetIncidentByExternal(ctx, db, "cloud-postmortems", "aws-2")
		if err != nil {
			t.Fatal(err)
		}
		if !aws2.StartedAt.Equal(time.Date(2011, 4, 29, 0, 0, 0, 0, time.UTC)) || aws2.ResolvedAt == nil ||
			aws2.ResolvedAt.Sub(aws2.StartedAt) != 1768*time.Minute || aws2.Status != models.StatusResolved {
			t.Errorf("aws-2 times %v %v %s", aws2.StartedAt, aws2.ResolvedAt, aws2.Status)
		}
		if aws2.Severity != nil || len(aws2.Components) != 1 || aws2.Components[0].Name != "AWS" {
			t.Errorf("aws-2 severity %v components %v", aws2.Severity, aws2.Components)
		}
		if tags := strings.Join(aws2.TagNames(), ","); tags != "availability,external causes,insufficient resource,internal causes,performance,software bugs" {
			t.Errorf("aws-2 tags %s", tags)
		}
		if !strings.Contains(aws2.Impact, "EBS control plane") || !strings.Contains(aws2.Summary, "**Mitigation:** disable all control APIs") {
			t.Errorf("aws-2 impact %q summary %q", aws2.Impact, aws2.Summary)
		}
		if len(aws2.Links) != 1 || aws2.Links[0].URL != "https://aws.amazon.com/cn/message/65648/" {
			t.Errorf("aws-2 links %v", aws2.Links)
		}
		// Both reports that share an ID are kept.
		for _, id := range []string{"azure-20180904-1", "azure-20180904-1#2"} {
			if _, err := models.GetIncidentByExternal(ctx, db, "cloud-postmortems", id); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}
		// Rows without a duration have no resolved time: undefined, not zero.
		var unresolved int64
		db.Model(&models.Incident{}).Where("resolved_at IS NULL").Count(&unresolved)
		if unresolved != 2 {
			t.Errorf("%d incidents without resolved time, want 2", unresolved)
		}
		perProvider := map[string]int64{}
		for _, slug := range []string{"aws", "azure", "google-cloud"} {
			c, err := models.GetComponentBySlug(ctx, db, slug)
			if err != nil {
				t.Fatal(err)
			}
			perProvider[slug], _ = models.CountIncidents(ctx, db, models.IncidentFilter{ComponentIDs: []int64{c.ID}})
		}
		if perProvider["aws"] != 14 || perProvider["azure"] != 243 || perProvider["google-cloud"] != 99 {
			t.Errorf("per provider %v", perProvider)
		}
		n, _ := models.CountIncidents(ctx, db, models.IncidentFilter{Tags: []string{"human factors"}})
		if n != 27 {
			t.Errorf("%d incidents tagged human factors, want 27", n)
		}

		// The second import changes nothing.
		var before []models.Incident
		db.Order("id").Find(&before)
		audits, _ := models.ListAudit(ctx, db, models.AuditFilter{Limit: 500})
		rep, err = importing.Run(ctx, db, actor, m, cloudCSV(t), importing.Options{Filename: "cloud_incidents.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 356 || rep.Rejected != 0 || len(rep.ComponentsCreated) != 0 {
			t.Fatalf("second import %+v", rep)
		}
		var after []models.Incident
		db.Order("id").Find(&after)
		if len(after) != len(before) {
			t.Fatalf("%d incidents after the second import", len(after))
		}
		for i := range after {
			if after[i].Version != before[i].Version || !after[i].UpdatedAt.Equal(before[i].UpdatedAt) {
				t.Fatalf("%s changed: version %d → %d", after[i].Key(), before[i].Version, after[i].Version)
			}
		}
		if again, _ := models.ListAudit(ctx, db, models.AuditFilter{Limit: 500}); len(again) != len(audits) {
			t.Errorf("the second import wrote %d audit entries", len(again)-len(audits))
		}

		// A corrected row updates its incident, nothing else.
		edited := bytes.Replace(cloudCSV(t), []byte("Summary of the AWS Service Event in the Sydney Region"), []byte("AWS Sydney power event"), 1)
		rep, err = importing.Run(ctx, db, actor, m, edited, importing.Options{Filename: "cloud_incidents.csv"})
		if err != nil || rep.Updated != 1 || rep.Unchanged != 355 {
			t.Fatalf("edited import %+v %v", rep, err)
		}
		aws1, _ := models.GetIncidentByExternal(ctx, db, "cloud-postmortems", "aws-1")
		if aws1.Title != "AWS Sydney power event" || aws1.Version != 2 {
			t.Errorf("aws-1 after update: %q v%d", aws1.Title, aws1.Version)
		}
	})
}

// TestImportWithOneBadRowImportsNothing: all or nothing, and the report
// names the row.
func TestImportWithOneBadRowImportsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		bad := bytes.Replace(cloudCSV(t), []byte("aws-3,AWS,2012-06-29,"), []byte("aws-3,AWS,29/06/2012,"), 1)
		rep, err := importing.Run(ctx, db, models.SystemActor("test"), cloudMapping(t), bad, importing.Options{Filename: "x.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK() || rep.Rejected != 1 || len(rep.Errors) != 1 {
			t.Fatalf("report %+v", rep)
		}
		e := rep.Errors[0]
		if e.Line != 4 || e.ExternalID != "aws-3" || e.Field != "started_at" || !strings.Contains(e.Message, "29/06/2012") {
			t.Errorf("error %+v", e)
		}
		if n := countIncidents(t, db); n != 0 {
			t.Fatalf("%d incidents stored from a rejected file", n)
		}
		var comps int64
		db.Model(&models.Component{}).Count(&comps)
		if comps != 0 {
			t.Errorf("%d components created by a rejected import", comps)
		}
	})
}
