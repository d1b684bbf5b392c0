package notifytest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Post is one request a Receiver got.
type Post struct {
	Header http.Header
	Body   []byte
	// Status is what the receiver answered.
	Status int
}

// Receiver is an HTTP endpoint for webhook posts (Slack-compatible or
// generic) that records every request.
type Receiver struct {
	*httptest.Server
	mu    sync.Mutex
	posts []Post
	fail  []int // statuses for the next requests
}

// NewReceiver starts a receiver that the test stops when it ends.
func NewReceiver(t testing.TB) *Receiver {
	r := &Receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	status := http.StatusOK
	if len(r.fail) > 0 {
		status, r.fail = r.fail[0], r.fail[1:]
	}
	r.posts = append(r.posts, Post{Header: req.Header.Clone(), Body: body, Status: status})
	r.mu.Unlock()
	w.WriteHeader(status)
	if status == http.StatusOK {
		_, _ = io.WriteString(w, "ok")
	} else {
		_, _ = io.WriteString(w, "receiver says no")
	}
}

// FailNext answers the next n requests with status.
func (r *Receiver) FailNext(n, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for range n {
		r.fail = append(r.fail, status)
	}
}

// Posts returns every request so far, in order.
func (r *Receiver) Posts() []Post {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Post(nil), r.posts...)
}

// Accepted returns the requests answered 200.
func (r *Receiver) Accepted() []Post {
	var out []Post
	for _, p := range r.Posts() {
		if p.Status == http.StatusOK {
			out = append(out, p)
		}
	}
	return out
}

// Heal drops the failures still queued by FailNext: from now on every
// request is answered 200.
func (r *Receiver) Heal() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = nil
}
