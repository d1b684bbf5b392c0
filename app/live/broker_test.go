package live_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// guard bounds every wait so a broken delivery fails the test instead of
// hanging it; it asserts nothing about speed.
const guard = 15 * time.Second

func newBroker(t *testing.T, db *gorm.DB, opts live.Options) *live.Broker {
	t.Helper()
	b, err := live.New(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	b.Start(context.Background(), guard)
	if !b.Stats().Listening {
		t.Fatal("broker not listening after Start")
	}
	t.Cleanup(b.Close)
	return b
}

func recv(t *testing.T, s *live.Subscription) live.Event {
	t.Helper()
	select {
	case ev, ok := <-s.Events():
		if !ok {
			t.Fatalf("subscription ended: %v", s.Err())
		}
		return ev
	case <-time.After(guard):
		t.Fatal("no event arrived")
	}
	return live.Event{}
}

// recvKind skips resync events (sent when a listener connects).
func recvKind(t *testing.T, s *live.Subscription) live.Event {
	t.Helper()
	for {
		if ev := recv(t, s); ev.Kind != live.KindResync {
			return ev
		}
	}
}

func TestPublishDeliversOnCommitWithSequenceNumbers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		b := newBroker(t, db, live.Options{})
		sub := b.Subscribe("retro:1")
		defer sub.Close()
		other := b.Subscribe("retro:2")
		defer other.Close()

		err := b.Transaction(ctx, func(tx *gorm.DB, pub *live.Publisher) error {
			ev, err := pub.Publish("retro:1", "note.added", 7)
			if err != nil {
				return err
			}
			if ev.Seq != 1 {
				t.Errorf("first seq %d", ev.Seq)
			}
			if _, err := pub.Publish("retro:1", "note.edited", 7); err != nil {
				return err
			}
			// Not delivered before the commit.
			if len(sub.Events()) != 0 {
				t.Error("event delivered before commit")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		e1, e2 := recvKind(t, sub), recvKind(t, sub)
		if e1 != (live.Event{Topic: "retro:1", Kind: "note.added", ID: 7, Seq: 1}) || e2.Seq != 2 || e2.Kind != "note.edited" {
			t.Fatalf("got %+v %+v", e1, e2)
		}
		if seq, err := b.Seq(ctx, "retro:1"); err != nil || seq != 2 {
			t.Fatalf("seq %d %v", seq, err)
		}
		if seq, _ := b.Seq(ctx, "retro:2"); seq != 0 {
			t.Fatalf("untouched topic seq %d", seq)
		}
		if ev, err := b.Publish(ctx, "retro:2", "phase.changed", 0); err != nil || ev.Seq != 1 {
			t.Fatalf("Publish: %+v %v", ev, err)
		}
		if ev := recvKind(t, other); ev.Kind != "phase.changed" || ev.Seq != 1 {
			t.Fatalf("other got %+v", ev)
		}
		if got := drain(t, sub); len(got) != 0 {
			t.Fatalf("retro:1 got retro:2's event: %+v", got)
		}
	})
}

func TestRollbackDeliversNothingAndKeepsTheSequence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		b := newBroker(t, db, live.Options{})
		sub := b.Subscribe("retro:1")
		defer sub.Close()
		boom := errors.New("validation failed")
		err := b.Transaction(ctx, func(tx *gorm.DB, pub *live.Publisher) error {
			if _, err := pub.Publish("retro:1", "note.added", 1); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err %v", err)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Error("panic swallowed")
				}
			}()
			_ = b.Transaction(ctx, func(tx *gorm.DB, pub *live.Publisher) error {
				_, _ = pub.Publish("retro:1", "note.added", 2)
				panic("handler bug")
			})
		}()
		// The next committed event is the first one anybody sees, and it
		// has sequence number 1: the rolled-back bumps never happened.
		if _, err := b.Publish(ctx, "retro:1", "note.added", 3); err != nil {
			t.Fatal(err)
		}
		if ev := recvKind(t, sub); ev.ID != 3 || ev.Seq != 1 {
			t.Fatalf("first delivered event %+v, want note 3 with seq 1", ev)
		}
	})
}

func TestPublisherRefusesUseAfterItsTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		b := newBroker(t, db, live.Options{})
		var leaked *live.Publisher
		if err := b.Transaction(context.Background(), func(_ *gorm.DB, pub *live.Publisher) error {
			leaked = pub
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := leaked.Publish("retro:1", "x", 1); !errors.Is(err, live.ErrPublisherDone) {
			t.Fatalf("Publish after commit: %v", err)
		}
		if err := leaked.Signal("retro:1", "x", 1); !errors.Is(err, live.ErrPublisherDone) {
			t.Fatalf("Signal after commit: %v", err)
		}
		err := b.Transaction(context.Background(), func(_ *gorm.DB, pub *live.Publisher) error {
			_, err := pub.Publish("bad topic", "x", 1)
			return err
		})
		if err == nil {
			t.Fatal("invalid topic accepted")
		}
	})
}

