package insights_test

import (
	"context"
	"os"
	"testing"

	"github.com/debrief-sre/debrief/models/importing"
)

// ctx is the context of the insight tests.
var ctx = context.Background()

// cloudCSV is the public cloud post-mortems in models/testdata.
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
