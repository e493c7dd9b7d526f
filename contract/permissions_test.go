package contract

import (
	"reflect"
	"strings"
	"testing"
)

const (
	rw       = "DeviceManagementServiceConfig.ReadWrite.All"
	ro       = "DeviceManagementServiceConfig.Read.All"
	confRW   = "DeviceManagementConfiguration.ReadWrite.All"
	docSrc   = "reference page"
	metaSrc  = "permissions.json"
	revision = "current"
)

// current is the disconnect table of the current revision, plus the metadata-only grant (PERM-005).
func current() Permissions {
	return Permissions{Revision: revision, Schemes: map[Account]Scheme{
		Work: {Supported: true, Grants: []Grant{
			{Permission: rw, Documented: true, Source: docSrc},
			{Permission: confRW, Documented: false, Source: metaSrc},
		}},
		Personal:    {Supported: false},
		Application: {Supported: true, Grants: []Grant{{Permission: rw, Documented: true, Source: docSrc}}},
	}}
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name  string
		perms Permissions
		acc   Account
		held  []string
		want  Outcome
		grant string
	}{
		{"work holds documented", current(), Work, []string{rw}, Allowed, rw},
		{"application holds documented", current(), Application, []string{rw}, Allowed, rw},
		{"documented among others", current(), Work, []string{"User.Read", rw, "Mail.Send"}, Allowed, rw},
		{"work holds metadata-only", current(), Work, []string{confRW}, AllowedByMetadata, confRW},
		{"documented wins over metadata-only", current(), Work, []string{confRW, rw}, Allowed, rw},
		{"metadata-only not granted to application", current(), Application, []string{confRW}, Insufficient, ""},
		{"read only", current(), Work, []string{ro}, Insufficient, ""},
		{"nothing held", current(), Work, nil, Insufficient, ""},
		{"empty string held", current(), Work, []string{""}, Insufficient, ""},
		{"personal not supported", current(), Personal, []string{rw}, Unsupported, ""},
		{"personal holds nothing", current(), Personal, nil, Unsupported, ""},
		{"case-insensitive: lower", current(), Work, []string{strings.ToLower(rw)}, Allowed, rw},
		{"case-insensitive: upper", current(), Application, []string{strings.ToUpper(rw)}, Allowed, rw},
		{"case-insensitive: metadata", current(), Work, []string{strings.ToUpper(confRW)}, AllowedByMetadata, confRW},
		{"prefix is not a match", current(), Work, []string{"DeviceManagementServiceConfig.ReadWrite"}, Insufficient, ""},
		{"missing scheme is unsupported",
			Permissions{Revision: "r", Schemes: map[Account]Scheme{Work: {Supported: true, Grants: []Grant{{Permission: rw, Documented: true}}}}},
			Application, []string{rw}, Unsupported, ""},
		{"nil schemes", Permissions{Revision: "r"}, Work, []string{rw}, Unsupported, ""},
		{"unsupported even with grants listed",
			Permissions{Revision: "r", Schemes: map[Account]Scheme{Application: {Supported: false, Grants: []Grant{{Permission: rw, Documented: true}}}}},
			Application, []string{rw}, Unsupported, ""},
		{"unknown account kind", current(), Account("robot"), []string{rw}, Unsupported, ""},
		{"first metadata grant wins",
			Permissions{Revision: "r", Schemes: map[Account]Scheme{Work: {Supported: true, Grants: []Grant{
				{Permission: "B.All", Source: "b"}, {Permission: "A.All", Source: "a"}}}}},
			Work, []string{"A.All", "B.All"}, AllowedByMetadata, "B.All"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.perms.Decide(tc.acc, tc.held)
			if d.Outcome != tc.want {
				t.Fatalf("Decide(%s, %v) = %s (%s), want %s", tc.acc, tc.held, d.Outcome, d.Reason, tc.want)
			}
			if d.Grant.Permission != tc.grant {
				t.Errorf("Grant = %+v, want permission %q", d.Grant, tc.grant)
			}
			if d.Reason == "" {
				t.Error("empty Reason")
			}
			if tc.grant != "" && !strings.Contains(d.Reason, tc.grant) {
				t.Errorf("Reason %q does not name the grant %q", d.Reason, tc.grant)
			}
		})
	}
}

// The grant returned keeps its source and documented flag: reports cite them.
func TestDecideReturnsTheGrant(t *testing.T) {
	d := current().Decide(Work, []string{strings.ToLower(confRW)})
	want := Grant{Permission: confRW, Documented: false, Source: metaSrc}
	if !reflect.DeepEqual(d.Grant, want) {
		t.Fatalf("Grant = %+v, want %+v (the table's spelling, not the persona's)", d.Grant, want)
	}
}

func TestDecideReasons(t *testing.T) {
	p := current()
	p.Revision = "pre-2021"
	if r := p.Decide(Personal, nil).Reason; !strings.Contains(r, "personal") || !strings.Contains(r, "pre-2021") {
		t.Errorf("unsupported reason %q should name the account kind and revision", r)
	}
	r := p.Decide(Work, []string{ro, "User.Read"}).Reason
	for _, want := range []string{ro, "User.Read", rw, confRW, "pre-2021"} {
		if !strings.Contains(r, want) {
			t.Errorf("insufficient reason %q should mention %q", r, want)
		}
	}
}

// Decide must not modify the table it reads.
func TestDecideDoesNotMutate(t *testing.T) {
	p := current()
	before := current()
	held := []string{confRW, rw}
	p.Decide(Work, held)
	p.Decide(Application, held)
	if !reflect.DeepEqual(p, before) {
		t.Fatal("Decide modified the permission table")
	}
	if !reflect.DeepEqual(held, []string{confRW, rw}) {
		t.Fatal("Decide modified the held permissions")
	}
}

func TestSchemeNames(t *testing.T) {
	s := Scheme{Supported: true, Grants: []Grant{{Permission: "b"}, {Permission: "C"}, {Permission: "a"}}}
	if got, want := s.Names(), []string{"C", "a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	if got := (Scheme{}).Names(); got == nil || len(got) != 0 {
		t.Errorf("Names() of an empty scheme = %#v, want an empty non-nil slice", got)
	}
}
