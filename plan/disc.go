package plan

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"

	"github.com/graphconform/graphconform/check"
)

// response: DISC-001 (the documented success status) and DISC-002 (no content on the wire).
func (g generator) response() []Case {
	op := g.op
	out := []Case{g.newCase("DISC-001", fmt.Sprintf("the documented request answers %d", op.Success), func(t *T) result {
		expected := fmt.Sprintf("%d", op.Success)
		resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, documented, nil, nil)
		if err != nil {
			return broken(err, expected)
		}
		return judge(check.Status(resp, op.Success), expected)
	})}
	if op.Success == http.StatusNoContent {
		out = append(out, g.newCase("DISC-002", "the success response carries no content on the wire", func(t *T) result {
			const expected = "204 with no body bytes, no non-zero Content-Length, no Transfer-Encoding"
			req, err := t.actionRequest(g.setup, creds{persona: g.setup}, op.Method, documented, nil, nil)
			if err != nil {
				return broken(err, expected)
			}
			w, err := t.sendWire(req)
			if err != nil {
				return broken(err, expected)
			}
			if w.Status != http.StatusNoContent {
				return notApplicable("the target answered %d, not 204; DISC-001 judges the status", w.Status)
			}
			// The raw wire is not stream-masked, and the message quotes (and cuts) the stray bytes:
			// mask secrets first, at equal length, so the counts stay true.
			masked := *w
			masked.Trailing = t.env.Client.Redactor.Hide(w.Trailing)
			return judge(check.NoContent(&masked), expected)
		}))
	}
	return out
}

// body: the request-body rules. DISC-003..006 for an action without parameters, BODY-001..005
// for one with (bodyCases); a GET (a function) takes no body.
func (g generator) body() []Case {
	op := g.op
	if op.Body.Accepted {
		return g.bodyCases()
	}
	if op.Method == http.MethodGet {
		return nil
	}
	accepted := func(header http.Header, body []byte) func(t *T) result {
		return func(t *T) result {
			resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, header, body, nil)
			if err != nil {
				return broken(err, "2xx")
			}
			return judge(check.Accepted(resp), "2xx")
		}
	}
	refused := func(header http.Header, body []byte, status int) func(t *T) result {
		return func(t *T) result {
			want := fmt.Sprintf("%d %s", status, http.StatusText(status))
			resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, header, body, nil)
			if err != nil {
				return broken(err, want)
			}
			return judge(check.Status(resp, status), want)
		}
	}
	return []Case{
		g.newCase("DISC-003", "no body and no Content-Type is accepted", accepted(http.Header{}, nil)),
		g.newCase("DISC-004", "an empty JSON object with Content-Type: application/json is accepted",
			accepted(http.Header{"Content-Type": {"application/json"}}, []byte("{}"))),
		g.newCase("DISC-005", "a JSON body with an undeclared parameter is refused with 400",
			refused(http.Header{"Content-Type": {"application/json"}}, []byte(`{"graphconformUndeclaredParameter":1}`), http.StatusBadRequest)),
		g.newCase("DISC-006", "a text/plain body is refused with 415",
			refused(http.Header{"Content-Type": {"text/plain"}}, plainBody, http.StatusUnsupportedMediaType)),
		// A target may refuse the obviously foreign text/plain and still take XML, OData's other format.
		g.newCase("DISC-006", "an application/xml body is refused with 415",
			refused(http.Header{"Content-Type": {"application/xml"}}, []byte("<graphconform/>"), http.StatusUnsupportedMediaType)),
	}
}

// plainBody is a non-empty text/plain body, a media type no action takes.
var plainBody = []byte("graphconform")

// method: DISC-007 (never 2xx) and DISC-007.1 (405 + Allow) for every undeclared method.
func (g generator) method() []Case {
	var out []Case
	for _, m := range g.otherMethods() {
		m := m
		out = append(out, g.newCase("DISC-007", m+" on the "+g.kind()+" is not accepted", func(t *T) result {
			resp, err := t.callAction(g.setup, creds{persona: g.setup}, m, documented, nil, nil)
			if err != nil {
				return broken(err, "not 2xx")
			}
			return judge(check.NotAccepted(resp), "not 2xx")
		}))
		out = append(out, g.newCase("DISC-007.1", m+" on the "+g.kind()+" answers 405 with Allow: "+g.op.Method, func(t *T) result {
			want := "405 Method Not Allowed with Allow: " + g.op.Method
			resp, err := t.callAction(g.setup, creds{persona: g.setup}, m, documented, nil, nil)
			if err != nil {
				return broken(err, want)
			}
			if err := check.Status(resp, http.StatusMethodNotAllowed); err != nil {
				return judge(err, want)
			}
			return judge(check.Allows(resp, g.op.Method), want)
		}))
	}
	return out
}

