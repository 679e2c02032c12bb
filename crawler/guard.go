package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// errInternalAddress is a connection refused because it would reach an
// internal address from a public site.
var errInternalAddress = errors.New("internal address")

// internalNets are ranges not reachable from the internet, beyond what
// net.IP's predicates cover.
var internalNets = func() []*net.IPNet {
	var out []*net.IPNet
	for _, c := range []string{"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "fec0::/10"} {
		_, n, _ := net.ParseCIDR(c)
		out = append(out, n)
	}
	return out
}()

// internal says whether ip is loopback, private, link-local (169.254/16
// holds cloud metadata services) or otherwise not public.
func internal(ip net.IP) bool {
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsUnspecified() {
		return true
	}
	for _, n := range internalNets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// lookupFunc resolves a host name; dialFunc connects to an address. Tests
// replace them to put a "public" name in front of a local server.
type (
	lookupFunc func(ctx context.Context, host string) ([]net.IPAddr, error)
	dialFunc   func(ctx context.Context, network, addr string) (net.Conn, error)
)

// guard dials only public addresses, unless the site itself is internal
// (its start URL resolves to an internal address): a public site's links
// and redirects never reach loopback, private or link-local hosts. It
// decides by the address it actually dials, so a name that resolves
// differently later (DNS rebinding) gains nothing.
type guard struct {
	allowInternal bool
	lookup        lookupFunc
	dial          dialFunc
}

func newGuard(lookup lookupFunc, dial dialFunc) *guard {
	if lookup == nil {
		lookup = net.DefaultResolver.LookupIPAddr
	}
	if dial == nil {
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
		dial = d.DialContext
	}
	return &guard{lookup: lookup, dial: dial}
}

// resolve returns the addresses of host, an IP literal or a name.
func (g *guard) resolve(ctx context.Context, host string) ([]net.IP, error) {
	if ip := net.ParseIP(host); ip != nil {
		return []net.IP{ip}, nil
	}
	addrs, err := g.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	ips := make([]net.IP, 0, len(addrs))
	for _, a := range addrs {
		ips = append(ips, a.IP)
	}
	return ips, nil
}

// admitStart lets the site reach internal addresses when its start host
// is one.
func (g *guard) admitStart(ctx context.Context, host string) {
	ips, _ := g.resolve(ctx, host)
	for _, ip := range ips {
		if internal(ip) {
			g.allowInternal = true
		}
	}
}

// DialContext dials the first allowed address of addr's host.
func (g *guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips, err := g.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	var refused net.IP
	var lastErr error
	for _, ip := range ips {
		if !g.allowInternal && internal(ip) {
			refused = ip
			continue
		}
		c, err := g.dial(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return c, nil
		}
		lastErr = err
	}
	if lastErr != nil {
		return nil, lastErr
	}
	if refused != nil {
		return nil, fmt.Errorf("%w: %s resolves to %s, not followed from a public site", errInternalAddress, host, refused)
	}
	return nil, &net.DNSError{Err: "no address", Name: host, IsNotFound: true}
}

// siteTransport is the network of one site: its own connections, dialled
// through the site's guard.
func siteTransport(g *guard, timeout time.Duration) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil // the guard must see the address dialled
	t.DialContext = g.DialContext
	t.MaxIdleConnsPerHost = 2
	t.ResponseHeaderTimeout = timeout
	return t
}
