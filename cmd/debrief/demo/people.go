package demo

import (
	"github.com/debrief-sre/debrief/models"
)

// person is one demo user; handle is how the seeder refers to them.
type person struct {
	handle, name, email string
	role                models.Role
	zone, about         string
}

// The organisation: Northwind, an online shop with a platform group.
var people = []person{
	{"dana", "Dana Whitfield", "dana@northwind.example", models.RoleAdmin, "Europe/Berlin", "Head of SRE; admin"},
	{"priya", "Priya Raman", "priya@northwind.example", models.RoleFacilitator, "Europe/Berlin", "SRE lead; runs reviews and retros"},
	{"marcus", "Marcus Chen", "marcus@northwind.example", models.RoleMember, "Europe/London", "Payments engineer"},
	{"sofia", "Sofia Alvarez", "sofia@northwind.example", models.RoleMember, "Europe/Madrid", "Data platform engineer"},
	{"tom", "Tom Becker", "tom@northwind.example", models.RoleMember, "Europe/Berlin", "Network and edge engineer"},
	{"amara", "Amara Okafor", "amara@northwind.example", models.RoleFacilitator, "Africa/Lagos", "Engineering manager, payments and data"},
	{"kenji", "Kenji Sato", "kenji@northwind.example", models.RoleMember, "Asia/Tokyo", "Platform engineer (Kubernetes)"},
	{"lena", "Lena Novak", "lena@northwind.example", models.RoleMember, "Europe/Warsaw", "Developer experience engineer"},
	{"jonas", "Jonas Weber", "jonas@northwind.example", models.RoleViewer, "Europe/Berlin", "Product director; reads everything"},
}

type teamDef struct {
	name, slug        string
	members, managers []string // handles
}

var teams = []teamDef{
	{"Platform", "platform", []string{"kenji", "priya", "dana"}, []string{"dana"}},
	{"Payments", "payments", []string{"marcus", "amara"}, []string{"amara"}},
	{"Data", "data", []string{"sofia", "amara"}, []string{"amara"}},
	{"Edge & Network", "edge", []string{"tom", "priya"}, []string{"dana"}},
	{"Developer Experience", "devex", []string{"lena"}, []string{"dana"}},
}

type componentDef struct {
	name, slug, team string
	tier             int
	tags             []string
	description      string
	// weight is the share of the organisation's incidents it has.
	weight float64
}

var componentDefs = []componentDef{
	{"Checkout API", "checkout-api", "payments", 1, []string{"customer-facing", "go"}, "Takes orders and payments from the web shop and the apps.", 18},
	{"Payments ledger", "payments-ledger", "payments", 1, []string{"customer-facing", "postgres"}, "Double-entry ledger of every payment and refund.", 6},
	{"Postgres fleet", "postgres-fleet", "data", 1, []string{"database", "postgres"}, "The shared PostgreSQL clusters (primary + two replicas each) behind most services.", 15},
	{"Kafka", "kafka", "data", 2, []string{"streaming"}, "Event streaming between services; order and stock events.", 10},
	{"Search", "search", "data", 3, []string{"customer-facing", "elasticsearch"}, "Product search and suggestions.", 5},
	{"Edge proxy", "edge-proxy", "edge", 1, []string{"customer-facing", "network"}, "TLS termination, routing and rate limits in front of every public service.", 12},
	{"DNS", "dns", "edge", 1, []string{"network"}, "Authoritative and internal DNS.", 6},
	{"Kubernetes platform", "kubernetes", "platform", 1, []string{"compute"}, "The three production Kubernetes clusters and their add-ons.", 14},
	{"Object storage", "object-storage", "platform", 2, []string{"storage"}, "S3-compatible storage for images, exports and backups.", 6},
	{"Build pipeline", "build-pipeline", "devex", 2, []string{"ci"}, "CI runners, artifact registry and the deploy tool.", 8},
}

func (s *seeder) people() error {
	for _, p := range people {
		u, err := models.CreateUser(s.ctx, s.db, models.SystemActor("demo"), models.NewUser{
			Email: p.email, Name: p.name, Role: p.role, TimeZone: p.zone, Password: s.opt.Password,
		}, true)
		if err != nil {
			return err
		}
		s.users[p.handle] = u
		s.res.Credentials = append(s.res.Credentials, Credential{Name: p.name, Email: p.email, Role: string(p.role), Password: s.opt.Password, About: p.about})
	}
	s.res.Users = len(people)
	emails := func(handles []string) []string {
		var out []string
		for _, h := range handles {
			out = append(out, s.users[h].Email)
		}
		return out
	}
	for _, t := range teams {
		tm, err := models.CreateTeam(s.ctx, s.db, s.actor("dana"), models.NewTeam{Name: t.name, Slug: t.slug, Members: emails(t.members), Managers: emails(t.managers)})
		if err != nil {
			return err
		}
		s.teams[t.slug] = tm
	}
	s.res.Teams = len(teams)
	sevs, err := models.ListSeverities(s.ctx, s.db)
	if err != nil {
		return err
	}
	for i := range sevs {
		s.sevs[sevs[i].Name] = &sevs[i]
	}
	return nil
}

func (s *seeder) components() error {
	for _, c := range componentDefs {
		comp, err := models.CreateComponent(s.ctx, s.db, s.actor("priya"), models.ComponentInput{
			Name: c.name, Slug: c.slug, Team: c.team, Tier: c.tier, Description: c.description, Tags: c.tags,
			Links: []models.Link{
				{Title: "Dashboard", URL: "https://grafana.northwind.example/d/" + c.slug, Kind: "dashboard"},
				{Title: "Runbook", URL: "https://wiki.northwind.example/runbooks/" + c.slug, Kind: "runbook"},
			},
		})
		if err != nil {
			return err
		}
		s.comps[c.slug] = comp
	}
	s.res.Components = len(componentDefs)
	return nil
}
