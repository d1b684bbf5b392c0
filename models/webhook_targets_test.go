package models_test

import (
	"context"
	"net/netip"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestPrivateAddress(t *testing.T) {
	private := []string{"127.0.0.1", "127.9.9.9", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
		"fe80::1", "fc00::1", "fd12:3456::1", "0.0.0.0", "::", "100.100.100.200", "224.0.0.1", "255.255.255.255",
		"::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "0.1.2.3"}
	public := []string{"1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "64:ff9b::808:808"}
	for _, s := range private {
		if !models.PrivateAddress(netip.MustParseAddr(s)) {
			t.Errorf("%s counted as public", s)
		}
	}
	for _, s := range public {
		if models.PrivateAddress(netip.MustParseAddr(s)) {
			t.Errorf("%s counted as private", s)
		}
	}
}

// TestWebhookTargetsOnPrivateNetworksRefused: an admin (or whoever took
// over an admin session) points a team's webhook at the cloud metadata
// service or at Debrief's own host.
func TestWebhookTargetsOnPrivateNetworksRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		sys := models.SystemActor("test")
		team, err := models.CreateTeam(ctx, db, sys, models.NewTeam{Name: "Ops", Slug: "ops"})
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range []string{
			"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
			"http://127.0.0.1:8080/admin",
			"http://[::1]/",
			"http://10.0.0.5/hook",
			"http://0.0.0.0:5432/",
			"http://localhost:9090/",
			"http://metadata.localhost/",
			"http://[::ffff:169.254.169.254]/",
		} {
			_, err := models.SetTeamTargets(ctx, db, sys, team.ID, models.TeamTargets{SlackWebhookURL: target, WebhookURL: target})
			ve, ok := models.AsValidation(err)
			if !ok || ve.Fields["slack_webhook_url"] == "" || ve.Fields["webhook_url"] == "" {
				t.Errorf("%s accepted: %v", target, err)
			}
		}
		// The admin's opt-in lets private receivers through.
		if _, err := models.SetTeamTargets(ctx, db, sys, team.ID, models.TeamTargets{WebhookURL: "http://10.0.0.5/hook", AllowPrivate: true}); err != nil {
			t.Fatalf("with AllowPrivate: %v", err)
		}
	})
}
