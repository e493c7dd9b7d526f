package check

import (
	"net/http"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
)

var graphEnv = contract.ErrorEnvelope{MediaType: "application/json", Property: "error", Required: []string{"code", "message"}, Schema: "ODataError"}

func resp(status int, ct, body string) *exchange.Response {
	h := http.Header{}
	if ct != "" {
		h.Set("Content-Type", ct)
	}
	return &exchange.Response{Status: status, Header: h, Body: []byte(body), BodyBytes: len(body)}
}

func TestEnvelope(t *testing.T) {
	cases := []struct {
		name, ct, body, wantErr string
	}{
		{"graph 401", "application/json", `{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty.","innerError":{"date":"2020-09-11T11:21:34","request-id":"x"}}}`, ""},
		{"media type parameters", "application/json; charset=utf-8", `{"error":{"code":"a","message":"b"}}`, ""},
		{"details and target", "application/json", `{"error":{"code":"a","message":"b","target":null,"details":[{"code":"c","message":"d"}]}}`, ""},
		{"plain text", "text/plain", "Forbidden", "Content-Type application/json"},
		{"no content type", "", `{"error":{"code":"a","message":"b"}}`, "Content-Type"},
		{"not json", "application/json", "<html>", "one JSON object"},
		{"json array", "application/json", `[1]`, "one JSON object"},
		{"no error member", "application/json", `{"message":"x"}`, `"error" property`},
		{"error not object", "application/json", `{"error":"boom"}`, "to be an object"},
		{"missing message", "application/json", `{"error":{"code":"a"}}`, "error.message (string)"},
		{"numeric code", "application/json", `{"error":{"code":403,"message":"m"}}`, "error.code to be a string"},
		{"bad details", "application/json", `{"error":{"code":"a","message":"b","details":"x"}}`, "details"},
		{"bad innerError", "application/json", `{"error":{"code":"a","message":"b","innerError":"x"}}`, "innerError"},
	}
	for _, c := range cases {
		err := Envelope(resp(403, c.ct, c.body), graphEnv)
		if c.wantErr == "" && err != nil {
			t.Errorf("%s: unexpected error %v", c.name, err)
		}
		if c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
			t.Errorf("%s: want error containing %q, got %v", c.name, c.wantErr, err)
		}
	}
	r := resp(500, "application/json", `{"error":{"code":"a","message":"b"}}`)
	r.Truncated, r.BodyBytes = true, 5<<20
	if err := Envelope(r, graphEnv); err == nil || !strings.Contains(err.Error(), "more than the suite reads") {
		t.Errorf("truncated body: %v", err)
	}
}

func TestStatusChecks(t *testing.T) {
	if Status(resp(204, "", ""), 204) != nil || Status(resp(200, "", ""), 204) == nil {
		t.Error("Status")
	}
	if OneOf(resp(403, "", ""), 401, 403) != nil || OneOf(resp(400, "", ""), 401, 403) == nil {
		t.Error("OneOf")
	}
	for _, s := range []int{200, 201, 204, 299} {
		if Accepted(resp(s, "", "")) != nil || NotAccepted(resp(s, "", "")) == nil {
			t.Errorf("Accepted/NotAccepted %d", s)
		}
	}
	for _, s := range []int{301, 400, 404, 500} {
		if Accepted(resp(s, "", "")) == nil || NotAccepted(resp(s, "", "")) != nil {
			t.Errorf("Accepted/NotAccepted %d", s)
		}
	}
	if ClientError(resp(401, "", "")) != nil || ClientError(resp(500, "", "")) == nil || ClientError(resp(204, "", "")) == nil {
		t.Error("ClientError")
	}
	if !IsError(resp(404, "", "")) || IsError(resp(302, "", "")) {
		t.Error("IsError")
	}
}

func TestHeaders(t *testing.T) {
	r := resp(401, "", "")
	if Challenge(r) == nil {
		t.Error("no challenge must fail")
	}
	r.Header.Set("WWW-Authenticate", `Basic realm="graph"`)
	if Challenge(r) == nil {
		t.Error("Basic challenge must fail")
	}
	r.Header.Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
	if err := Challenge(r); err != nil {
		t.Error(err)
	}
	r.Header.Set("WWW-Authenticate", `Basic realm="x", Bearer realm="y"`)
	if err := Challenge(r); err != nil {
		t.Errorf("a Bearer challenge among several: %v", err)
	}

	r = resp(405, "", "")
	if Allows(r, "POST") == nil {
		t.Error("missing Allow must fail")
	}
	r.Header.Set("Allow", "GET, HEAD")
	if Allows(r, "POST") == nil {
		t.Error("Allow without POST must fail")
	}
	r.Header.Set("Allow", "get, post")
	if err := Allows(r, "POST"); err != nil {
		t.Error(err)
	}

	if RequestID(r) == nil {
		t.Error("missing request-id must fail")
	}
	r.Header.Set("request-id", "abc")
	if RequestID(r) != nil {
		t.Error("request-id present")
	}
	if EchoesClientRequestID(r, "x") == nil {
		t.Error("missing echo must fail")
	}
	r.Header.Set("client-request-id", "y")
	if err := EchoesClientRequestID(r, "x"); err == nil || !strings.Contains(err.Error(), `got "y"`) {
		t.Errorf("wrong echo: %v", err)
	}
	r.Header.Set("client-request-id", "x")
	if EchoesClientRequestID(r, "x") != nil {
		t.Error("echo present")
	}
}

func TestNoContent(t *testing.T) {
	wire := func(lines []string, trailing string) *exchange.Wire {
		w := &exchange.Wire{Status: 204, Header: http.Header{}, Trailing: []byte(trailing)}
		for _, l := range lines {
			k, v, _ := strings.Cut(l, ":")
			w.Header.Add(k, strings.TrimSpace(v))
		}
		return w
	}
	if err := NoContent(wire([]string{"Request-Id: x"}, "")); err != nil {
		t.Error(err)
	}
	if err := NoContent(wire([]string{"Content-Length: 0"}, "")); err != nil {
		t.Error(err)
	}
	for name, w := range map[string]*exchange.Wire{
		"body bytes":        wire(nil, `{"ok":true}`),
		"content-length":    wire([]string{"Content-Length: 11"}, ""),
		"transfer-encoding": wire([]string{"Transfer-Encoding: chunked"}, "0\r\n\r\n"),
	} {
		if NoContent(w) == nil {
			t.Errorf("%s: must fail", name)
		}
	}
}
