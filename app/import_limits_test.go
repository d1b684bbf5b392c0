package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/importing"
)

// TestImportRefusesOverSizeUpload: a file over importing.MaxFileBytes,
// posted through the real router by a member, is refused with 413 and a
// message saying the limit; nothing is stored.
func TestImportRefusesOverSizeUpload(t *testing.T) {
	db := dbtest.New(t, models.DialectSQLite)
	env := apptest.New(t, db)
	c, _ := env.As(models.RoleMember)
	row := "K-1,an incident,resolved,2024-01-01\n"
	data := []byte("key,title,status,started_at\n" + strings.Repeat(row, importing.MaxFileBytes/len(row)+1))
	doc := upload(t, c, "big.csv", data, importing.DefaultMappingYAML).Expect(t, http.StatusRequestEntityTooLarge).Doc(t)
	msg := doc.Find(apptest.TestID("error-file")).Text()
	if !strings.Contains(msg, "at most 20 MB") || !strings.Contains(msg, "big.csv") {
		t.Errorf("the refusal does not say the limit: %q", msg)
	}
	var n int64
	if err := db.Model(&importing.Job{}).Count(&n).Error; err != nil || n != 0 {
		t.Errorf("%d imports stored (%v)", n, err)
	}
	// Far over the limit, the body limit answers 413 before the form is read.
	upload(t, c, "huge.csv", append(data, data...), importing.DefaultMappingYAML).Expect(t, http.StatusRequestEntityTooLarge)
	if err := db.Model(&importing.Job{}).Count(&n).Error; err != nil || n != 0 {
		t.Errorf("%d imports stored (%v)", n, err)
	}
	// A file within the limit is read and previewed.
	upload(t, c, "small.csv", data[:len(data)-len(row)*(len(data)/len(row)-10)], importing.DefaultMappingYAML).Expect(t, http.StatusSeeOther)
}
