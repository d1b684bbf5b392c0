package demo

import (
	"math"
	"time"
)

var incidentTitles = map[string][]string{
	"checkout-api":    {"Checkout returns 502 for part of the requests", "Payment form times out after a deploy", "Card payments declined by a fraud-check rule", "Checkout p99 latency above 4 s", "Orders accepted twice after client retries"},
	"payments-ledger": {"Ledger writes lag behind payments", "Refunds stuck in pending", "Duplicate ledger entries after a retry storm"},
	"postgres-fleet":  {"Primary failover on the orders cluster", "Replication lag on the reporting replica", "Connection pool exhausted on the shared cluster", "Disk full on db-orders-2", "Autovacuum falls behind; bloat slows queries"},
	"kafka":           {"Consumer lag on order-events", "Broker disk at 95 %", "Schema registry unavailable", "Partition leader elections after a broker restart"},
	"search":          {"Search returns no results for some categories", "Index rebuild overloads the search cluster"},
	"edge-proxy":      {"Elevated 503s from the edge", "TLS certificate expired on api.northwind.example", "Rate limiter blocks legitimate app traffic", "Config push breaks routing for /account"},
	"dns":             {"Internal DNS resolution timeouts", "Wrong record served after a zone change"},
	"kubernetes":      {"Node pool scale-up fails", "Pods evicted under memory pressure", "CoreDNS overloaded in the eu-1 cluster", "Ingress controller in a crash loop"},
	"object-storage":  {"Image uploads fail with 500", "Backups to object storage run for hours"},
	"build-pipeline":  {"CI runners unavailable; deploys blocked", "Artifact registry out of space", "Deploy tool rolls out to every region at once"},
}

var componentTags = map[string][]string{
	"checkout-api":    {"deploy", "config change", "dependency", "capacity"},
	"payments-ledger": {"database", "dependency", "retry storm"},
	"postgres-fleet":  {"database", "capacity", "failover", "maintenance"},
	"kafka":           {"capacity", "streaming", "maintenance"},
	"search":          {"capacity", "deploy"},
	"edge-proxy":      {"network", "certificate", "config change", "deploy"},
	"dns":             {"network", "config change"},
	"kubernetes":      {"capacity", "upgrade", "config change"},
	"object-storage":  {"storage", "capacity", "dependency"},
	"build-pipeline":  {"ci", "capacity", "deploy"},
}

// sevDef is a severity's share of incidents and typical time to mitigate.
type sevDef struct {
	name     string
	weight   float64
	mitigate time.Duration // median
}

// severityMix is how often each severity occurs.
var severityMix = []sevDef{
	{"SEV1", 6, 40 * time.Minute}, {"SEV2", 20, 90 * time.Minute}, {"SEV3", 44, 3 * time.Hour}, {"SEV4", 30, 6 * time.Hour},
}

// lognormal draws a duration with the given median and spread.
func (s *seeder) lognormal(median time.Duration, sigma float64) time.Duration {
	return time.Duration(float64(median) * math.Exp(sigma*s.r.NormFloat64())).Round(time.Second)
}

// startTime draws a start in the organisation's home zone: fewer incidents
// at weekends (fewer changes) and more in working hours.
func (s *seeder) startTime(from, to time.Time) time.Time {
	for {
		t := from.Add(time.Duration(s.r.Int64N(int64(to.Sub(from))))).In(s.home)
		wd := t.Weekday()
		dayWeight := map[time.Weekday]float64{time.Monday: 0.95, time.Tuesday: 1, time.Wednesday: 1, time.Thursday: 0.95, time.Friday: 0.85, time.Saturday: 0.4, time.Sunday: 0.35}[wd]
		hourWeight := 0.35
		if h := t.Hour(); h >= 9 && h < 18 {
			hourWeight = 1
		} else if h >= 7 && h < 22 {
			hourWeight = 0.6
		}
		if s.r.Float64() < dayWeight*hourWeight {
			return t.UTC().Truncate(time.Second)
		}
	}
}
