package live_test

import (
	"errors"
	"testing"

	"github.com/debrief-sre/debrief/app/live"
)

func drain(t *testing.T, s *live.Subscription) []live.Event {
	t.Helper()
	var out []live.Event
	for {
		select {
		case ev, ok := <-s.Events():
			if !ok {
				return out
			}
			out = append(out, ev)
		default:
			return out
		}
	}
}

func TestHubDeliversOnlyToTheTopicsSubscribersInOrder(t *testing.T) {
	h := live.NewHub(8)
	a1, a2, b := h.Subscribe("retro:1"), h.Subscribe("retro:1"), h.Subscribe("retro:2")
	for i := int64(1); i <= 3; i++ {
		if n := h.Deliver(live.Event{Topic: "retro:1", Kind: "note.added", ID: i, Seq: i}); n != 2 {
			t.Fatalf("delivered to %d, want 2", n)
		}
	}
	for _, s := range []*live.Subscription{a1, a2} {
		got := drain(t, s)
		if len(got) != 3 || got[0].Seq != 1 || got[2].Seq != 3 {
			t.Fatalf("subscriber of retro:1 got %+v", got)
		}
	}
	if got := drain(t, b); len(got) != 0 {
		t.Fatalf("subscriber of retro:2 got %+v", got)
	}
	if n := h.Deliver(live.Event{Topic: "retro:3", Kind: "x", Seq: 1}); n != 0 {
		t.Fatalf("topic without subscribers: delivered %d", n)
	}
}

func TestHubDropsASlowSubscriberWithoutHoldingUpOthers(t *testing.T) {
	h := live.NewHub(2)
	slow, fast := h.Subscribe("t:1"), h.Subscribe("t:1")
	h.Deliver(live.Event{Topic: "t:1", Kind: "k", Seq: 1})
	h.Deliver(live.Event{Topic: "t:1", Kind: "k", Seq: 2})
	if got := drain(t, fast); len(got) != 2 {
		t.Fatalf("fast got %d", len(got))
	}
	// slow's buffer is full now: the next event drops it, fast still gets it.
	if n := h.Deliver(live.Event{Topic: "t:1", Kind: "k", Seq: 3}); n != 1 {
		t.Fatalf("delivered to %d, want 1", n)
	}
	if got := drain(t, fast); len(got) != 1 || got[0].Seq != 3 {
		t.Fatalf("fast got %+v", got)
	}
	got := drain(t, slow)
	if len(got) != 2 {
		t.Fatalf("slow kept %d buffered events, want 2", len(got))
	}
	if _, open := <-slow.Events(); open {
		t.Fatal("slow subscription still open")
	}
	if !errors.Is(slow.Err(), live.ErrLagged) {
		t.Fatalf("slow.Err = %v", slow.Err())
	}
	st := h.Stats()
	if st.Dropped != 1 || st.Subscribers != 1 || st.Delivered != 5 {
		t.Fatalf("stats %+v", st)
	}
}

func TestHubTopicLivesOnlyWhileWatched(t *testing.T) {
	h := live.NewHub(1)
	s1, s2 := h.Subscribe("retro:9"), h.Subscribe("retro:9")
	if !h.Watching("retro:9") {
		t.Fatal("not watching")
	}
	s1.Close()
	s1.Close() // twice is fine
	if !h.Watching("retro:9") {
		t.Fatal("second subscriber lost")
	}
	s2.Close()
	if h.Watching("retro:9") || h.Stats().Topics != 0 {
		t.Fatalf("topic kept after the last subscriber left: %+v", h.Stats())
	}
	if s1.Err() != nil {
		t.Fatalf("closed subscription Err = %v, want nil", s1.Err())
	}
}

func TestHubResyncAndClose(t *testing.T) {
	h := live.NewHub(4)
	a, b := h.Subscribe("a:1"), h.Subscribe("b:1")
	h.Resync()
	for _, s := range []*live.Subscription{a, b} {
		got := drain(t, s)
		if len(got) != 1 || got[0].Kind != live.KindResync || got[0].Topic != s.Topic() {
			t.Fatalf("resync: %+v", got)
		}
	}
	h.Close()
	for _, s := range []*live.Subscription{a, b} {
		if _, open := <-s.Events(); open || !errors.Is(s.Err(), live.ErrShutdown) {
			t.Fatalf("after close: open=%v err=%v", open, s.Err())
		}
	}
	late := h.Subscribe("a:1")
	if _, open := <-late.Events(); open || !errors.Is(late.Err(), live.ErrShutdown) {
		t.Fatal("subscribe after close must end at once")
	}
	if h.Deliver(live.Event{Topic: "a:1", Kind: "k"}) != 0 {
		t.Fatal("delivered after close")
	}
}

func TestEventValidation(t *testing.T) {
	long := make([]byte, live.MaxTopicLen+1)
	for i := range long {
		long[i] = 'x'
	}
	for _, ev := range []live.Event{
		{Topic: "", Kind: "k"},
		{Topic: "t:1", Kind: ""},
		{Topic: string(long), Kind: "k"},
		{Topic: "t 1", Kind: "k"},
		{Topic: "t:1", Kind: "a\nb"},
		{Topic: "t:1", Kind: "k", Seq: -1},
		{Topic: "t:\xff", Kind: "k"},
	} {
		if ev.Validate() == nil {
			t.Errorf("%+v: valid, want an error", ev)
		}
	}
	if err := (live.Event{Topic: live.Topic("retro", 42), Kind: "note.added", ID: 7, Seq: 3}).Validate(); err != nil {
		t.Fatal(err)
	}
	if live.Topic("retro", 42) != "retro:42" {
		t.Fatal(live.Topic("retro", 42))
	}
}
