package importing

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// catalog holds the catalog tables rows refer to by name.
type catalog struct {
	severities map[string]*models.Severity // lower name
	teams      map[string]int64            // slug
	users      map[string]int64            // lower email
	comps      map[string]int64            // slug and lower name
	compNames  map[int64]string            // id → slug
	newComps   map[string]int64            // slug → placeholder (negative) ID
	newNames   map[string]string           // slug → name
}

func loadCatalog(ctx context.Context, db *gorm.DB) (*catalog, error) {
	l := &catalog{severities: map[string]*models.Severity{}, teams: map[string]int64{}, users: map[string]int64{},
		comps: map[string]int64{}, compNames: map[int64]string{}, newComps: map[string]int64{}, newNames: map[string]string{}}
	sevs, err := models.ListSeverities(ctx, db)
	if err != nil {
		return nil, err
	}
	for i := range sevs {
		l.severities[strings.ToLower(sevs[i].Name)] = &sevs[i]
	}
	teams, err := models.ListTeams(ctx, db)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		l.teams[t.Slug] = t.ID
	}
	var users []models.User
	if err := db.WithContext(ctx).Select("id", "email").Find(&users).Error; err != nil {
		return nil, err
	}
	for _, u := range users {
		l.users[strings.ToLower(u.Email)] = u.ID
	}
	var comps []models.Component
	if err := db.WithContext(ctx).Select("id", "name", "slug").Find(&comps).Error; err != nil {
		return nil, err
	}
	for _, c := range comps {
		l.comps[c.Slug] = c.ID
		l.comps[strings.ToLower(c.Name)] = c.ID
		l.compNames[c.ID] = c.Slug
	}
	return l, nil
}

// component finds a component by slug or name, or plans a new one.
func (l *catalog) component(ref string, create bool) (int64, bool) {
	ref = strings.TrimSpace(ref)
	if id, ok := l.comps[strings.ToLower(ref)]; ok {
		return id, true
	}
	if id, ok := l.comps[ref]; ok {
		return id, true
	}
	slug := models.Slugify(ref)
	if id, ok := l.comps[slug]; ok {
		return id, true
	}
	if !create || slug == "" {
		return 0, false
	}
	if id, ok := l.newComps[slug]; ok {
		return id, true
	}
	id := -int64(len(l.newComps) + 1)
	l.newComps[slug] = id
	l.newNames[slug] = models.CleanLine(ref)
	l.compNames[id] = slug
	return id, true
}
