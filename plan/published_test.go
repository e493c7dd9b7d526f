package plan

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/internal/msgraphdata"
	"github.com/graphconform/graphconform/permissions"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/verdict"
)

const graphData = "../../shared/graph-data/"

var (
	publishedOnce sync.Once
	publishedDesc *spec.Description
	publishedPerm *permissions.Overlay
	publishedErr  error
)

// published is Microsoft's v1.0 description and permissions.json, read gzip-compressed in place.
func published(t *testing.T) (*spec.Description, *permissions.Overlay) {
	t.Helper()
	if testing.Short() {
		t.Skip("loads the 17.5 MB description")
	}
	desc := msgraphdata.OpenAPI(t) // skips when the shared data is absent
	perms := msgraphdata.PermissionsJSON(t)
	publishedOnce.Do(func() {
		if publishedDesc, publishedErr = spec.Load("openapi-v1.0.yaml", desc); publishedErr != nil {
			return
		}
		publishedPerm, publishedErr = permissions.Parse("permissions.json", perms)
	})
	if publishedErr != nil {
		t.Fatal(publishedErr)
	}
	return publishedDesc, publishedPerm
}

// caseKey is what makes two descriptions' cases of one operation the same.
func caseKey(c Case) string {
	return fmt.Sprintf("%s | %s | persona=%s | credential=%s | skip=%s", c.Requirement.ID, c.Name, c.Persona, c.Credential, c.Skip)
}

// Disconnect's cases are the same from Microsoft's whole v1.0 description, from its own fragment
// and from the shipped description, bar what only one of them declares: the PERM-005 cases of the
// grants permissions.json adds, and EFF-001 of the shipped x-graphconform-effect.
func TestDisconnectSameFromEveryDescription(t *testing.T) {
	full, perms := published(t)
	frag, err := os.ReadFile(graphData + "msgraph-openapi-remoteassistancepartners-v1.0.yaml")
	if err != nil {
		t.Skip(err)
	}
	fragDesc, err := spec.Load("msgraph-openapi-remoteassistancepartners-v1.0.yaml", frag)
	if err != nil {
		t.Fatal(err)
	}
	shippedDesc, err := spec.Default()
	if err != nil {
		t.Fatal(err)
	}
	const id = "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect"
	personas := withTokens(persona.Fixture())
	cases := func(d *spec.Description, src spec.PermissionSource) ([]string, contract.Operation) {
		ops, err := d.Contracts(context.Background(), spec.Options{Select: spec.Selector{OperationIDs: []string{id}}, Permissions: src})
		if err != nil || len(ops) != 1 {
			t.Fatalf("%s: %v %d", d.Name, err, len(ops))
		}
		var out []string
		for _, c := range Build(ops, personas) {
			if c.Requirement.ID == "PERM-005" || c.Requirement.ID == "EFF-001" {
				continue
			}
			// permissions.json also accepts DeviceManagementConfiguration.ReadWrite.All, which the
			// refusals' texts list; that is the permission it adds.
			out = append(out, strings.ReplaceAll(caseKey(c), "DeviceManagementConfiguration.ReadWrite.All, ", ""))
		}
		return out, ops[0]
	}
	want, shippedOp := cases(shippedDesc, nil)
	for _, tc := range []struct {
		d   *spec.Description
		src spec.PermissionSource
	}{{full, perms}, {fragDesc, perms}} {
		got, op := cases(tc.d, tc.src)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: cases differ from the shipped description's:\n%s", tc.d.Name, diffLines(want, got))
		}
		if op.Path != shippedOp.Path || op.Success != shippedOp.Success || op.Body.Accepted || op.SuccessSchema != nil {
			t.Errorf("%s: contract %+v", tc.d.Name, op)
		}
		k, _ := op.KeyParam()
		if k.Create == nil || k.Create.Presumed || k.Create.Collection != "/deviceManagement/remoteAssistancePartners" || k.Create.Fixture == nil {
			t.Errorf("%s: the fixture recipe is not the declared collection POST: %+v", tc.d.Name, k.Create)
		}
		body, err := fixtureEntity(&op, k, "x")
		if err != nil || body["@odata.type"] != "#microsoft.graph.remoteAssistancePartner" || body["displayName"] != "graphconform x" {
			t.Errorf("%s: fixture entity %v %v", tc.d.Name, body, err)
		}
	}
	t.Logf("%d cases, equal from the three descriptions", len(want))
}

