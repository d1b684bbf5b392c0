package pages

import (
	"github.com/debrief-sre/debrief/models/importing"
	"github.com/debrief-sre/debrief/views"
)

// importView is an import job as its page shows it: the stored report
// decoded, with the rows written so far.
func importView(job *importing.Job) views.ImportModel {
	m := views.ImportModel{ID: job.ID, Filename: job.Filename, Uploaded: job.CreatedAt, Status: job.Status, Error: job.Error,
		Done: job.ProcessedRows, Total: job.TotalRows}
	if r := job.ParsedReport(); r != nil {
		m.Report = importReportView(r)
	}
	return m
}

func importReportView(r *importing.Report) *views.ImportReportView {
	v := &views.ImportReportView{Format: r.Format, Total: r.Total, Created: r.Created, Updated: r.Updated,
		Unchanged: r.Unchanged, Rejected: r.Rejected, OK: r.OK(), ComponentsCreated: r.ComponentsCreated, Warnings: r.Warnings}
	for _, e := range r.Errors {
		v.Errors = append(v.Errors, views.ImportProblem{Line: e.Line, ExternalID: e.ExternalID, Field: e.Field, Message: e.Message})
	}
	for _, p := range r.Preview {
		v.Preview = append(v.Preview, views.ImportPreviewRow{Line: p.Line, Action: p.Action, Key: p.Key, ExternalID: p.ExternalID,
			Title: p.Title, Severity: p.Severity, Status: p.Status, StartedAt: p.StartedAt, ResolvedAt: p.ResolvedAt,
			Components: p.Components, Tags: p.Tags})
	}
	return v
}
