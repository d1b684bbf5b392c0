package app

import (
	"net"

	"github.com/labstack/echo/v4"
)

// ipExtractor says where a request comes from, for the sign-in limits and
// the audit trail. X-Forwarded-For is believed only when it arrives from a
// trusted proxy (each hop from the right that is trusted is skipped); with
// none configured the client is the connection's address, whatever the
// headers claim. echo's own defaults would trust loopback and private
// networks, so those are switched off and only the configured ranges count.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
