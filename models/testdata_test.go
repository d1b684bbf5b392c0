package models_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/importing"
)

// cloudCSV is the public cloud post-mortems in testdata (the import tests
// in models/importing read it too).
func cloudCSV(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/cloud_incidents.csv")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// cloudMapping is the mapping docs/ ships for cloudCSV.
func cloudMapping(t testing.TB) *importing.Mapping {
	t.Helper()
	src, err := os.ReadFile("../docs/mappings/cloud_incidents.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := importing.ParseMapping(src)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTestdataMatchesSharedCSV keeps the copy in testdata equal to the
// shared data set when a checkout has it beside the repository.
func TestTestdataMatchesSharedCSV(t *testing.T) {
	shared, err := os.ReadFile(filepath.Join("..", "..", "shared", "data", "cloud_incidents.csv"))
	if err != nil {
		t.Logf("no shared/ beside the repository (%v): testdata is the reference", err)
		return
	}
	if !bytes.Equal(shared, cloudCSV(t)) {
		t.Fatal("models/testdata/cloud_incidents.csv differs from shared/data/cloud_incidents.csv: copy it again")
	}
}

// fuzzDB is one database for a fuzz target.
func fuzzDB(f *testing.F) *gorm.DB { return dbtest.New(f, models.DialectSQLite) }
