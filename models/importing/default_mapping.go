package importing

// DefaultMappingYAML reads Debrief's own CSV export (and JSON in the same
// field names), so incidents move between instances and spreadsheets
// round-trip. Rows are matched by their key.
const DefaultMappingYAML = `# Debrief's own export format (Incidents → Export CSV).
format: csv
source: debrief-export
time_zone: UTC
time_formats: ["rfc3339", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
list_separator: ";"
fields:
  external_id: key
  title: title
  severity: severity
  status: status
  started_at: started_at
  detected_at: detected_at
  acknowledged_at: acknowledged_at
  mitigated_at: mitigated_at
  resolved_at: resolved_at
  impact: impact
  summary: summary
components:
  columns: [components]
  create_missing: true
tags:
  columns: [tags]
`
