package live

// EncodeEvent exposes the NOTIFY payload encoding to the tests.
func EncodeEvent(ev Event) (string, error) { return ev.encode() }
