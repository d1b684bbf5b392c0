package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"

	"github.com/debrief-sre/debrief/app"
)

// configError is a bad setting; it prints as one line that names the
// setting, the bad value and what is allowed.
type configError struct {
	Name, Value string
	Err         error
}

func (e *configError) Error() string {
	return fmt.Sprintf("%s=%q is not valid: %v", e.Name, redactURL(e.Value), e.Err)
}

// redactURL hides the password of a URL-shaped value (database and SMTP
// URLs), so a bad setting never prints a secret.
func redactURL(v string) string {
	if u, err := url.Parse(v); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return u.Redacted()
		}
	}
	return v
}

// parseConfig reads the settings from getenv and then from the flags in
// args. It returns the remaining arguments.
func parseConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (*config, []string, error) {
	c := &config{}
	fs := flag.NewFlagSet("debrief "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	values := make([]*string, len(settings))
	for i, s := range settings {
		if s.Flag == "" {
			continue
		}
		values[i] = fs.String(s.Flag, "", s.Help+envNote(s.Env))
	}
	fs.BoolVar(&c.Migrate, "migrate", false, "Apply pending database migrations before serving.")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	for i, s := range settings {
		name, v := s.Env, ""
		if s.Env != "" {
			v = getenv(s.Env)
		}
		if v == "" {
			v = s.Default
		}
		if values[i] != nil && *values[i] != "" {
			v, name = *values[i], "--"+s.Flag
		}
		if name == "" {
			name = "--" + s.Flag
		}
		if err := s.parse(v, c); err != nil {
			if strings.Contains(s.Env, "TOKEN") || strings.Contains(s.Env, "SECRET") {
				v = "xxxxx" // a secret is not printed, even a bad one
			}
			return nil, nil, &configError{Name: name, Value: v, Err: err}
		}
	}
	if c.Addr == "" {
		c.Addr = ":" + c.Port
	}
	if c.OIDC.Issuer != "" && c.OIDC.ClientID == "" {
		return nil, nil, &configError{Name: "DEBRIEF_OIDC_CLIENT_ID", Value: "", Err: errors.New("required when DEBRIEF_OIDC_ISSUER is set")}
	}
	if c.OIDC.Issuer == "" {
		c.OIDC = app.OIDCConfig{}
	}
	if c.SMTP != nil && c.MailFrom == nil {
		return nil, nil, &configError{Name: "DEBRIEF_MAIL_FROM", Value: "", Err: errors.New(`it is required when DEBRIEF_SMTP_URL is set: the address Debrief's mail comes from, like "Debrief <debrief@example.com>"`)}
	}
	return c, fs.Args(), nil
}

// parseCIDRs reads a comma-separated list of networks; a bare address is
// a network of one.
func parseCIDRs(v string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			ip := net.ParseIP(part)
			if ip == nil {
				return nil, fmt.Errorf("%q is not an address or CIDR; want e.g. 10.0.0.0/8,192.0.2.10", part)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR; want e.g. 10.0.0.0/8,fd00::/8", part)
		}
		out = append(out, n)
	}
	return out, nil
}

func envNote(env string) string {
	if env == "" {
		return ""
	}
	return " (env " + env + ")"
}
