package plan

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/reliability/faults"
	"github.com/graphconform/graphconform/verdict"
)

// TestNoContentQuotesNoSecret (issue 11, item 14): DISC-002 quotes the bytes a 204 carries, cut to
// 60; a target that sends the token there (raw, base64, JSON-escaped) gets a failure that counts
// every byte and quotes none of the token: the bytes are masked before they are cut.
func TestNoContentQuotesNoSecret(t *testing.T) {
	t.Parallel()
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	set, err := token.MintSet(persona.Fixture(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, base := faults.Serve(t, faults.Echo(m))
	env := &Env{BaseURL: base, Personas: set, Client: exchange.New(exchange.Options{Redactor: redact.New(set.Tokens()...)})}
	judged := 0
	for _, c := range byReq(Build([]contract.Operation{shipped(t, "")}, set))["DISC-002"] {
		v := c.Execute(context.Background(), env)
		judged++
		if v.Outcome != verdict.Fail || !strings.Contains(v.Message, "body byte(s) after the header block") {
			t.Fatalf("DISC-002 against stray bytes: %s %q", v.Outcome, v.Message)
		}
		for _, p := range set {
			for i := 0; i+redact.MinSecret <= len(p.Token); i++ {
				if strings.Contains(v.Message, p.Token[i:i+redact.MinSecret]) {
					t.Fatalf("the message quotes a piece of %s's token: %q", p.Name, v.Message)
				}
			}
		}
		t.Logf("%s", v.Message)
	}
	if judged == 0 {
		t.Fatal("no DISC-002 case")
	}
}
