package models

// All lists every persisted model, for the schema check that compares the
// gorm models with the migrated tables. Add each new model here (a feature
// package such as models/importing lists its own in its Models()).
func All() []any {
	return []any{
		&Setting{},
		&User{}, &Team{}, &TeamMember{}, &APIToken{}, &AuditEntry{}, &SignInFailure{},
		&Component{}, &ComponentTag{},
		// Action items and reviews
		&ActionItem{}, &ActionItemEvent{},
		&ReviewTemplate{}, &TemplateVersion{}, &TemplateSection{}, &TemplateQuestion{},
		&Review{}, &ReviewParticipant{}, &ReviewAnswer{}, &Finding{}, &ReviewFinding{},
		&ReviewSnapshot{},
		// Incidents
		&Severity{}, &Incident{}, &IncidentComponent{}, &IncidentTag{}, &incidentSequence{}, &TimelineEvent{}, &Integration{}, &WebhookEvent{},
		// Live updates (app/live)
		&LiveTopic{}, &LivePresence{},
		// Notifications, background jobs and calendar feeds.
		&Delivery{}, &CalendarToken{},
		// Postmortems and retros
		&PostmortemTemplate{}, &PostmortemTemplateSection{}, &PostmortemSeverityDefault{},
		&Postmortem{}, &PostmortemSection{}, &PostmortemSectionRevision{}, &ContributingFactor{},
		&RetroSession{}, &RetroSessionComponent{}, &RetroPrompt{}, &RetroParticipant{}, &RetroTheme{}, &RetroNote{},
		&RetroVote{}, &RetroProposal{},
		// Follow-through: comments and reminders of action items
		&ActionItemComment{}, &ActionItemReminder{},
	}
}
