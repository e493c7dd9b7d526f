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

// resolvePersonas gives every persona its token and returns the secrets to redact.
func (f *File) resolvePersonas(ctx context.Context, timeout time.Duration, offline bool) (persona.Set, []string, error) {
	var set persona.Set
	var secrets []string
	for i, p := range f.Personas {
		out := persona.Persona{Name: p.Name, Account: contract.Account(p.Account), Permissions: append([]string(nil), p.Permissions...)}
		at := fmt.Sprintf("personas[%d]", i)
		switch {
		case p.Mint:
			minted, err := token.MintSet(persona.Set{out}, mintTTL)
			if err != nil {
				return nil, nil, f.errorf(at+".mint", "%v", err)
			}
			out.Token = minted[0].Token
		case p.ClientCredentials != nil:
			secrets = append(secrets, p.ClientCredentials.ClientSecret)
			if offline {
				out.Token = OfflineToken
				break
			}
			tok, err := f.fetch(ctx, at+".clientCredentials", p.ClientCredentials, timeout)
			if err != nil {
				return nil, nil, err
			}
			out.Token = tok
		default:
			out.Token = p.Token
		}
		secrets = append(secrets, out.Token)
		set = append(set, out)
	}
	return set, secrets, nil
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
		return "", f.errorf(field, "no token from %s: %s", tokenURL, red.String(tokenError(err)))
	}
	if tok.AccessToken == "" {
		return "", f.errorf(field, "the token endpoint %s answered without an access_token", tokenURL)
	}
	return tok.AccessToken, nil
}

// tokenError is one line: Entra's error_description carries trace and correlation ids on further
// lines, and a raw body can be long.
func tokenError(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		msg := re.ErrorCode
		if d := firstLine(re.ErrorDescription); d != "" {
			msg += ": " + d
		}
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		if re.ErrorCode == "" {
			msg = "answer " + http.StatusText(status) + ": " + firstLine(string(re.Body))
		}
		return fmt.Sprintf("%s (HTTP %d); check tenantId, clientId and clientSecret", msg, status)
	}
	return firstLine(err.Error())
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}
