package faults

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// EchoPause is how long Echo waits between the two writes of a credential it splits.
const EchoPause = 200 * time.Millisecond

// Echo wraps next (a working target) so that it hands every credential it receives back, in every
// reversible encoding a careless or hostile implementation could use (EchoForms):
//   - every answer to a request with an Authorization header carries one X-Echo-<form> header per
//     form of the credential;
//   - every error answer names the credential in its message ("token X is invalid") and carries
//     each form in the error object; a 403's error.code is an object holding the credential's
//     base64 and hex forms (ERR-001 fails and quotes it);
//   - a refused credential that looks like a JWT (AUTH-001's tampered token) is answered 400
//     instead of 401, so that the case fails and its exchanges reach the console, over a raw
//     connection that splits the credential across two writes EchoPause apart, in a header and
//     again in the body;
//   - a 204 is followed on the wire by bytes quoting the credential (DISC-002 quotes them).
func Echo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if auth == "" {
			next.ServeHTTP(w, r)
			return
		}
		cred := auth
		if _, c, ok := strings.Cut(auth, " "); ok {
			cred = strings.TrimSpace(c)
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		h := w.Header()
		for k, v := range res.Header {
			h[k] = v
		}
		h.Set("X-Echo-Authorization", auth)
		forms := EchoForms(cred)
		for _, name := range sortedKeys(forms) {
			h.Set("X-Echo-"+name, forms[name])
		}
		switch {
		case res.StatusCode == http.StatusUnauthorized && jwtShaped(cred):
			splitAnswer(w, h, cred, forms)
		case res.StatusCode == http.StatusNoContent:
			strayAfter204(w, h, "token "+cred+" is invalid "+forms["Base64"]+" "+forms["JSON"])
		case res.StatusCode >= 400:
			body := echoEnvelope(rec.Body.Bytes(), cred, forms, res.StatusCode == http.StatusForbidden)
			h.Del("Content-Length")
			w.WriteHeader(res.StatusCode)
			w.Write(body)
		default:
			w.WriteHeader(res.StatusCode)
			w.Write(rec.Body.Bytes())
		}
	})
}

// EchoForms are the encodings Echo hands a credential back in, by name: each can be decoded back
// to the credential, so each is the credential.
func EchoForms(cred string) map[string]string {
	b := []byte(cred)
	var jsonLower, jsonUpper, entDec, entHex strings.Builder
	for _, c := range b {
		fmt.Fprintf(&jsonLower, `\u%04x`, c)
		fmt.Fprintf(&jsonUpper, `\u%04X`, c)
		fmt.Fprintf(&entDec, "&#%d;", c)
		fmt.Fprintf(&entHex, "&#x%X;", c)
	}
	return map[string]string{
		"Upper":           strings.ToUpper(cred),
		"Lower":           strings.ToLower(cred),
		"Query":           url.QueryEscape("Bearer " + cred),
		"Path":            url.PathEscape("Bearer " + cred),
		"Base64":          base64.StdEncoding.EncodeToString(b),
		"Base64-Raw":      base64.RawStdEncoding.EncodeToString(b),
		"Base64url":       base64.URLEncoding.EncodeToString(b),
		"Base64url-Raw":   base64.RawURLEncoding.EncodeToString(b),
		"Base64-Bearer":   base64.StdEncoding.EncodeToString([]byte("Bearer " + cred)), // shifted by one byte
		"Base64url-Basic": base64.RawURLEncoding.EncodeToString([]byte("u:" + cred)),   // shifted by two
		"JSON":            jsonLower.String(),
		"JSON-Upper":      jsonUpper.String(),
		"HTML":            entDec.String(),
		"HTML-Hex":        entHex.String(),
		"Hex":             hex.EncodeToString(b),
		"Hex-Upper":       strings.ToUpper(hex.EncodeToString(b)),
	}
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func jwtShaped(s string) bool { return strings.HasPrefix(s, "eyJ") && strings.Count(s, ".") == 2 }

// echoEnvelope is a Graph error envelope whose message names the credential and whose error object
// carries each form. The JSON and HTML forms are written as they are (json.Marshal would escape
// their backslashes and ampersands, which is a different form).
func echoEnvelope(orig []byte, cred string, forms map[string]string, codeObject bool) []byte {
	code := "InvalidAuthenticationToken"
	var env struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(orig, &env) == nil && env.Error.Code != "" {
		code = env.Error.Code
	}
	quoted := strconv.Quote(code)
	if codeObject {
		quoted = `{"b64":"` + forms["Base64"] + `","hex":"` + forms["Hex"] + `"}`
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"error":{"code":%s,"message":"token %s is invalid (you sent Authorization: Bearer %s)"`, quoted, cred, cred)
	for _, name := range sortedKeys(forms) {
		fmt.Fprintf(&b, `,"echo%s":"%s"`, strings.ReplaceAll(name, "-", ""), forms[name])
	}
	b.WriteString(`}}`)
	return b.Bytes()
}

// splitAnswer answers 400 over the raw connection, splitting the credential in the middle across two
// writes EchoPause apart: once inside a header value, once inside the body.
func splitAnswer(w http.ResponseWriter, h http.Header, cred string, forms map[string]string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "no hijack", http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	body := echoEnvelope(nil, cred, forms, false)
	half := len(cred) / 2
	buf.WriteString("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\n")
	buf.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n")
	for k, vs := range h {
		if k == "Content-Length" || k == "Content-Type" {
			continue
		}
		for _, v := range vs {
			buf.WriteString(k + ": " + v + "\r\n")
		}
	}
	buf.WriteString("X-Echo-Split: " + cred[:half])
	buf.Flush()
	time.Sleep(EchoPause)
	buf.WriteString(cred[half:] + "\r\n\r\n")
	i := bytes.Index(body, []byte(cred)) + half
	buf.Write(body[:i])
	buf.Flush()
	time.Sleep(EchoPause)
	buf.Write(body[i:])
	buf.Flush()
}

// EchoTokenEndpoint is an OAuth 2.0 token endpoint that issues tok to clientID and secret, and,
// when refusing, quotes what it received: the decoded secret, and the form body as sent (the secret
// URL-encoded), in an error_description where a 300-byte cut falls inside the URL-encoded secret.
func EchoTokenEndpoint(t testing.TB, clientID, secret, tok string, used func()) string {
	srv, _ := Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		form, _ := url.ParseQuery(string(raw))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo-Form", string(raw))
		if form.Get("client_id") != clientID || form.Get("client_secret") != secret {
			w.WriteHeader(http.StatusUnauthorized)
			const intro = "AADSTS7000215: Invalid client secret provided: "
			sent := url.QueryEscape(form.Get("client_secret"))
			pad := strings.Repeat(".", max(0, 300-len(intro)-len(sent)/2))
			desc := intro + pad + sent + " (" + form.Get("client_secret") + ") in " + string(raw) + "\r\nTrace ID: 1"
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": desc})
			return
		}
		used()
		json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
	}))
	return srv.URL + "/tenant/oauth2/v2.0/token"
}
