package permissions

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/contract"
)

// listed is one path of a made-up permissions file: perm grants method on path (least for
// DelegatedWork and Application).
type listed struct{ perm, method, path string }

func overlayOf(t testing.TB, entries ...listed) *Overlay {
	t.Helper()
	type pathSet struct {
		SchemeKeys []string          `json:"schemeKeys"`
		Methods    []string          `json:"methods"`
		Paths      map[string]string `json:"paths"`
	}
	perms := map[string]map[string][]pathSet{}
	for _, e := range entries {
		if perms[e.perm] == nil {
			perms[e.perm] = map[string][]pathSet{}
		}
		perms[e.perm]["pathSets"] = append(perms[e.perm]["pathSets"], pathSet{
			SchemeKeys: []string{"DelegatedWork", "Application"}, Methods: []string{e.method},
			Paths: map[string]string{e.path: "least=DelegatedWork,Application"}})
	}
	data, err := json.Marshal(map[string]any{"permissions": perms})
	if err != nil {
		t.Fatal(err)
	}
	o, err := Parse("made-up.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// finder is what the rule tests look up with: an Overlay (no description) or a bound Lookup.
type finder interface {
	Find(method, template string) (Match, bool)
}

type ruleCase struct {
	method, template string
	want             Rule   // "" for no match
	path             string // the file path that must answer
}

func checkRules(t *testing.T, f finder, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		m, ok := f.Find(tc.method, tc.template)
		switch {
		case tc.want == "" && ok:
			t.Errorf("%s %s: matched %v, want no match", tc.method, tc.template, m)
		case tc.want == "":
		case !ok:
			t.Errorf("%s %s: no match, want %s via %s", tc.method, tc.template, tc.want, tc.path)
		case m.Rule != tc.want || len(m.Paths) == 0 || m.Paths[0] != tc.path:
			t.Errorf("%s %s: matched %v, want %s via %s", tc.method, tc.template, m, tc.want, tc.path)
		}
	}
}

func TestRuleExact(t *testing.T) {
	o := overlayOf(t, listed{"A", "POST", "/users/{id}/assignLicense"})
	checkRules(t, o, []ruleCase{
		{"POST", "/users/{user-id}/assignLicense", Exact, "/users/{id}/assignLicense"},
		{"post", "/USERS/{x}/assignlicense/", Exact, "/users/{id}/assignLicense"},
		{"POST", "/users/{user-id}/microsoft.graph.assignLicense", Exact, "/users/{id}/assignLicense"},
		{"GET", "/users/{user-id}/assignLicense", "", ""},
		{"POST", "/users/assignLicense", "", ""},
	})
}

func TestRuleNormalised(t *testing.T) {
	o := overlayOf(t,
		listed{"A", "GET", "/reports/getonedriveusagestorage(period={value})"},
		listed{"B", "GET", "/me/drive/items/{id}/workbook/worksheets/{id}/range/resizedrange(deltarows={value}, deltacolumns={value})"},
		listed{"C", "GET", "/users/delta"},
		listed{"D", "POST", "/security/cases/ediscoverycases/{id}/noncustodialdatasources/removehold"},
		listed{"E", "POST", "/applications(appid={value})/addKey"},
		listed{"F", "GET", "/sites/{id}/lists"},
		listed{"G", "GET", "/deviceappmanagement/mobileapps/{id}/microsoft.graph.mobilelobapp/contentversions"},
	)
	checkRules(t, o, []ruleCase{
		// Quotes, parameter values and names' case.
		{"GET", "/reports/getOneDriveUsageStorage(period='{period}')", Normalised, "/reports/getonedriveusagestorage(period={value})"},
		// Order and spaces of named parameters.
		{"GET", "/me/drive/items/{i}/workbook/worksheets/{w}/range/resizedRange(deltaColumns={c},deltaRows={r})", Normalised,
			"/me/drive/items/{id}/workbook/worksheets/{id}/range/resizedrange(deltarows={value}, deltacolumns={value})"},
		// "()" is no parameter list.
		{"GET", "/users/delta()", Normalised, "/users/delta"},
		// Any namespace qualifier, not only microsoft.graph.
		{"POST", "/security/cases/ediscoveryCases/{c}/noncustodialDataSources/microsoft.graph.security.removeHold", Normalised,
			"/security/cases/ediscoverycases/{id}/noncustodialdatasources/removehold"},
		// An alternate key inside the path.
		{"POST", "/applications(appId='{appId}')/addKey", Normalised, "/applications(appid={value})/addKey"},
		// A positional key in parentheses is a key segment.
		{"GET", "/sites('{site-id}')/lists", Normalised, "/sites/{id}/lists"},
		// The description's cast "graph.x" is the file's "microsoft.graph.x".
		{"GET", "/deviceAppManagement/mobileApps/{m}/graph.mobileLobApp/contentVersions", Normalised,
			"/deviceappmanagement/mobileapps/{id}/microsoft.graph.mobilelobapp/contentversions"},
		// Other parameter names are another overload: not normalised (parameters-ignored, below).
		{"GET", "/reports/getOneDriveUsageStorage(date={date})", ParametersIgnored, "/reports/getonedriveusagestorage(period={value})"},
	})
}

func TestRuleCastDropped(t *testing.T) {
	o := overlayOf(t,
		listed{"A", "POST", "/deviceappmanagement/mobileapps/{id}/contentversions/{id}/files/{id}/commit"},
		listed{"B", "GET", "/groups/{id}/members"},
	)
	checkRules(t, o, []ruleCase{
		{"POST", "/deviceAppManagement/mobileApps/{m}/graph.win32LobApp/contentVersions/{v}/files/{f}/commit", CastDropped,
			"/deviceappmanagement/mobileapps/{id}/contentversions/{id}/files/{id}/commit"},
		// A cast at the end is what the path returns: kept.
		{"GET", "/groups/{g}/members/graph.user", "", ""},
	})
}

func TestRuleParametersIgnored(t *testing.T) {
	o := overlayOf(t,
		listed{"A", "GET", "/communications/callrecords/getdirectroutingcalls"},
		listed{"B", "POST", "/applications/addkey"},
	)
	checkRules(t, o, []ruleCase{
		{"GET", "/communications/callRecords/microsoft.graph.callRecords.getDirectRoutingCalls(fromDateTime={f},toDateTime={t})",
			ParametersIgnored, "/communications/callrecords/getdirectroutingcalls"},
		// Only the function's list goes: an alternate key inside the path stays a key.
		{"POST", "/applications(appId='{appId}')/addKey", "", ""},
	})
	// With a description that says the segment addresses an entity, the last list is a key too.
	l := overlayOf(t, listed{"C", "GET", "/applications"}).Bind([]Route{
		{Path: "/applications(uniqueName='{uniqueName}')", Returns: "application"},
	})
	checkRules(t, l, []ruleCase{{"GET", "/applications(uniqueName='{uniqueName}')", "", ""}})
}

func TestRuleAliasMe(t *testing.T) {
	o := overlayOf(t,
		listed{"A", "POST", "/users/{id}/teamwork/sendactivitynotification"},
		listed{"B", "POST", "/me/changePassword"},
	)
	checkRules(t, o, []ruleCase{
		{"POST", "/me/teamwork/sendActivityNotification", AliasMe, "/users/{id}/teamwork/sendactivitynotification"},
		// Not the other way: the file's /me entries often lack the application row of their
		// /users/{id} twins, so a /me table says nothing about applications on /users/{id}.
		{"POST", "/users/{user-id}/changePassword", "", ""},
		{"POST", "/education/me/changePassword", "", ""}, // only a leading /me
	})
	m, _ := o.Find("POST", "/me/teamwork/sendActivityNotification")
	if !strings.Contains(m.Via, "/me is /users/{id}") || !strings.Contains(m.Via, "canonical path /users/{id}/teamwork/sendactivitynotification") {
		t.Errorf("via %q does not say how", m.Via)
	}
}

// The routes of a small description: what x-ms-docs-key-type and GET responses say.
var aliasRoutes = []Route{
	{Path: "/users/{user-id}", KeyTypes: map[string]string{"user-id": "user"}},
	{Path: "/deviceManagement/managedDevices/{managedDevice-id}", KeyTypes: map[string]string{"managedDevice-id": "managedDevice"}},
	{Path: "/users/{user-id}/managedDevices/{managedDevice-id}/locateDevice", KeyTypes: map[string]string{"user-id": "user", "managedDevice-id": "managedDevice"}},
	{Path: "/communications/presences/{presence-id}", KeyTypes: map[string]string{"presence-id": "presence"}},
	{Path: "/users/{user-id}/presence", KeyTypes: map[string]string{"user-id": "user"}, Returns: "presence"},
	{Path: "/teams/{team-id}", KeyTypes: map[string]string{"team-id": "team"}},
	{Path: "/teams/{team-id}/members/{conversationMember-id}", KeyTypes: map[string]string{"team-id": "team", "conversationMember-id": "conversationMember"}},
	{Path: "/teams/{team-id}/channels/{channel-id}/members/{conversationMember-id}", KeyTypes: map[string]string{"team-id": "team", "channel-id": "channel", "conversationMember-id": "conversationMember"}},
	{Path: "/groups/{group-id}", KeyTypes: map[string]string{"group-id": "group"}},
	{Path: "/education/classes/{educationClass-id}/group", KeyTypes: map[string]string{"educationClass-id": "educationClass"}, Returns: "group"},
	{Path: "/roleManagement/directory/roleAssignments/{unifiedRoleAssignment-id}", KeyTypes: map[string]string{"unifiedRoleAssignment-id": "unifiedRoleAssignment"}},
	{Path: "/roleManagement/entitlementManagement/roleAssignments/{unifiedRoleAssignment-id}", KeyTypes: map[string]string{"unifiedRoleAssignment-id": "unifiedRoleAssignment"}},
	{Path: "/education/users/{educationUser-id}", KeyTypes: map[string]string{"educationUser-id": "educationUser"}},
	{Path: "/education/me", Returns: "educationUser"},
	{Path: "/education/me/classes/{educationClass-id}", KeyTypes: map[string]string{"educationClass-id": "educationClass"}},
	{Path: "/education/classes/{educationClass-id}", KeyTypes: map[string]string{"educationClass-id": "educationClass"}},
	{Path: "/users/{user-id}/calendars/{calendar-id}", KeyTypes: map[string]string{"user-id": "user", "calendar-id": "calendar"}},
	{Path: "/users/{user-id}/calendar", KeyTypes: map[string]string{"user-id": "user"}, Returns: "calendar"},
	{Path: "/communications/onlineMeetings/{onlineMeeting-id}", KeyTypes: map[string]string{"onlineMeeting-id": "onlineMeeting"}},
	{Path: "/users/{user-id}/onlineMeetings/{onlineMeeting-id}", KeyTypes: map[string]string{"user-id": "user", "onlineMeeting-id": "onlineMeeting"}},
}

func TestRuleAliasCanonical(t *testing.T) {
	o := overlayOf(t,
		listed{"Devices", "POST", "/devicemanagement/manageddevices/{id}/locatedevice"},
		listed{"Presence", "POST", "/users/{id}/presence/setpresence"},
		listed{"TeamMember", "POST", "/teams/{id}/members/add"},
		listed{"Group", "GET", "/groups/{id}"},
		listed{"Group", "POST", "/groups/{id}/renew"},
		listed{"Role", "POST", "/rolemanagement/entitlementmanagement/roleassignments/{id}/x"},
		listed{"Edu", "POST", "/education/classes/{id}/y"},
		listed{"Calendar", "POST", "/users/{id}/calendar/getschedule"},
		listed{"MeetingMe", "POST", "/me/onlinemeetings/{id}/sendvirtualappointmentsms"},
		listed{"Meeting", "POST", "/users/{id}/onlinemeetings/{id}/sendvirtualappointmentsms"},
	)
	l := o.Bind(aliasRoutes)
	checkRules(t, l, []ruleCase{
		// A navigation to an entity of a set: the set's path (and the reverse: the file lists the alias).
		{"POST", "/users/{user-id}/managedDevices/{managedDevice-id}/locateDevice", AliasCanonical, "/devicemanagement/manageddevices/{id}/locatedevice"},
		{"POST", "/me/managedDevices/{managedDevice-id}/locateDevice", AliasCanonical, "/devicemanagement/manageddevices/{id}/locatedevice"},
		{"POST", "/communications/presences/{presence-id}/setPresence", AliasCanonical, "/users/{id}/presence/setpresence"},
		// A single-valued navigation to an entity of a set, inside the path.
		{"POST", "/education/classes/{educationClass-id}/group/renew", AliasCanonical, "/groups/{id}/renew"},
		// A singleton that stands for an entity of a set (/education/me) does not make a set.
		{"POST", "/education/me/classes/{educationClass-id}/y", AliasCanonical, "/education/classes/{id}/y"},
		// A single-valued navigation names one member of a keyed collection beside it.
		{"POST", "/users/{user-id}/calendars/{calendar-id}/getSchedule", AliasCanonical, "/users/{id}/calendar/getschedule"},
		// Of two aliases of the canonical path, the one needing fewer rewrites.
		{"POST", "/communications/onlineMeetings/{onlineMeeting-id}/sendVirtualAppointmentSms", AliasCanonical,
			"/users/{id}/onlinemeetings/{id}/sendvirtualappointmentsms"},
		// Contained entities keep their container: a channel's members are not the team's.
		{"POST", "/teams/{team-id}/channels/{channel-id}/members/add", "", ""},
		// The navigation itself has a table of its own.
		{"GET", "/education/classes/{educationClass-id}/group", "", ""},
		// Two entity sets of one type and no navigation of either name: no guess.
		{"POST", "/roleManagement/directory/roleAssignments/{unifiedRoleAssignment-id}/x", "", ""},
	})
	m, _ := l.Find("POST", "/users/{user-id}/managedDevices/{managedDevice-id}/locateDevice")
	if want := "/users/{id}/manageddevices/{id} is /devicemanagement/manageddevices/{id} (managedDevice)"; !strings.Contains(m.Via, want) {
		t.Errorf("via %q, want it to say %q", m.Via, want)
	}
	// Without the description only /me is known.
	if m, ok := o.Find("POST", "/users/{user-id}/managedDevices/{managedDevice-id}/locateDevice"); ok {
		t.Errorf("matched %v without a description", m)
	}
}

func TestQueryPathsAndDollarSegments(t *testing.T) {
	o := overlayOf(t,
		listed{"A", "GET", "/agentRegistry/agentInstances?$filter=agentCardManifest/id eq '{id}'"},
		listed{"B", "GET", "/deviceManagement/remoteAssistancePartners"},
	)
	checkRules(t, o, []ruleCase{
		// A path with a query is a condition no table can express: never matched by its path.
		{"GET", "/agentRegistry/agentInstances", "", ""},
		// $count is not its collection (DevX strips "$..."; the suite reports instead).
		{"GET", "/deviceManagement/remoteAssistancePartners/$count", "", ""},
	})
}

func TestAlsoRequiresInPathValue(t *testing.T) {
	doc := `{"permissions": {
	  "Application.ReadWrite.OwnedBy": {"pathSets": [{"schemeKeys": ["Application"], "methods": ["POST"],
	     "paths": {"/applications/{id}/addpassword": "AlsoRequires=Application.ReadWrite.All",
	               "/applications/{id}/removepassword": "least=Application"}}]},
	  "Application.ReadWrite.All": {"pathSets": [{"schemeKeys": ["Application"], "methods": ["POST"],
	     "paths": {"/applications/{id}/addpassword": "least=Application"}}]}}}`
	o, err := Parse("inline.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := o.PermissionsFor("POST", "/applications/{application-id}/addPassword", DefaultRevision)
	if !ok {
		t.Fatal("addPassword not found")
	}
	if got, want := grantsOf(p.Schemes[contract.Application]), []grant{{"Application.ReadWrite.All", true}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("application = %v, want %v: a grant that also requires another is no grant alone", got, want)
	}
	if _, ok := o.PermissionsFor("POST", "/applications/{application-id}/removePassword", DefaultRevision); !ok {
		t.Error("a path without AlsoRequires was dropped too")
	}
}

func TestExplain(t *testing.T) {
	o := overlayOf(t,
		listed{"A", "GET", "/users/{id}/presence"},
		listed{"B", "POST", "/directoryobjects/{id}/checkmembergroups"},
		listed{"C", "POST", "/me/changePassword"},
	)
	l := o.Bind(aliasRoutes)
	for _, tc := range []struct {
		method, template string
		want             []string
	}{
		{"PATCH", "/users/{user-id}/presence", []string{"/users/{id}/presence", "for GET only, not PATCH"}},
		{"POST", "/users/{user-id}/changePassword", []string{"only as /me/changepassword", "does not carry over"}},
		{"POST", "/applications/{application-id}/checkMemberGroups", []string{"no path /applications/{id}/checkmembergroups",
			"own canonical path", "POST checkmembergroups under 1 other path(s), e.g. /directoryobjects/{id}/checkmembergroups"}},
		{"POST", "/users/{user-id}/managedDevices/{managedDevice-id}/wipe", []string{"nor its canonical path /devicemanagement/manageddevices/{id}/wipe",
			"POST wipe under no path at all"}},
	} {
		got := l.Explain(tc.method, tc.template)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("Explain(%s %s) = %q, want it to contain %q", tc.method, tc.template, got, w)
			}
		}
	}
	if got := l.Explain("GET", "/users/{user-id}/presence"); got != "" {
		t.Errorf("Explain of a match = %q, want empty", got)
	}
}