func TestSignalIsDeliveredOutsideTheSequence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		b := newBroker(t, db, live.Options{})
		sub := b.Subscribe("retro:1")
		defer sub.Close()
		if err := b.Transaction(ctx, func(_ *gorm.DB, pub *live.Publisher) error {
			return pub.Signal("retro:1", "typing", 5)
		}); err != nil {
			t.Fatal(err)
		}
		if ev := recvKind(t, sub); ev.Kind != "typing" || ev.Seq != 0 || ev.ID != 5 {
			t.Fatalf("got %+v", ev)
		}
		if seq, _ := b.Seq(ctx, "retro:1"); seq != 0 {
			t.Fatalf("signal moved the sequence to %d", seq)
		}
	})
}

// TestConcurrentWritersAreDeliveredInSequenceOrder: many transactions on
// one topic at once; every subscriber sees 1, 2, 3, … with no gap and no
// reordering, on both dialects.
func TestConcurrentWritersAreDeliveredInSequenceOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		const writers, each = 6, 10
		b := newBroker(t, db, live.Options{Buffer: writers * each * 2})
		sub := b.Subscribe("retro:1")
		defer sub.Close()
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					if _, err := b.Publish(ctx, "retro:1", "note.added", int64(w*100+i)); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for want := int64(1); want <= writers*each; want++ {
			if ev := recvKind(t, sub); ev.Seq != want {
				t.Fatalf("got seq %d, want %d", ev.Seq, want)
			}
		}
	})
}

// TestTwoInstancesOnOnePostgres: an event published by one process reaches
// the subscribers of another through LISTEN/NOTIFY, and a process only
// holds topics its own clients watch.
func TestTwoInstancesOnOnePostgres(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		if dialect != models.DialectPostgres {
			return // one SQLite file is served by one instance
		}
		ctx := context.Background()
		dsn := dbtest.NewDSN(t, dialect)
		open := func() *gorm.DB {
			db, err := models.Open(ctx, dsn, models.Options{MaxConns: 4})
			if err != nil {
				t.Fatal(err)
			}
			sqlDB, _ := db.DB()
			t.Cleanup(func() { _ = sqlDB.Close() })
			return db
		}
		a := newBroker(t, open(), live.Options{Instance: "a"})
		b := newBroker(t, open(), live.Options{Instance: "b"})
		onB := b.Subscribe("retro:5")
		defer onB.Close()
		onA := a.Subscribe("retro:5")
		defer onA.Close()
		if _, err := a.Publish(ctx, "retro:5", "note.added", 11); err != nil {
			t.Fatal(err)
		}
		for name, s := range map[string]*live.Subscription{"b": onB, "a": onA} {
			if ev := recvKind(t, s); ev.ID != 11 || ev.Seq != 1 {
				t.Fatalf("instance %s got %+v", name, ev)
			}
		}
		if _, err := b.Publish(ctx, "retro:5", "note.added", 12); err != nil {
			t.Fatal(err)
		}
		if ev := recvKind(t, onA); ev.ID != 12 || ev.Seq != 2 {
			t.Fatalf("a got %+v", ev)
		}
		if a.Hub().Watching("retro:6") {
			t.Fatal("unwatched topic held")
		}
	})
}

// TestListenerReconnectsAndAsksForResync kills the LISTEN connection's
// backend (as a PostgreSQL restart would): subscribers are told to resync
// once the listener is back, and delivery resumes.
func TestListenerReconnectsAndAsksForResync(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		if dialect != models.DialectPostgres {
			return
		}
		ctx := context.Background()
		db := dbtest.New(t, dialect)
		b := newBroker(t, db, live.Options{ReconnectMin: 10 * time.Millisecond, ReconnectMax: 50 * time.Millisecond})
		sub := b.Subscribe("retro:1")
		defer sub.Close()
		drain(t, sub)
		pid := b.Stats().ListenerPID
		if pid == 0 {
			t.Fatal("no listener pid")
		}
		var killed bool
		if err := db.Raw("SELECT pg_terminate_backend(?)", pid).Scan(&killed).Error; err != nil || !killed {
			t.Fatalf("terminate listener: %v %v", killed, err)
		}
		if ev := recv(t, sub); ev.Kind != live.KindResync || ev.Topic != "retro:1" {
			t.Fatalf("after reconnect got %+v, want a resync", ev)
		}
		st := b.Stats()
		if st.Reconnects != 1 || !st.Listening || st.ListenerPID == pid || st.ListenerPID == 0 {
			t.Fatalf("stats after reconnect %+v", st)
		}
		if _, err := b.Publish(ctx, "retro:1", "note.added", 1); err != nil {
			t.Fatal(err)
		}
		if ev := recv(t, sub); ev.Kind != "note.added" {
			t.Fatalf("after reconnect got %+v", ev)
		}
	})
}

