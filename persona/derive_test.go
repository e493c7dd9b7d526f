package persona

import (
	"reflect"
	"testing"

	"github.com/graphconform/graphconform/contract"
)

func grants(documented bool, perms ...string) []contract.Grant {
	var out []contract.Grant
	for _, p := range perms {
		out = append(out, contract.Grant{Permission: p, Documented: documented})
	}
	return out
}

// summary is what a derived set says: name, account kind and permissions.
func summary(s Set) []string {
	var out []string
	for _, p := range s {
		out = append(out, p.String())
	}
	return out
}

func TestForContract(t *testing.T) {
	disconnect := contract.Permissions{Revision: "current", Schemes: map[contract.Account]contract.Scheme{
		contract.Work:        {Supported: true, Grants: grants(true, "DeviceManagementServiceConfig.ReadWrite.All")},
		contract.Application: {Supported: true, Grants: grants(true, "DeviceManagementServiceConfig.ReadWrite.All")},
	}}
	withMeta := disconnect
	withMeta.Schemes = map[contract.Account]contract.Scheme{
		contract.Work: {Supported: true, Grants: append(grants(true, "DeviceManagementServiceConfig.ReadWrite.All"),
			grants(false, "DeviceManagementConfiguration.ReadWrite.All")...)},
		contract.Application: disconnect.Schemes[contract.Application],
	}
	mail := contract.Permissions{Revision: "current", Schemes: map[contract.Account]contract.Scheme{
		contract.Work:        {Supported: true, Grants: grants(true, "Mail.Send", "Mail.ReadWrite")},
		contract.Personal:    {Supported: true, Grants: grants(true, "Mail.Send")},
		contract.Application: {Supported: true, Grants: grants(true, "Mail.Send")},
	}}
	me := contract.Permissions{Revision: "current", Schemes: map[contract.Account]contract.Scheme{
		contract.Work: {Supported: true, Grants: grants(true, "User.Read", "Calendars.Read")},
	}}
	appOnly := contract.Permissions{Revision: "current", Schemes: map[contract.Account]contract.Scheme{
		contract.Application: {Supported: true, Grants: grants(true, "Sites.Selected")},
	}}
	for _, tc := range []struct {
		name  string
		table contract.Permissions
		want  []string
	}{
		{"the fixture covers disconnect's table", disconnect, summary(Fixture())},
		{"a metadata-only grant gets its own persona", withMeta, append(summary(Fixture()),
			"work-DeviceManagementConfiguration.ReadWrite.All (work account, permissions [DeviceManagementConfiguration.ReadWrite.All])")},
		{"a table of another resource: every grant x kind, one insufficient, none of the fixture", mail, []string{
			"work-Mail.Send (work account, permissions [Mail.Send])",
			"work-Mail.ReadWrite (work account, permissions [Mail.ReadWrite])",
			"application-Mail.Send (application account, permissions [Mail.Send])",
			"personal-Mail.Send (personal account, permissions [Mail.Send])",
			"work-User.Read (work account, permissions [User.Read])",
		}},
		{"the insufficient permission is one the table does not list; unsupported kinds hold a grant of another", me, []string{
			"work-User.Read (work account, permissions [User.Read])",
			"work-Calendars.Read (work account, permissions [Calendars.Read])",
			"work-Contacts.Read (work account, permissions [Contacts.Read])",
			"application-User.Read (application account, permissions [User.Read])",
			"personal-User.Read (personal account, permissions [User.Read])",
		}},
		{"work unsupported: a work persona refused for its kind", appOnly, []string{
			"application-Sites.Selected (application account, permissions [Sites.Selected])",
			"work-Sites.Selected (work account, permissions [Sites.Selected])",
			"personal-Sites.Selected (personal account, permissions [Sites.Selected])",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := summary(ForContract(tc.table, Fixture()))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ForContract =\n  %q\nwant\n  %q", got, tc.want)
			}
			// Pure and deterministic.
			if again := summary(ForContract(tc.table, Fixture())); !reflect.DeepEqual(again, got) {
				t.Errorf("a second call differs: %q", again)
			}
		})
	}
}

// Every persona a table's cases need is there: each documented grant x supported kind is allowed for
// some persona of that kind, and each refusal row has a persona.
func TestForContractCoversEveryRow(t *testing.T) {
	table := contract.Permissions{Revision: "current", Schemes: map[contract.Account]contract.Scheme{
		contract.Work:        {Supported: true, Grants: append(grants(true, "Files.ReadWrite", "Sites.ReadWrite.All"), grants(false, "Files.ReadWrite.All")...)},
		contract.Application: {Supported: true, Grants: grants(true, "Files.ReadWrite.All")},
	}}
	set := ForContract(table, Fixture())
	has := func(acc contract.Account, o contract.Outcome, grant string) bool {
		for _, p := range set {
			if d := table.Decide(p.Account, p.Permissions); p.Account == acc && d.Outcome == o && (grant == "" || d.Grant.Permission == grant) {
				return true
			}
		}
		return false
	}
	for _, want := range []struct {
		acc   contract.Account
		o     contract.Outcome
		grant string
	}{
		{contract.Work, contract.Allowed, "Files.ReadWrite"}, {contract.Work, contract.Allowed, "Sites.ReadWrite.All"},
		{contract.Application, contract.Allowed, "Files.ReadWrite.All"}, {contract.Work, contract.AllowedByMetadata, "Files.ReadWrite.All"},
		{contract.Work, contract.Insufficient, ""}, {contract.Personal, contract.Unsupported, ""},
	} {
		if !has(want.acc, want.o, want.grant) {
			t.Errorf("no %s persona is %s %s in %q", want.acc, want.o, want.grant, summary(set))
		}
	}
}

// The personas of several operations join by name: one persona per name, base personas first.
func TestForOperations(t *testing.T) {
	ops := []contract.Operation{
		{ID: "a", Permissions: contract.Permissions{Schemes: map[contract.Account]contract.Scheme{contract.Work: {Supported: true, Grants: grants(true, "Mail.Send")}}}},
		{ID: "b", Permissions: contract.Permissions{Schemes: map[contract.Account]contract.Scheme{contract.Work: {Supported: true, Grants: grants(true, "Mail.Send", "DeviceManagementServiceConfig.Read.All")}}}},
	}
	got := ForOperations(ops, Fixture()).Names()
	want := []string{"admin", "app", "app-reader", "application-Mail.Send", "personal", "personal-Mail.Send", "reader", "work-Mail.Send", "work-User.Read"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ForOperations names = %q, want %q", got, want)
	}
}