// path: DISC-008 (unknown key), DISC-009 (case rules), DISC-010 (qualified action name).
func (g generator) path() []Case {
	op := g.op
	out := []Case{
		g.newCase("DISC-009", "segment names in another case are accepted", func(t *T) result {
			resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, documented, nil, swapLiteralSegments(op.Path))
			if err != nil {
				return broken(err, "2xx")
			}
			return judge(check.Accepted(resp), "2xx")
		}),
	}
	if _, ok := op.KeyParam(); ok {
		out = append(out, g.keyCases()...)
	}
	if alt, ok := qualifiedVariant(op.Path); ok && (op.Kind == "action" || op.Kind == "function") {
		out = append(out, g.newCase("DISC-010", "the "+alt.name+" "+op.Kind+" segment is accepted", func(t *T) result {
			resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, documented, nil, alt.rewrite)
			if err != nil {
				return broken(err, "2xx")
			}
			return judge(check.Accepted(resp), "2xx")
		}))
	}
	return out
}

// keyCases: DISC-008 and DISC-009's key rule, for an operation bound to an entity.
func (g generator) keyCases() []Case {
	op := g.op
	return []Case{
		g.newCase("DISC-008", "an unknown id answers 404", func(t *T) result {
			const want = "404 Not Found"
			path, err := t.actionPath(randomGUID())
			if err != nil {
				return broken(err, want)
			}
			req, err := t.opRequest(op.Method, path, creds{persona: g.setup}, documented, nil)
			if err != nil {
				return broken(err, want)
			}
			resp, err := t.send(req)
			if err != nil {
				return broken(err, want)
			}
			return judge(check.Status(resp, http.StatusNotFound), want)
		}),
		g.newCase("DISC-009", "the id in another case is not found", func(t *T) result {
			id, err := t.partner(g.setup)
			if err != nil {
				return broken(err, "not 2xx")
			}
			other := swapCase(id)
			if other == id {
				return notApplicable("the id %q has no letters, so its case cannot change", id)
			}
			path, err := t.actionPath(other)
			if err != nil {
				return broken(err, "not 2xx")
			}
			req, err := t.opRequest(op.Method, path, creds{persona: g.setup}, documented, nil)
			if err != nil {
				return broken(err, "not 2xx")
			}
			resp, err := t.send(req)
			if err != nil {
				return broken(err, "not 2xx")
			}
			return judge(check.NotAccepted(resp), "not 2xx (keys are case-sensitive)")
		}),
	}
}

// swapLiteralSegments returns a rewrite that changes the case of the path's literal segments (those
// of the template, not the key) in an expanded path.
func swapLiteralSegments(template string) func(string) string {
	tpl := strings.Split(template, "/")
	return func(expanded string) string {
		segs := strings.Split(expanded, "/")
		if len(segs) != len(tpl) {
			return expanded
		}
		for i, s := range tpl {
			if strings.HasPrefix(s, "{") {
				continue
			}
			// A function's name, not its parameters' values ("count(kind='x')").
			name, params, fn := strings.Cut(segs[i], "(")
			if fn {
				segs[i] = swapCase(name) + "(" + params
			} else {
				segs[i] = swapCase(segs[i])
			}
		}
		return strings.Join(segs, "/")
	}
}

// graphNamespace is the namespace Graph's actions are qualified with (OData §11.5.4.1).
const graphNamespace = "microsoft.graph."

type variant struct {
	name    string
	rewrite func(string) string
}

// qualifiedVariant gives the other spelling of the operation's last segment: qualified when the
// description uses the short name, short when it uses the qualified one. A function's parameters
// ("getX(period='{period}')") stay as the expanded path has them.
func qualifiedVariant(template string) (variant, bool) {
	i := strings.LastIndex(template, "/")
	last := template[i+1:]
	if last == "" || strings.HasPrefix(last, "{") {
		return variant{}, false
	}
	qualified := strings.HasPrefix(last, graphNamespace)
	name, _, _ := strings.Cut(last, "(")
	if qualified && strings.Contains(strings.TrimPrefix(name, graphNamespace), ".") {
		// OData 4.01 §11.5.4.1 (contract notes 4.10): the unqualified name is an extra a service MAY
		// offer for its default namespace (microsoft.graph). An operation of another namespace
		// (microsoft.graph.externalConnectors.addActivities) has only its qualified form; dropping
		// "microsoft.graph." names nothing.
		return variant{}, false
	}
	other := graphNamespace + name
	if qualified {
		other = strings.TrimPrefix(name, graphNamespace)
	}
	return variant{name: "“" + other + "”", rewrite: func(p string) string {
		j := strings.LastIndex(p, "/")
		if qualified {
			return p[:j+1] + strings.TrimPrefix(p[j+1:], graphNamespace)
		}
		return p[:j+1] + graphNamespace + p[j+1:]
	}}, true
}

func randomGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
