package config

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/input"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/redact"
)

// mintTTL is the lifetime of fixture-minted tokens: longer than any run.
const mintTTL = 2 * time.Hour

// OfflineToken is the placeholder a clientCredentials persona carries in an offline (dry) run.
const OfflineToken = "offline-placeholder-token-not-sent"

// tlsConfig is nil unless the file asks for something other than the system defaults.
func (f *File) tlsConfig() (*tls.Config, error) {
	t := f.Target
	if !t.InsecureSkipVerify && t.CAFile == "" {
		return nil, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: t.InsecureSkipVerify} //nolint:gosec // opted in by the user, for private test targets
	if t.CAFile == "" {
		return tc, nil
	}
	path := t.CAFile
	if !filepath.IsAbs(path) {
		path = filepath.Join(f.dir(), path)
	}
	pem, err := input.ReadFile(path, input.CAFile, "CA files")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, f.errorf("target.caFile", "cannot read %s: %v", path, err)
	}
	// The CA is added to the system roots: a private CA for the target, public ones for the rest.
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, f.errorf("target.caFile", "%s holds no PEM certificate (want -----BEGIN CERTIFICATE----- blocks)", path)
	}
	tc.RootCAs = pool
	return tc, nil
}

// resolvePersonas gives every persona its token and returns the secrets to redact. A
// clientCredentials persona gets its token from fetch, which sends the client secret to the token
// endpoint: it is run by conformance.Prepared.Connect after every local check, never here
// (offline, the persona gets OfflineToken and nothing is fetched).
func (f *File) resolvePersonas(timeout time.Duration, offline bool) (set persona.Set, secrets []string, fetch func(context.Context) (map[string]string, error), err error) {
	type pending struct {
		name, field string
		cc          *ClientCredentials
	}
	var fetches []pending
	for i, p := range f.Personas {
		out := persona.Persona{Name: p.Name, Account: contract.Account(p.Account), Permissions: append([]string(nil), p.Permissions...)}
		at := fmt.Sprintf("personas[%d]", i)
		switch {
		case p.Mint:
			minted, err := token.MintSet(persona.Set{out}, mintTTL)
			if err != nil {
				return nil, nil, nil, f.errorf(at+".mint", "%v", err)
			}
			out.Token = minted[0].Token
		case p.ClientCredentials != nil:
			secrets = append(secrets, p.ClientCredentials.ClientSecret)
			if offline {
				out.Token = OfflineToken
				break
			}
			fetches = append(fetches, pending{p.Name, at + ".clientCredentials", p.ClientCredentials})
		default:
			out.Token = p.Token
		}
		if out.Token != "" {
			secrets = append(secrets, out.Token)
		}
		set = append(set, out)
	}
	if len(fetches) == 0 {
		return set, secrets, nil, nil
	}
	fetch = func(ctx context.Context) (map[string]string, error) {
		tokens := map[string]string{}
		for _, p := range fetches {
			tok, err := f.fetch(ctx, p.field, p.cc, timeout)
			if err != nil {
				return nil, err
			}
			tokens[p.name] = tok
		}
		return tokens, nil
	}
	return set, secrets, fetch, nil
}

// fetch gets an app-only token with the client credentials grant. x/oauth2 does the form encoding,
// parses RFC 6749 error answers and checks the response; the token is fetched once per run.
func (f *File) fetch(ctx context.Context, field string, c *ClientCredentials, timeout time.Duration) (string, error) {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	tokenURL := c.TokenURL
	if tokenURL == "" {
		tokenURL = "https://login.microsoftonline.com/" + url.PathEscape(c.TenantID) + "/oauth2/v2.0/token"
	}
	scopes := strings.Fields(c.Scope)
	if len(scopes) == 0 {
		scopes = []string{DefaultScope}
	}
	cc := clientcredentials.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, TokenURL: tokenURL,
		Scopes: scopes, AuthStyle: oauth2.AuthStyleInParams} // Entra documents the secret in the form body
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Redirects are refused: following one could carry the secret elsewhere.
	hc := &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, hc))
	red := redact.New(c.ClientSecret)
	if err != nil {
		return "", f.errorf(field, "no token from %s: %s", tokenURL, tokenError(err, red))
	}
	if tok.AccessToken == "" {
		return "", f.errorf(field, "the token endpoint %s answered without an access_token", tokenURL)
	}
	if len(tok.AccessToken) < redact.MinSecret {
		return "", f.errorf(field, "the token endpoint %s answered an access_token of %d characters; one under %d cannot be told from ordinary text, so it could not be kept out of the reports", tokenURL, len(tok.AccessToken), redact.MinSecret)
	}
	return tok.AccessToken, nil
}

// tokenError is one line, redacted: Entra's error_description carries trace and correlation ids
// on further lines, and a raw body can be long.
func tokenError(err error, red *redact.Redactor) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		msg := re.ErrorCode
		if d := firstLine(re.ErrorDescription, red); d != "" {
			msg += ": " + d
		}
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		if re.ErrorCode == "" {
			msg = "answer " + http.StatusText(status) + ": " + firstLine(string(re.Body), red)
		}
		return fmt.Sprintf("%s (HTTP %d); check tenantId, clientId and clientSecret", red.String(msg), status)
	}
	return firstLine(err.Error(), red)
}

// firstLine is the first line of s, redacted, then cut to 300 bytes: cutting first could keep the
// part of a secret that no longer matches it whole.
func firstLine(s string, red *redact.Redactor) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	s = strings.TrimSpace(red.String(s))
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}