func diffLines(want, got []string) string {
	w, g := map[string]bool{}, map[string]bool{}
	for _, s := range want {
		w[s] = true
	}
	for _, s := range got {
		g[s] = true
	}
	var b strings.Builder
	for _, s := range want {
		if !g[s] {
			fmt.Fprintf(&b, "- %s\n", s)
		}
	}
	for _, s := range got {
		if !w[s] {
			fmt.Fprintf(&b, "+ %s\n", s)
		}
	}
	return b.String()
}

// anyTable gives every operation permissions.json does not list a table, so that the generator's
// coverage is measured apart from permission matching (another package's concern).
type anyTable struct{ o *permissions.Overlay }

func (a anyTable) PermissionsFor(method, p, rev string) (contract.Permissions, bool) {
	if t, ok := a.o.PermissionsFor(method, p, rev); ok {
		return t, true
	}
	g := []contract.Grant{{Permission: "Graphconform.Test.All", Documented: true}}
	return contract.Permissions{Revision: rev, Schemes: map[contract.Account]contract.Scheme{
		contract.Work: {Supported: true, Grants: g}, contract.Application: {Supported: true, Grants: g}}}, true
}

// shape names an operation's shape: kind, keys, body, response.
func shape(op *contract.Operation) string {
	keys := len(op.Keys())
	k := fmt.Sprintf("%d keys", min(keys, 2))
	if keys >= 2 {
		k = "2+ keys"
	}
	body := "no body"
	switch {
	case op.Body.Accepted && op.Body.Required:
		body = "required body"
	case op.Body.Accepted:
		body = "optional body"
	}
	resp := fmt.Sprintf("%d", op.Success)
	if op.SuccessSchema != nil {
		resp += " content"
	}
	fn := ""
	for _, p := range op.PathParams {
		if p.Function {
			fn = ", parameters"
			break
		}
	}
	return fmt.Sprintf("%s, %s%s, %s, %s", op.Kind, k, fn, body, resp)
}

