package models

// All lists every persisted model, for the schema check that compares the
// gorm models with the migrated tables. Add each new model here.
func All() []any {
	return []any{
		&Setting{},
		&User{}, &Team{}, &TeamMember{}, &APIToken{}, &AuditEntry{}, &SignInFailure{},
		&Component{}, &ComponentTag{},
		// Incidents
		&Severity{}, &Incident{}, &IncidentComponent{}, &IncidentTag{}, &incidentSequence{}, &TimelineEvent{}, &IncidentImport{}, &Integration{}, &WebhookEvent{},
	}
}
