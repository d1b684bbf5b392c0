package live

// Stats are the broker's figures for metrics and tests.
type Stats struct {
	HubStats
	// Published counts committed events.
	Published uint64
	// Listening is true while the PostgreSQL LISTEN connection is up
	// (always on SQLite).
	Listening bool
	// Reconnects counts LISTEN connections made after the first.
	Reconnects uint64
	// ListenerPID is the PostgreSQL backend of the LISTEN connection.
	ListenerPID uint32
}

// Stats returns current figures.
func (b *Broker) Stats() Stats {
	return Stats{
		HubStats:    b.hub.Stats(),
		Published:   b.published.Load(),
		Listening:   b.listening.Load(),
		Reconnects:  b.reconnects.Load(),
		ListenerPID: b.listenPID.Load(),
	}
}
