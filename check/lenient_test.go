package check

import (
	"strings"
	"testing"

	"github.com/graphconform/graphconform/contract"
)

// A Bearer challenge is a challenge whose scheme is Bearer, not the word Bearer anywhere in the header.
func TestChallengeSchemes(t *testing.T) {
	for _, tc := range []struct {
		header string
		bearer bool
	}{
		{`Bearer`, true},
		{`bearer error="invalid_token"`, true},
		{`Basic realm="graph", Bearer realm="", error="invalid_token"`, true},
		{`Bearer realm="a, b", error_description="c, Basic d"`, true},
		{`Basic realm="graph, Bearer realm"`, false},
		{`Basic realm="graph", Bearer="x"`, false},
		{`Basic realm="a \", Bearer b"`, false},
		{`Negotiate abc==, Basic realm="x"`, false},
		{`, ,`, false},
	} {
		r := resp(401, "", "")
		r.Header.Set("WWW-Authenticate", tc.header)
		if err := Challenge(r); (err == nil) != tc.bearer {
			t.Errorf("%s: Challenge = %v, want Bearer found %v", tc.header, err, tc.bearer)
		}
	}
}

func TestEffect(t *testing.T) {
	e := contract.Effect{Property: "onboardingStatus", Equals: `"notOnboarded"`, Source: "the page"}
	for _, tc := range []struct {
		status int
		body   string
		want   string // "" = the effect holds
	}{
		{200, `{"id":"x","onboardingStatus":"notOnboarded"}`, ""},
		{200, `{ "onboardingStatus" : "notOnboarded" }`, ""},
		{200, `{"onboardingStatus":"onboarded"}`, `expected onboardingStatus "notOnboarded" after the call (source: the page), got "onboarded"`},
		{200, `{"onboardingStatus":null}`, "got null"},
		{200, `{"id":"x"}`, `expected a "onboardingStatus" member`},
		{200, `{"value":{"onboardingStatus":"notOnboarded"}}`, `expected a "onboardingStatus" member`},
		{200, `[]`, "one JSON object"},
		{200, ``, "one JSON object"},
		{404, `{"error":{}}`, "expected 200 OK from the GET that shows onboardingStatus, got 404"},
	} {
		r := resp(tc.status, "application/json", tc.body)
		err := Effect(r, e)
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%d %s: %v, want %q", tc.status, tc.body, err, tc.want)
		}
	}
	if !SameJSON(`{"a":[1,2]}`, `{ "a": [1, 2] }`) || SameJSON(`1`, `"1"`) || SameJSON(`x`, `x`) {
		t.Error("SameJSON")
	}
}
