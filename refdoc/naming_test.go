package refdoc

import (
	"reflect"
	"testing"
)

// The names Microsoft's converter gives the remoteAssistancePartner surface (operationIds and tag as
// in msgraph-metadata's openapi.yaml, graph-contract.md 1.2 and the v1.0 slice in graph-data), derived
// from the paths the docs pages write.
func TestNamesFollowMicrosoftsConverter(t *testing.T) {
	const coll = "/deviceManagement/remoteAssistancePartners"
	const item = coll + "/{remoteAssistancePartnerId}"
	for _, tc := range []struct {
		kind, method, docsPath, path, id string
	}{
		{"operation", "GET", coll, coll, "deviceManagement.ListRemoteAssistancePartners"},
		{"operation", "POST", coll, coll, "deviceManagement.CreateRemoteAssistancePartners"},
		{"operation", "GET", item, coll + "/{remoteAssistancePartner-id}", "deviceManagement.GetRemoteAssistancePartners"},
		{"operation", "PATCH", coll + "/{id}", coll + "/{remoteAssistancePartner-id}", "deviceManagement.UpdateRemoteAssistancePartners"},
		{"operation", "DELETE", item, coll + "/{remoteAssistancePartner-id}", "deviceManagement.DeleteRemoteAssistancePartners"},
		{"action", "POST", item + "/beginOnboarding", coll + "/{remoteAssistancePartner-id}/beginOnboarding",
			"deviceManagement.remoteAssistancePartners.remoteAssistancePartner.beginOnboarding"},
		{"action", "POST", item + "/disconnect", coll + "/{remoteAssistancePartner-id}/disconnect",
			"deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect"},
	} {
		path, params, segs := convertPath(tc.docsPath)
		if path != tc.path {
			t.Errorf("%s: path %q, want %q", tc.docsPath, path, tc.path)
		}
		if got := operationID(tc.kind, tc.method, segs); got != tc.id {
			t.Errorf("%s %s: operationId %q, want %q", tc.method, tc.docsPath, got, tc.id)
		}
		if got := tag(segs); got != "deviceManagement.remoteAssistancePartner" {
			t.Errorf("%s: tag %q", tc.docsPath, got)
		}
		if len(params) > 0 && params[0] != (pathParam{"remoteAssistancePartner-id", "remoteAssistancePartner"}) {
			t.Errorf("%s: params %+v", tc.docsPath, params)
		}
	}
}

func TestEntitySetNames(t *testing.T) {
	_, params, segs := convertPath("/users/{id | userPrincipalName}")
	if got := operationID("operation", "GET", segs); got != "users.user.GetUser" {
		t.Errorf("operationId %q", got)
	}
	if got := tag(segs); got != "users.user" {
		t.Errorf("tag %q", got)
	}
	if want := []pathParam{{"user-id", "user"}}; !reflect.DeepEqual(params, want) {
		t.Errorf("params %+v", params)
	}
	_, params, _ = convertPath("/reports/getEmailActivityCounts(period='{period_value}')")
	if want := []pathParam{{Name: "period_value"}}; !reflect.DeepEqual(params, want) {
		t.Errorf("function parameters %+v", params)
	}
	for in, want := range map[string]string{"policies": "policy", "addresses": "address", "boxes": "box", "access": "access", "users": "user"} {
		if got := singular(in); got != want {
			t.Errorf("singular(%q) = %q, want %q", in, got, want)
		}
	}
}