func TestNotificationPayloadStaysSmall(t *testing.T) {
	ev := live.Event{Topic: fmt.Sprintf("%0*d", live.MaxTopicLen, 1), Kind: fmt.Sprintf("%0*d", live.MaxKindLen, 1), ID: -1 << 63, Seq: 1<<63 - 1}
	p, err := live.EncodeEvent(ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(p) >= 8000 {
		t.Fatalf("largest payload is %d bytes; PostgreSQL refuses 8000", len(p))
	}
	if _, err := live.EncodeEvent(live.Event{Topic: "x:1", Kind: "k", Seq: -1}); err == nil {
		t.Fatal("invalid event encoded")
	}
}

// TestModelsFunctionsRunInsideTheTransaction is the intended use: a models
// function that opens its own transaction runs inside Broker.Transaction
// (as a savepoint), and its change and the event commit or vanish together.
func TestModelsFunctionsRunInsideTheTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		b := newBroker(t, db, live.Options{})
		sub := b.Subscribe("team:1")
		defer sub.Close()
		create := func(email string, fail bool) error {
			return b.Transaction(ctx, func(tx *gorm.DB, pub *live.Publisher) error {
				u, err := models.CreateUser(ctx, tx, models.SystemActor("test"), models.NewUser{Email: email, Name: "New Person", Role: models.RoleMember}, false)
				if err != nil {
					return err
				}
				if _, err := pub.Publish("team:1", "member.added", u.ID); err != nil {
					return err
				}
				if fail {
					return errors.New("a later step failed")
				}
				return nil
			})
		}
		if err := create("gone@example.com", true); err == nil {
			t.Fatal("no error")
		}
		if _, err := models.GetUserByEmail(ctx, db, "gone@example.com"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("rolled-back user exists: %v", err)
		}
		if err := create("kept@example.com", false); err != nil {
			t.Fatal(err)
		}
		u, err := models.GetUserByEmail(ctx, db, "kept@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if ev := recvKind(t, sub); ev.ID != u.ID || ev.Seq != 1 {
			t.Fatalf("event %+v for user %d", ev, u.ID)
		}
	})
}

// TestTxRunsModelsWritesWithTheirEvents: Broker.Tx is how models functions
// that own a change and its event publish: the event of a write arrives
// with the next sequence number after its commit; a refused write
// publishes nothing and takes no number.
func TestTxRunsModelsWritesWithTheirEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		b := newBroker(t, db, live.Options{})
		mk := func(email string, role models.Role) models.Actor {
			u, err := models.CreateUser(ctx, db, models.SystemActor("test"), models.NewUser{Email: email, Name: email, Role: role}, false)
			if err != nil {
				t.Fatal(err)
			}
			return models.ActorOf(u, "")
		}
		fac, other := mk("fay@example.com", models.RoleFacilitator), mk("max@example.com", models.RoleMember)
		s, err := models.CreateRetro(ctx, db, fac, models.NewRetro{Title: "Checkout"})
		if err != nil {
			t.Fatal(err)
		}
		sub := b.Subscribe(models.RetroTopic(s.ID))
		defer sub.Close()
		if _, err := models.MoveRetroPhase(ctx, b.Tx(), other, s.ID, models.PhaseStage, models.PhaseReview); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("refused move: %v", err)
		}
		if _, err := models.MoveRetroPhase(ctx, b.Tx(), fac, s.ID, models.PhaseStage, models.PhaseReview); err != nil {
			t.Fatal(err)
		}
		if ev := recvKind(t, sub); ev.Kind != models.RetroEventPhase || ev.Seq != 1 || ev.Topic != models.RetroTopic(s.ID) {
			t.Fatalf("event %+v", ev)
		}
		if seq, err := b.Seq(ctx, models.RetroTopic(s.ID)); err != nil || seq != 1 {
			t.Fatalf("seq %d, %v", seq, err)
		}
	})
}
