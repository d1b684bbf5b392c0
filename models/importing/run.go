package importing

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// Options tune Run.
type Options struct {
	Filename string
	// DryRun checks and previews without writing anything.
	DryRun bool
	// PreviewRows is how many rows the report previews (default 20).
	PreviewRows int
	// Progress is called as rows are written (done of total).
	Progress func(done, total int)
}

// RowError is a problem with one row.
type RowError struct {
	Line       int    `json:"line"`
	ExternalID string `json:"external_id,omitempty"`
	Field      string `json:"field,omitempty"`
	Message    string `json:"message"`
}

func (e RowError) String() string {
	s := "row at line " + strconv.Itoa(e.Line)
	if e.ExternalID != "" {
		s += " (" + e.ExternalID + ")"
	}
	if e.Field != "" {
		s += ", " + e.Field
	}
	return s + ": " + e.Message
}

// RowPreview is one row as it will be stored.
type RowPreview struct {
	Line       int        `json:"line"`
	Action     string     `json:"action"` // create, update, unchanged, reject
	Key        string     `json:"key,omitempty"`
	ExternalID string     `json:"external_id"`
	Title      string     `json:"title"`
	Severity   string     `json:"severity"`
	Status     string     `json:"status"`
	StartedAt  *time.Time `json:"started_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
	Components []string   `json:"components"`
	Tags       []string   `json:"tags"`
	Errors     []RowError `json:"errors,omitempty"`
}

// Report says what an import did (or, dry, would do).
type Report struct {
	Format            string       `json:"format"`
	DryRun            bool         `json:"dry_run"`
	Total             int          `json:"total"`
	Created           int          `json:"created"`
	Updated           int          `json:"updated"`
	Unchanged         int          `json:"unchanged"`
	Rejected          int          `json:"rejected"`
	ComponentsCreated []string     `json:"components_created"`
	Errors            []RowError   `json:"errors"`
	Warnings          []string     `json:"warnings"`
	Preview           []RowPreview `json:"preview"`
}

// OK reports whether every row can be imported.
func (r *Report) OK() bool { return r.Rejected == 0 }

// mappedRow is one record mapped to incident values.
type mappedRow struct {
	line       int
	externalID string
	set        map[string]bool
	in         models.IncidentInput
	compRefs   []string
	severity   string
	errs       []RowError
	existing   *models.Incident
	action     string
}

func (r *mappedRow) fail(field, msg string) {
	r.errs = append(r.errs, RowError{Line: r.line, ExternalID: r.externalID, Field: field, Message: msg})
}

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

// value reads a field spec from a record ("" when empty).
func (m *Mapping) value(spec *FieldSpec, rec record) string {
	var v string
	switch {
	case spec.Value != nil:
		v = *spec.Value
	case spec.Template != "":
		v = templateRE.ReplaceAllStringFunc(spec.Template, func(s string) string { return rec.get(s[1 : len(s)-1]) })
		v = strings.TrimSpace(v)
	default:
		v = strings.TrimSpace(rec.get(spec.Column))
	}
	v = models.UnCSVSafe(v)
	if spec.Map != nil {
		if mapped, ok := lookupMap(spec.Map, v); ok {
			v = mapped
		}
	}
	if v == "" {
		v = spec.Default
	}
	return v
}

// lookupMap finds v in a mapping's map, exactly or else ignoring case.
func lookupMap(m map[string]string, v string) (string, bool) {
	if x, ok := m[v]; ok {
		return x, true
	}
	for k, x := range m {
		if strings.EqualFold(k, v) {
			return x, true
		}
	}
	return "", false
}

// parseTime reads a time with the field's or the mapping's formats.
func (m *Mapping) parseTime(spec *FieldSpec, v string) (time.Time, bool) {
	layouts := m.layouts
	if len(spec.layouts) > 0 {
		layouts = spec.layouts
	}
	for _, l := range layouts {
		switch l {
		case "rfc3339":
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				return t, true
			}
		case "unix", "unix_ms":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				continue
			}
			if l == "unix_ms" {
				return time.UnixMilli(n), true
			}
			return time.Unix(n, 0), true
		default:
			if t, err := time.ParseInLocation(l, v, m.loc); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// list reads a list spec from a record.
func (m *Mapping) list(spec *ListSpec, rec record) []string {
	var out []string
	add := func(v string) {
		v = strings.TrimSpace(models.UnCSVSafe(v))
		if spec.Map != nil {
			if mapped, ok := lookupMap(spec.Map, v); ok {
				v = strings.TrimSpace(mapped)
			}
		}
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, col := range spec.Columns {
		for _, cell := range rec.Cols[col] {
			for _, part := range strings.Split(cell, strings.TrimSpace(spec.Separator)) {
				add(part)
			}
		}
	}
	for _, v := range spec.Values {
		add(v)
	}
	return out
}

// mapRecord turns a record into incident values, collecting problems.
func (m *Mapping) mapRecord(rec record, l *catalog) *mappedRow {
	row := &mappedRow{line: rec.Line, set: map[string]bool{}}
	f := &m.Fields
	row.externalID = m.value(f.ExternalID, rec)
	if rec.Err != "" {
		row.fail("", "the row "+rec.Err+".")
		return row
	}
	if row.externalID == "" {
		row.fail("external_id", "The external ID is empty; every row needs one so that a second import updates it.")
	}
	in := &row.in
	in.ExternalSource, in.ExternalID = m.Source, row.externalID
	// present: the row has what the spec reads (a constant or template
	// always; a column only when the row has it).
	present := func(spec *FieldSpec) bool {
		return spec != nil && (spec.Column == "" || rec.has(spec.Column))
	}
	text := func(name string, spec *FieldSpec, dst *string) {
		if present(spec) {
			*dst = m.value(spec, rec)
			row.set[name] = true
		}
	}
	text("title", f.Title, &in.Title)
	text("impact", f.Impact, &in.Impact)
	text("summary", f.Summary, &in.Summary)
	if present(f.Status) {
		v := strings.ToLower(m.value(f.Status, rec))
		in.Status = models.IncidentStatus(v)
		row.set["status"] = true
		if v != "" && !in.Status.Valid() {
			row.fail("status", fmt.Sprintf("Status %q is not one of investigating, identified, monitoring, resolved, closed (use fields.status.map).", v))
		}
	}
	if present(f.Severity) {
		row.set["severity"] = true
		if v := m.value(f.Severity, rec); v != "" {
			row.severity = v
			if s, ok := l.severities[strings.ToLower(v)]; ok {
				in.SeverityID = &s.ID
				row.severity = s.Name
			} else {
				row.fail("severity", fmt.Sprintf("Severity %q does not exist (use fields.severity.map, or add it under Admin → Severities).", v))
			}
		}
	}
	if present(f.Team) {
		row.set["team"] = true
		if v := m.value(f.Team, rec); v != "" {
			if id, ok := l.teams[v]; ok {
				in.TeamID = &id
			} else if id, ok := l.teams[models.Slugify(v)]; ok {
				in.TeamID = &id
			} else {
				row.fail("team", fmt.Sprintf("No team has the slug %q.", v))
			}
		}
	}
	for _, p := range []struct {
		name string
		spec *FieldSpec
		dst  **int64
	}{{"commander", f.Commander, &in.CommanderID}, {"scribe", f.Scribe, &in.ScribeID}, {"comms_lead", f.CommsLead, &in.CommsLeadID}} {
		if !present(p.spec) {
			continue
		}
		row.set[p.name] = true
		if v := m.value(p.spec, rec); v != "" {
			if id, ok := l.users[strings.ToLower(v)]; ok {
				*p.dst = &id
			} else {
				row.fail(p.name, fmt.Sprintf("No user has the email address %q.", v))
			}
		}
	}
	for _, t := range []struct {
		name string
		spec *FieldSpec
		dst  **time.Time
	}{
		{"started_at", f.StartedAt, &in.StartedAt}, {"detected_at", f.DetectedAt, &in.DetectedAt},
		{"acknowledged_at", f.AcknowledgedAt, &in.AcknowledgedAt}, {"mitigated_at", f.MitigatedAt, &in.MitigatedAt},
		{"resolved_at", f.ResolvedAt, &in.ResolvedAt},
	} {
		if !present(t.spec) {
			continue
		}
		row.set[t.name] = true
		v := m.value(t.spec, rec)
		if v == "" {
			continue
		}
		tm, ok := m.parseTime(t.spec, v)
		if !ok {
			row.fail(t.name, fmt.Sprintf("%q does not match the time formats %v.", v, m.formatsOf(t.spec)))
			continue
		}
		*t.dst = &tm
	}
	if d := m.Dur; d != nil {
		if v := strings.TrimSpace(rec.get(d.Column)); v != "" {
			n, err := strconv.ParseFloat(v, 64)
			switch {
			case err != nil || math.IsNaN(n) || math.IsInf(n, 0):
				row.fail(d.Column, fmt.Sprintf("Duration %q is not a number.", v))
			case n < 0:
				row.fail(d.Column, fmt.Sprintf("Duration %q is negative.", v))
			case n > 10*365*24*3600:
				row.fail(d.Column, fmt.Sprintf("Duration %q is longer than ten years.", v))
			case in.StartedAt != nil:
				unit := map[string]time.Duration{"seconds": time.Second, "minutes": time.Minute, "hours": time.Hour}[d.Unit]
				end := in.StartedAt.Add(time.Duration(n * float64(unit)))
				dst := map[string]**time.Time{"detected_at": &in.DetectedAt, "acknowledged_at": &in.AcknowledgedAt,
					"mitigated_at": &in.MitigatedAt, "resolved_at": &in.ResolvedAt}[d.Sets]
				if *dst == nil {
					*dst = &end
				}
				row.set[d.Sets] = true
			}
		}
	}
	if m.Comps != nil && m.Comps.present(rec) {
		row.set["components"] = true
		for _, ref := range m.list(m.Comps, rec) {
			id, ok := l.component(ref, m.Comps.CreateMissing)
			if !ok {
				row.fail("components", fmt.Sprintf("No component is called %q (map it with components.map, or set components.create_missing).", ref))
				continue
			}
			in.ComponentIDs = append(in.ComponentIDs, id)
		}
	}
	if m.Tags != nil && m.Tags.present(rec) {
		row.set["tags"] = true
		in.Tags = m.list(m.Tags, rec)
	}
	for _, ls := range m.Links {
		if rec.has(ls.Column) {
			row.set["links"] = true
		}
	}
	if row.set["links"] {
		for _, ls := range m.Links {
			if u := strings.TrimSpace(rec.get(ls.Column)); u != "" {
				in.Links = append(in.Links, models.Link{URL: u, Kind: ls.Kind, Title: ls.Title})
			}
		}
	}
	return row
}

// present reports whether a row has any of the list's columns (or the
// list adds constant values).
func (l *ListSpec) present(rec record) bool {
	if len(l.Values) > 0 {
		return true
	}
	for _, c := range l.Columns {
		if rec.has(c) {
			return true
		}
	}
	return false
}

func (m *Mapping) formatsOf(spec *FieldSpec) []string {
	if len(spec.Formats) > 0 {
		return spec.Formats
	}
	return m.Times
}

// merge lays the mapped values over an existing incident's input, so
// fields the mapping does not set keep what is stored.
func (r *mappedRow) merge(base models.IncidentInput) models.IncidentInput {
	in := base
	m := r.in
	pick := func(name string, apply func()) {
		if r.set[name] {
			apply()
		}
	}
	pick("title", func() { in.Title = m.Title })
	pick("impact", func() { in.Impact = m.Impact })
	pick("summary", func() { in.Summary = m.Summary })
	pick("status", func() { in.Status = m.Status })
	pick("severity", func() { in.SeverityID = m.SeverityID })
	pick("team", func() { in.TeamID = m.TeamID })
	pick("commander", func() { in.CommanderID = m.CommanderID })
	pick("scribe", func() { in.ScribeID = m.ScribeID })
	pick("comms_lead", func() { in.CommsLeadID = m.CommsLeadID })
	pick("started_at", func() { in.StartedAt = m.StartedAt })
	pick("detected_at", func() { in.DetectedAt = m.DetectedAt })
	pick("acknowledged_at", func() { in.AcknowledgedAt = m.AcknowledgedAt })
	pick("mitigated_at", func() { in.MitigatedAt = m.MitigatedAt })
	pick("resolved_at", func() { in.ResolvedAt = m.ResolvedAt })
	pick("components", func() { in.ComponentIDs = m.ComponentIDs })
	pick("tags", func() { in.Tags = m.Tags })
	pick("links", func() { in.Links = m.Links })
	in.ExternalSource, in.ExternalID = m.ExternalSource, m.ExternalID
	return in
}

// Run reads data with the mapping and stores the incidents in one
// transaction: all rows or none. Rows whose external ID was imported
// before update that incident (or leave it alone when nothing changed).
// A problem with the file as a whole is an error; problems with rows are
// in the report, and then nothing is written.
func Run(ctx context.Context, db *gorm.DB, actor models.Actor, m *Mapping, data []byte, opts Options) (*Report, error) {
	if opts.PreviewRows <= 0 {
		opts.PreviewRows = 20
	}
	format := DetectFormat(m, opts.Filename)
	rep := &Report{Format: format, DryRun: opts.DryRun, Errors: []RowError{}, ComponentsCreated: []string{}}
	records, warnings, err := readRecords(m, format, data)
	if err != nil {
		return nil, err
	}
	rep.Warnings = append([]string{}, warnings...)
	rep.Total = len(records)
	if len(records) == 0 {
		return nil, fmt.Errorf("the file has no rows")
	}
	lk, err := loadCatalog(ctx, db)
	if err != nil {
		return nil, err
	}
	rows := make([]*mappedRow, 0, len(records))
	seen := map[string]int{}
	for _, rec := range records {
		row := m.mapRecord(rec, lk)
		if row.externalID != "" {
			if first, dup := seen[row.externalID]; dup {
				if m.Dups == "number" {
					n := 2
					for {
						id := row.externalID + "#" + strconv.Itoa(n)
						if _, taken := seen[id]; !taken {
							row.externalID, row.in.ExternalID = id, id
							break
						}
						n++
					}
				} else {
					row.fail("external_id", fmt.Sprintf("External ID %q is also on line %d (set duplicates: number to keep both).", row.externalID, first))
				}
			}
			seen[row.externalID] = rec.Line
		}
		rows = append(rows, row)
	}
	if err := attachExisting(ctx, db, m.Source, rows); err != nil {
		return nil, err
	}
	for _, row := range rows {
		decideRow(row)
	}
	for _, row := range rows {
		switch row.action {
		case "create":
			rep.Created++
		case "update":
			rep.Updated++
		case "unchanged":
			rep.Unchanged++
		default:
			rep.Rejected++
			rep.Errors = append(rep.Errors, row.errs...)
		}
	}
	for slug := range lk.newComps {
		rep.ComponentsCreated = append(rep.ComponentsCreated, slug)
	}
	slices.Sort(rep.ComponentsCreated)
	rep.Preview = previewRows(rows, lk, opts.PreviewRows)
	if opts.DryRun || !rep.OK() {
		return rep, nil
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return writeRows(ctx, tx, actor, m, lk, rows, rep, opts)
	})
	if err != nil {
		return nil, fmt.Errorf("models: import: %w", models.TranslateError(err))
	}
	return rep, nil
}

// attachExisting finds the incidents rows were imported into before.
func attachExisting(ctx context.Context, db *gorm.DB, source string, rows []*mappedRow) error {
	byID := map[string]*mappedRow{}
	var ids []string
	for _, r := range rows {
		if r.externalID != "" {
			byID[r.externalID] = r
			ids = append(ids, r.externalID)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		var found []models.Incident
		err := models.IncidentPreloads(db.WithContext(ctx)).Where("external_source = ? AND external_id IN ?", source, ids[start:end]).Find(&found).Error
		if err != nil {
			return fmt.Errorf("models: import: find existing: %w", models.TranslateError(err))
		}
		for i := range found {
			byID[found[i].ExternalID].existing = &found[i]
		}
	}
	return nil
}

// decideRow validates a row and says whether it creates, updates or
// leaves an incident.
func decideRow(row *mappedRow) {
	if len(row.errs) > 0 {
		row.action = "reject"
		return
	}
	if row.existing != nil {
		row.in = row.merge(models.InputOf(row.existing))
	} else {
		row.in = row.merge(models.IncidentInput{})
		if !row.set["status"] || row.in.Status == "" {
			row.in.Status = models.StatusClosed
			if row.in.ResolvedAt != nil {
				row.in.Status = models.StatusResolved
			}
		}
	}
	if ve := row.in.Validate(); ve.Err() != nil {
		for _, k := range sortedKeys(ve.Fields) {
			row.fail(k, ve.Fields[k])
		}
		for _, g := range ve.Global {
			row.fail("", g)
		}
		row.action = "reject"
		return
	}
	switch {
	case row.existing == nil:
		row.action = "create"
	case len(models.IncidentChanges(row.existing, row.in)) == 0:
		row.action = "unchanged"
	default:
		row.action = "update"
	}
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func previewRows(rows []*mappedRow, lk *catalog, n int) []RowPreview {
	var out []RowPreview
	for i, r := range rows {
		if i >= n && r.action != "reject" {
			continue
		}
		if len(out) >= n+100 {
			break
		}
		p := RowPreview{Line: r.line, Action: r.action, ExternalID: r.externalID, Title: r.in.Title,
			Severity: r.severity, Status: string(r.in.Status), StartedAt: r.in.StartedAt, ResolvedAt: r.in.ResolvedAt,
			Tags: r.in.Tags, Errors: r.errs}
		if r.existing != nil {
			p.Key = r.existing.Key()
			if r.existing.Severity != nil && !r.set["severity"] {
				p.Severity = r.existing.Severity.Name
			}
		}
		for _, id := range r.in.ComponentIDs {
			p.Components = append(p.Components, lk.compNames[id])
		}
		out = append(out, p)
	}
	return out
}

// writeRows stores the rows of an accepted import.
func writeRows(ctx context.Context, tx *gorm.DB, actor models.Actor, m *Mapping, lk *catalog, rows []*mappedRow, rep *Report, opts Options) error {
	// New components first, so rows can point at them.
	realID := map[int64]int64{}
	for _, slug := range rep.ComponentsCreated {
		now := models.Now(tx)
		c := models.Component{Name: lk.newNames[slug], Slug: slug, Tier: 2, ReviewIntervalDays: models.DefaultReviewInterval(2),
			Links: []models.Link{}, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&c).Error; err != nil {
			return fmt.Errorf("create component %s: %w", slug, err)
		}
		if err := models.Audit(ctx, tx, actor, models.AuditCreate, "component", c.ID, "created component "+slug+" for an incident import", nil); err != nil {
			return err
		}
		realID[lk.newComps[slug]] = c.ID
	}
	fix := func(ids []int64) []int64 {
		out := make([]int64, 0, len(ids))
		for _, id := range ids {
			if id < 0 {
				id = realID[id]
			}
			out = append(out, id)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	var creates []models.IncidentInput
	for _, r := range rows {
		if r.action == "create" {
			in := r.in
			in.ComponentIDs = fix(in.ComponentIDs)
			creates = append(creates, in)
		}
	}
	total := rep.Created + rep.Updated
	done := 0
	progress := func(n int) {
		done += n
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	imported := func(inc *models.Incident) string {
		return "imported " + inc.Key() + " from " + m.Source + " " + inc.ExternalID
	}
	if err := models.CreateIncidentsTx(ctx, tx, actor, creates, imported, progress); err != nil {
		return err
	}
	for _, r := range rows {
		if r.action != "update" {
			continue
		}
		in := r.in
		in.ComponentIDs = fix(in.ComponentIDs)
		if _, err := models.UpdateIncidentTx(ctx, tx, actor, r.existing.ID, 0, in); err != nil {
			if ve, ok := models.AsValidation(err); ok {
				return fmt.Errorf("line %d: %w", r.line, ve)
			}
			return err
		}
		progress(1)
	}
	summary := fmt.Sprintf("imported %s from %s: %d created, %d updated, %d unchanged", opts.Filename, m.Source, rep.Created, rep.Updated, rep.Unchanged)
	if rep.Created+rep.Updated == 0 {
		return nil
	}
	return models.Audit(ctx, tx, actor, models.AuditCreate, "incident_import", m.Source, summary, nil)
}