func TestNormalFormsAreIdempotent(t *testing.T) {
	for _, p := range []string{
		"/reports/getOneDriveUsageStorage(period='{period}')",
		"/security/cases/ediscoveryCases/{c}/microsoft.graph.security.removeHold",
		"/sites('{site-id}')/lists",
		"/users/delta()",
	} {
		segs, _ := parsePath(p)
		again, _ := parsePath(form(segs, vNormal))
		if form(again, vNormal) != form(segs, vNormal) {
			t.Errorf("%s: %s, then %s", p, form(segs, vNormal), form(again, vNormal))
		}
	}
}

// Any template, however malformed, is answered without a panic, and a match has a table.
func FuzzFind(f *testing.F) {
	for _, s := range []string{disconnectPath, "/me/x", "/a(b", "/a()/b('", "/x(a=1,,)/y", "//{", "/me", "/users/{u}/managedDevices/{m}/locateDevice",
		"/graph./microsoft.graph.", "/(x)", "/x?y", "/deviceManagement/remoteAssistancePartners('{id}')/disconnect"} {
		f.Add("POST", s)
	}
	o := load(f, currentFile)
	l := o.Bind(aliasRoutes)
	f.Fuzz(func(t *testing.T, method, template string) {
		for _, fd := range []*Lookup{o.base, l} {
			m, ok := fd.Find(method, template)
			if !ok {
				if fd.Explain(method, template) == "" {
					t.Fatalf("%s %s: no match and no explanation", method, template)
				}
				continue
			}
			if len(m.Paths) == 0 || len(o.Table(m).Schemes) != len(contract.Accounts) {
				t.Fatalf("%s %s: match %v", method, template, m)
			}
		}
	})
}