// The generator over every action and function of Microsoft's v1.0: how many get a contract and
// cases, by shape; and for a sample of every shape (at least 5 each), every case executed against
// a catch-all target sends a request with no template left and its body where one is required.
func TestPublishedActionsAndFunctions(t *testing.T) {
	d, perms := published(t)
	src := anyTable{perms}
	type row struct{ ops, contracts, selfContained, presumed, needKeys, cases int }
	rows := map[string]*row{}
	reasons := map[string]int{}
	var total [2]int // actions, functions
	for _, p := range d.Doc.Paths.Keys() {
		for _, op := range d.Doc.Paths.Value(p).Operations() {
			switch kind, _ := op.Extensions["x-ms-docs-operation-type"].(string); kind {
			case "action":
				total[0]++
			case "function":
				total[1]++
			}
		}
	}
	// One call: the default selection is every action and function.
	built, err := d.Contracts(context.Background(), spec.Options{Permissions: src})
	if err != nil {
		reasons[err.Error()]++
	}
	for i := range built {
		op := &built[i]
		sh := shape(op)
		if rows[sh] == nil {
			rows[sh] = &row{}
		}
		r := rows[sh]
		r.ops++
		r.contracts++
		self := true
		for _, k := range op.Keys() {
			self = self && k.Create != nil
		}
		for _, p := range op.PathParams {
			self = self && (!p.Function || p.Value != "")
			if p.Create != nil && p.Create.Presumed {
				r.presumed++
			}
		}
		if self {
			r.selfContained++
		} else {
			r.needKeys++
		}
		r.cases += len(Build(built[i:i+1], publishedPersonas(op)))
	}
	var names []string
	for s := range rows {
		names = append(names, s)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%d actions, %d functions; %d contracts\n", total[0], total[1], len(built))
	for _, s := range names {
		r := rows[s]
		fmt.Fprintf(&b, "  %-55s %4d operations, %4d with every key creatable (and parameter given), %4d needing target.keys, %6d cases; %d keys on a presumed collection POST\n", s, r.ops, r.selfContained, r.needKeys, r.cases, r.presumed)
	}
	noValue := map[string]bool{}
	for _, op := range built {
		for _, p := range op.PathParams {
			if p.Function && p.Value == "" {
				noValue[op.ID] = true
			}
		}
	}
	fmt.Fprintf(&b, "  %d operations have a function parameter whose schema gives no URL value\n", len(noValue))
	for r, n := range reasons {
		fmt.Fprintf(&b, "  not built: %4d  %s\n", n, r)
	}
	t.Log("\n" + b.String())
	if total[0] != 1213 || total[1] != 327 {
		t.Errorf("%d actions and %d functions, want 1213 and 327 (the data's README)", total[0], total[1])
	}
	if len(built) < (total[0]+total[1])*9/10 {
		t.Errorf("only %d of %d actions and functions get a contract", len(built), total[0]+total[1])
	}

	// The sample: up to 5 operations of every shape, every case executed.
	sample := map[string][]contract.Operation{}
	for _, op := range built {
		sh := shape(&op)
		if len(sample[sh]) < 5 {
			sample[sh] = append(sample[sh], op)
		}
	}
	tgt := &catchAll{}
	srv, err := mock.Start(tgt)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, sh := range names {
		for i := range sample[sh] {
			op := sample[sh][i]
			env := &Env{BaseURL: srv.URL, Personas: publishedPersonas(&op), PassingExchanges: true, Keys: map[string]string{}}
			for _, k := range op.PathParams {
				if k.Function && k.Value == "" || !k.Function && k.Create == nil {
					env.Keys[k.Name] = "configured-" + k.Name
				}
			}
			env.Client = exchange.New(exchange.Options{Redactor: redact.New(env.Personas.Tokens()...)})
			for _, c := range Build([]contract.Operation{op}, env.Personas) {
				v := c.Execute(context.Background(), env)
				if v.Outcome == verdict.Skip && c.Skip == "" && !strings.HasPrefix(v.Message, "not exercised: no ") {
					t.Errorf("%s %s: skipped at run time: %s", op.ID, c.Text(), v.Message)
				}
				for _, x := range v.Exchanges {
					url := strings.Fields(x.Curl)
					if strings.Contains(x.Curl, "%7B") || strings.Contains(x.Curl, "%7D") || templateLeft(x.Curl, &op) {
						t.Errorf("%s %s: a template was sent: %v", op.ID, c.Text(), url)
					}
				}
				if (c.Requirement.ID == "DISC-001" || c.Requirement.ID == "BODY-001") && op.Body.Required {
					if len(v.Exchanges) == 0 {
						t.Errorf("%s %s: nothing sent: %s %s", op.ID, c.Text(), v.Outcome, v.Message)
						continue
					}
					last := v.Exchanges[len(v.Exchanges)-1].Curl
					if !strings.Contains(last, "--data") && !strings.Contains(last, "-d ") {
						t.Errorf("%s %s: no body sent where one is required: %s", op.ID, c.Text(), last)
					}
				}
			}
		}
	}
	tgt.mu.Lock()
	t.Logf("sample of %d shapes executed: %d requests", len(sample), tgt.n)
	tgt.mu.Unlock()
}

// publishedPersonas are a work and an application persona holding the operation's documented
// grants (so that the cases are built, not skipped for want of a persona) and one holding nothing.
func publishedPersonas(op *contract.Operation) persona.Set {
	grants := func(acc contract.Account) []string {
		var out []string
		for _, g := range op.Permissions.Schemes[acc].Grants {
			if g.Documented {
				out = append(out, g.Permission)
			}
		}
		return out
	}
	return persona.Set{
		{Name: "admin", Account: contract.Work, Permissions: grants(contract.Work), Token: "token-of-admin"},
		{Name: "app", Account: contract.Application, Permissions: grants(contract.Application), Token: "token-of-app"},
		{Name: "nobody", Account: contract.Work, Permissions: []string{"User.Read"}, Token: "token-of-nobody"},
	}
}

// catchAll answers every request: 201 with an id to a POST that looks like a creation, else 200.
type catchAll struct {
	mu sync.Mutex
	n  int
}

func (c *catchAll) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodPost && bytes.Contains(body, []byte(`"displayName":"graphconform`)) || bytes.Contains(body, []byte(`"@odata.type"`)) {
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"id":"created-1"}`)
		return
	}
	fmt.Fprint(w, `{}`)
}

// templateLeft tells whether a request still holds one of the operation's {parameters}.
func templateLeft(curl string, op *contract.Operation) bool {
	for _, p := range op.PathParams {
		if strings.Contains(curl, "{"+p.Name+"}") {
			return true
		}
	}
	return false
}
