package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/suites/conformance"
)

// validate checks what can be checked without the network or the file system.
func (f *File) validate() error {
	if err := f.validateTarget(); err != nil {
		return err
	}
	if err := f.validateSelect(); err != nil {
		return err
	}
	if err := f.validateProduct(); err != nil {
		return err
	}
	if err := f.validateFixtureIssuer(); err != nil {
		return err
	}
	seen := map[string]int{}
	for i := range f.Personas {
		if err := f.validatePersona(i, seen); err != nil {
			return err
		}
	}
	return nil
}

func (f *File) validateTarget() error {
	t := &f.Target
	if t.BaseURL != "" {
		u, err := url.Parse(t.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return f.errorf("target.baseURL", "%q is not an http(s) URL with a host; write e.g. https://graph.example.com/v1.0", t.BaseURL)
		}
		if u.User != nil {
			return f.errorf("target.baseURL", "credentials in the URL are not supported; use personas")
		}
	}
	if t.Timeout != "" {
		d, err := time.ParseDuration(t.Timeout)
		if err != nil || d <= 0 {
			return f.errorf("target.timeout", "%q is not a positive Go duration; write e.g. 10s or 1m30s", t.Timeout)
		}
		t.timeout = d
	}
	if r := t.Retry; r != nil {
		if r.Max != nil && (*r.Max < 0 || *r.Max > 10) {
			return f.errorf("target.retry.max", "%d is out of range; wait out 0 to 10 throttling answers per request", *r.Max)
		}
		if r.MaxWait != "" {
			d, err := time.ParseDuration(r.MaxWait)
			if err != nil || d <= 0 || d > 5*time.Minute {
				return f.errorf("target.retry.maxWait", "%q is not a Go duration between 0 and 5m; write e.g. 10s", r.MaxWait)
			}
			r.maxWait = d
		}
	}
	if t.InsecureSkipVerify && t.CAFile != "" {
		return f.errorf("target.insecureSkipVerify", "set either insecureSkipVerify or caFile, not both (caFile keeps certificate checks on)")
	}
	return nil
}

func (f *File) validatePersona(i int, seen map[string]int) error {
	p := &f.Personas[i]
	at := fmt.Sprintf("personas[%d]", i)
	if p.Name == "" {
		return f.errorf(at, "a persona needs a name:")
	}
	if prev, dup := seen[p.Name]; dup {
		return f.errorf(at+".name", "%q is already the name of personas[%d]; names must be unique", p.Name, prev)
	}
	seen[p.Name] = i
	if p.Account == "" {
		return f.errorf(at, "persona %q needs account: work, personal or application", p.Name)
	}
	if _, err := contract.ParseAccount(p.Account); err != nil {
		return f.errorf(at+".account", "%q is not one of work, personal, application", p.Account)
	}
	for j, perm := range p.Permissions {
		if strings.TrimSpace(perm) == "" || strings.ContainsAny(perm, " \t,") {
			return f.errorf(fmt.Sprintf("%s.permissions[%d]", at, j), "%q is not a permission name; list one per item, e.g. [DeviceManagementServiceConfig.Read.All]", perm)
		}
	}
	sources := 0
	for _, set := range []bool{p.Token != "" || f.present(at+".token"), p.Mint, p.ClientCredentials != nil} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		return f.errorf(at, "persona %q needs exactly one of token:, mint: true or clientCredentials: (has %d)", p.Name, sources)
	}
	if f.present(at+".token") && strings.TrimSpace(p.Token) == "" {
		return f.errorf(at+".token", "empty token for persona %q (an unset-but-empty environment variable?)", p.Name)
	}
	if strings.HasPrefix(strings.ToLower(p.Token), "bearer ") {
		return f.errorf(at+".token", "write the token without the \"Bearer \" prefix")
	}
	if p.Token != "" && len(p.Token) < redact.MinSecret {
		return f.errorf(at+".token", "%s", tooShort("the token of persona "+strconv.Quote(p.Name), p.Token))
	}
	if p.ClientCredentials != nil {
		return f.validateClientCredentials(at, p)
	}
	return nil
}

// tooShort says why a secret under redact.MinSecret characters is refused, without printing it:
// the redactor cannot tell so short a string from ordinary text, so it would reach the reports.
func tooShort(what, secret string) string {
	n := fmt.Sprintf("%d characters", len(secret))
	if len(secret) == 1 {
		n = "1 character"
	}
	return fmt.Sprintf("%s is %s; secrets under %d characters cannot be kept out of the reports (is it a placeholder or an unexpanded variable?)", what, n, redact.MinSecret)
}

func (f *File) present(field string) bool { _, ok := f.lines[field]; return ok }

func (f *File) validateClientCredentials(at string, p *Persona) error {
	c := p.ClientCredentials
	cc := at + ".clientCredentials"
	if p.Account != string(contract.Application) {
		return f.errorf(at+".account", "clientCredentials gives an app-only token; set account: application")
	}
	if c.ClientID == "" {
		return f.errorf(cc, "clientId is required")
	}
	if c.ClientSecret == "" {
		return f.errorf(cc, "clientSecret is required; write clientSecret: ${YOUR_SECRET_VARIABLE}")
	}
	if len(c.ClientSecret) < redact.MinSecret {
		return f.errorf(cc+".clientSecret", "%s", tooShort("the client secret of persona "+strconv.Quote(p.Name), c.ClientSecret))
	}
	if c.TenantID == "" && c.TokenURL == "" {
		return f.errorf(cc, "tenantId is required (or tokenURL)")
	}
	if c.TenantID != "" && strings.ContainsAny(c.TenantID, "/?#% ") {
		return f.errorf(cc+".tenantId", "%q is not a tenant id or domain", c.TenantID)
	}
	if c.TokenURL != "" {
		u, err := url.Parse(c.TokenURL)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return f.errorf(cc+".tokenURL", "%q is not an http(s) URL", c.TokenURL)
		}
		// The client secret goes in the request body: never in clear text off this machine.
		if u.Scheme == "http" && !conformance.IsLoopbackHost(u.Hostname()) {
			return f.errorf(cc+".tokenURL", "%q would send the client secret unencrypted; use https (http only for loopback test servers)", c.TokenURL)
		}
	}
	return nil
}
