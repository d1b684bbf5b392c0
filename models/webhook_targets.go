package models

import (
	"context"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Outbound webhooks (a team's Slack and generic webhook URLs) must not
// reach into Debrief's own network: loopback, link-local (the cloud
// metadata service at 169.254.169.254), private and other special
// addresses are refused when a URL is saved and again when the request
// dials (app/notify), so DNS that changes its answer in between does not
// get around it. An instance whose receivers really are on a private
// network opts in (DEBRIEF_WEBHOOK_ALLOW_PRIVATE).

// specialPrefixes are address ranges beyond the standard library's
// classes that no public webhook receiver lives in.
var specialPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (carrier NAT; some clouds' metadata)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
}

// nat64 is the well-known NAT64 prefix: its addresses carry an IPv4
// address in the last 32 bits, which is checked instead.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// PrivateAddress reports whether ip is an address webhooks may not be sent
// to without DEBRIEF_WEBHOOK_ALLOW_PRIVATE.
func PrivateAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	if nat64.Contains(ip) {
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return true
	}
	for _, p := range specialPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// privateTargetMsg is shown at the field when a webhook URL points inside.
const privateTargetMsg = "This address is on a private, loopback or link-local network, where Debrief does not send webhooks. Use the receiver's public address (an admin can allow private receivers with DEBRIEF_WEBHOOK_ALLOW_PRIVATE)."

// checkWebhookHost refuses a webhook URL whose host is, or resolves to, a
// private address; "" means acceptable. A name that does not resolve now
// is accepted: the dial-time check still stands between it and the
// network.
func checkWebhookHost(ctx context.Context, u *url.URL) string {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		if PrivateAddress(ip) {
			return privateTargetMsg
		}
		return ""
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return privateTargetMsg
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if PrivateAddress(a) {
			return privateTargetMsg
		}
	}
	return ""
}
