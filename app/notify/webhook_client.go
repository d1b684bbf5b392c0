package notify

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/debrief-sre/debrief/models"
)

// ErrPrivateTarget is a webhook whose address is on a private, loopback or
// link-local network (see models.PrivateAddress).
var ErrPrivateTarget = errors.New("the receiver's address is on a private, loopback or link-local network (set DEBRIEF_WEBHOOK_ALLOW_PRIVATE to allow it)")

// webhookClient posts to webhooks: it never follows a redirect (the
// receiver's answer is what counts) and, unless allowPrivate, refuses to
// connect to a private address. The check runs on the address actually
// dialled, after DNS, so a name that resolved to a public address when the
// URL was saved and to 169.254.169.254 now is still refused. Proxy
// settings from the environment are not used: the connection must go to
// the address that was checked.
func webhookClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = refusePrivate
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.DialContext = d.DialContext
	return &http.Client{Timeout: 15 * time.Second, Transport: tr, CheckRedirect: noRedirects}
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// refusePrivate is a net.Dialer Control function: it sees the resolved
// address just before the connection is made.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook address %q: %w", address, err)
	}
	if models.PrivateAddress(ap.Addr()) {
		return ErrPrivateTarget
	}
	return nil
}
