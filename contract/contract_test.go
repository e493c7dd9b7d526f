package contract

import (
	"net/url"
	"strings"
	"testing"
)

const disconnectPath = "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/disconnect"

func disconnect() Operation {
	return Operation{
		ID:     "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect",
		Method: "POST",
		Path:   disconnectPath,
		PathParams: []Param{
			{Name: "remoteAssistancePartner-id", Required: true, KeyType: "remoteAssistancePartner"},
		},
	}
}

func TestExpand(t *testing.T) {
	const prefix = "/deviceManagement/remoteAssistancePartners/"
	for _, tc := range []struct {
		name, key, want string
	}{
		{"guid", "8f1c2d3e-0000-4a4a-9b9b-123456789abc", "8f1c2d3e-0000-4a4a-9b9b-123456789abc"},
		{"unreserved", "A-z_0.9~", "A-z_0.9~"},
		{"sub-delims and colon/at stay", "a!$&'()*+,;=:@b", "a!$&'()*+,;=:@b"},
		{"slash", "a/b", "a%2Fb"},
		{"space", "a b", "a%20b"},
		{"percent", "%", "%25"},
		{"already escaped is escaped again", "a%2Fb", "a%252Fb"},
		{"question mark", "a?b", "a%3Fb"},
		{"hash", "a#b", "a%23b"},
		{"braces", "{remoteAssistancePartner-id}", "%7BremoteAssistancePartner-id%7D"},
		{"backslash", `a\b`, "a%5Cb"},
		{"plus stays", "a+b", "a+b"},
		{"non-ASCII is UTF-8 percent-encoded", "é", "%C3%A9"},
		{"control", "a\nb", "a%0Ab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op := disconnect()
			got, err := op.Expand(map[string]string{"remoteAssistancePartner-id": tc.key})
			if err != nil {
				t.Fatal(err)
			}
			want := prefix + tc.want + "/disconnect"
			if got != want {
				t.Fatalf("Expand(%q) = %q, want %q", tc.key, got, want)
			}
			// The expansion must round-trip through a URL parser to the same key in exactly one segment.
			u, err := url.Parse("https://graph.test/v1.0" + got)
			if err != nil {
				t.Fatalf("url.Parse(%q): %v", got, err)
			}
			segs := strings.Split(strings.TrimPrefix(u.EscapedPath(), "/v1.0/"), "/")
			if len(segs) != 4 {
				t.Fatalf("escaped path %q has %d segments, want 4", u.EscapedPath(), len(segs))
			}
			key, err := url.PathUnescape(segs[2])
			if err != nil || key != tc.key {
				t.Fatalf("segment %q unescapes to %q (err %v), want %q", segs[2], key, err, tc.key)
			}
		})
	}
}

func TestExpandSeveralParams(t *testing.T) {
	op := Operation{ID: "x", Path: "/users/{user-id}/messages/{message-id}/move",
		PathParams: []Param{{Name: "user-id"}, {Name: "message-id"}}}
	got, err := op.Expand(map[string]string{"user-id": "u/1", "message-id": "m 2", "unused": "z"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "/users/u%2F1/messages/m%202/move"; got != want {
		t.Fatalf("Expand = %q, want %q", got, want)
	}
}

// A value that looks like another parameter's placeholder must not be substituted twice.
func TestExpandDoesNotReexpandValues(t *testing.T) {
	op := Operation{ID: "x", Path: "/a/{first}/b/{second}",
		PathParams: []Param{{Name: "first"}, {Name: "second"}}}
	got, err := op.Expand(map[string]string{"first": "{second}", "second": "2"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "/a/%7Bsecond%7D/b/2"; got != want {
		t.Fatalf("Expand = %q, want %q", got, want)
	}
}

func TestExpandMissingParam(t *testing.T) {
	for _, values := range []map[string]string{nil, {}, {"id": "x"}, {"remoteAssistancePartner-ID": "x"}} {
		op := disconnect()
		got, err := op.Expand(values)
		if err == nil {
			t.Errorf("Expand(%v) = %q, nil; want an error", values, got)
			continue
		}
		for _, want := range []string{"remoteAssistancePartner-id", disconnect().ID} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
	}
}

func TestExpandNoParams(t *testing.T) {
	op := Operation{ID: "x", Path: "/me/sendMail"}
	got, err := op.Expand(nil)
	if err != nil || got != "/me/sendMail" {
		t.Fatalf("Expand = %q, %v", got, err)
	}
}

func TestCollectionPathAndKeyParam(t *testing.T) {
	for _, tc := range []struct {
		name       string
		op         Operation
		collection string
		key        string
		hasKey     bool
	}{
		{"disconnect", disconnect(), "/deviceManagement/remoteAssistancePartners", "remoteAssistancePartner-id", true},
		{"no params", Operation{Path: "/me/sendMail"}, "", "", false},
		{"nested: last param is the key",
			Operation{Path: "/users/{user-id}/messages/{message-id}/move",
				PathParams: []Param{{Name: "user-id"}, {Name: "message-id"}}},
			"/users/{user-id}/messages", "message-id", true},
		{"entity itself",
			Operation{Path: "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}",
				PathParams: []Param{{Name: "remoteAssistancePartner-id"}}},
			"/deviceManagement/remoteAssistancePartners", "remoteAssistancePartner-id", true},
		{"key not a whole segment",
			Operation{Path: "/users({user-id})/x", PathParams: []Param{{Name: "user-id"}}},
			"", "user-id", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.op.CollectionPath(); got != tc.collection {
				t.Errorf("CollectionPath() = %q, want %q", got, tc.collection)
			}
			p, ok := tc.op.KeyParam()
			if ok != tc.hasKey || p.Name != tc.key {
				t.Errorf("KeyParam() = %+v, %v; want %q, %v", p, ok, tc.key, tc.hasKey)
			}
		})
	}
}

func TestText(t *testing.T) {
	op := disconnect()
	if got, want := op.Text(), "POST "+disconnectPath; got != want {
		t.Fatalf("Text() = %q, want %q", got, want)
	}
}

func TestParseAccount(t *testing.T) {
	for _, a := range Accounts {
		got, err := ParseAccount(string(a))
		if err != nil || got != a {
			t.Errorf("ParseAccount(%q) = %q, %v", a, got, err)
		}
	}
	for _, s := range []string{"", "Work", "delegatedWork", "app", " work"} {
		if got, err := ParseAccount(s); err == nil {
			t.Errorf("ParseAccount(%q) = %q, nil; want an error", s, got)
		} else if !strings.Contains(err.Error(), "work, personal, application") {
			t.Errorf("ParseAccount(%q) error %q does not list the valid kinds", s, err)
		}
	}
	if len(Accounts) != 3 || Accounts[0] != Work || Accounts[1] != Personal || Accounts[2] != Application {
		t.Errorf("Accounts = %v, want the Graph table order [work personal application]", Accounts)
	}
}
