package live

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// postgresDSN is the connection string gorm was opened with.
func postgresDSN(db *gorm.DB) (string, error) {
	if d, ok := db.Dialector.(*postgres.Dialector); ok && d.Config != nil && d.DSN != "" {
		return d.DSN, nil
	}
	return "", errors.New("live: PostgreSQL database opened without a DSN; cannot open a LISTEN connection")
}

// listen keeps one LISTEN connection open and feeds the hub, reconnecting
// with capped exponential backoff. After any reconnect every subscriber is
// told to resync, since notifications sent while the connection was down
// are lost.
func (b *Broker) listen(ctx context.Context, ready chan<- struct{}) {
	backoff := b.opts.ReconnectMin
	first := true
	signalReady := func() {
		if ready != nil {
			close(ready)
			ready = nil
		}
	}
	defer signalReady()
	for ctx.Err() == nil {
		err := b.listenOnce(ctx, func() {
			backoff = b.opts.ReconnectMin
			if !first {
				b.reconnects.Add(1)
				b.log.Info("live: PostgreSQL listener reconnected; asking clients to refresh")
			}
			// Also on the first connection: anyone who subscribed before it
			// may have missed events.
			b.hub.Resync()
			first = false
			signalReady()
		})
		b.listening.Store(false)
		b.listenPID.Store(0)
		if ctx.Err() != nil {
			return
		}
		b.log.Warn("live: PostgreSQL listener down; retrying", "err", err, "in", backoff)
		// Jitter keeps many instances from reconnecting in lockstep.
		sleep := backoff/2 + rand.N(backoff/2+1)
		select {
		case <-ctx.Done():
			return
		case <-time.After(sleep):
		}
		backoff = min(2*backoff, b.opts.ReconnectMax)
	}
}

// listenOnce connects, LISTENs, calls up, and delivers notifications until
// the connection fails or ctx ends.
func (b *Broker) listenOnce(ctx context.Context, up func()) error {
	connectCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.Connect(connectCtx, b.dsn)
	cancel()
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{b.opts.Channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	b.listenPID.Store(conn.PgConn().PID())
	b.listening.Store(true)
	up()
	for {
		// Wake up now and then to check that the connection still answers:
		// a silently dead network would otherwise block here for ever.
		waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		n, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			ev, derr := decodeEvent(n.Payload)
			if derr != nil {
				b.log.Warn("live: ignoring notification", "err", derr)
				continue
			}
			b.hub.Deliver(ev)
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err := conn.Ping(pingCtx)
			cancel()
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
		default:
			return err
		}
	}
}
