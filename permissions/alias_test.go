package permissions

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/spec"
)

// A description in Microsoft's style with one navigation alias (/users/{id}/managedDevices/{id}
// of /deviceManagement/managedDevices/{id}), a $ref'd key parameter, a 2XX response, a collection
// and a function that returns an entity.
const aliasDescription = `openapi: 3.0.4
info: {title: alias test, version: v1.0}
paths:
  /deviceManagement/managedDevices/{managedDevice-id}:
    get:
      operationId: deviceManagement.managedDevices.get
      x-ms-docs-operation-type: operation
      responses:
        2XX:
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/microsoft.graph.managedDevice'}
    parameters:
    - $ref: '#/components/parameters/ManagedDeviceId'
  /users/{user-id}/managedDevices:
    get:
      operationId: users.managedDevices.list
      x-ms-docs-operation-type: operation
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/microsoft.graph.managedDeviceCollectionResponse'}
    parameters:
    - {name: user-id, in: path, required: true, schema: {type: string}, x-ms-docs-key-type: user}
  /users/{user-id}/managedDevices/{managedDevice-id}/locateDevice:
    post:
      operationId: users.managedDevices.locateDevice
      x-ms-docs-operation-type: action
      responses:
        '204': {description: done}
    parameters:
    - {name: user-id, in: path, required: true, schema: {type: string}, x-ms-docs-key-type: user}
    - $ref: '#/components/parameters/ManagedDeviceId'
  /users/{user-id}/managedDevices/{managedDevice-id}/wipe:
    post:
      operationId: users.managedDevices.wipe
      x-ms-docs-operation-type: action
      responses:
        '204': {description: done}
    parameters:
    - {name: user-id, in: path, required: true, schema: {type: string}, x-ms-docs-key-type: user}
    - $ref: '#/components/parameters/ManagedDeviceId'
  /users/{user-id}/managedDevices/{managedDevice-id}/latest():
    get:
      operationId: users.managedDevices.latest
      x-ms-docs-operation-type: function
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/microsoft.graph.managedDevice'}
    parameters:
    - {name: user-id, in: path, required: true, schema: {type: string}, x-ms-docs-key-type: user}
    - $ref: '#/components/parameters/ManagedDeviceId'
components:
  parameters:
    ManagedDeviceId: {name: managedDevice-id, in: path, required: true, schema: {type: string}, x-ms-docs-key-type: managedDevice}
  schemas:
    microsoft.graph.managedDevice: {type: object}
    microsoft.graph.managedDeviceCollectionResponse: {type: object}
`

// The test reader (v1data_test.go) stands in for RoutesOf on the 17.5 MB description, where
// kin-openapi is too slow for a test under -race: on every description both can read, they agree.
func TestRoutesOfMatchesYAML(t *testing.T) {
	files := map[string][]byte{"inline": []byte(aliasDescription)}
	for _, name := range []string{"msgraph-openapi-remoteassistancepartners-v1.0.yaml", "msgraph-openapi-disconnect-v1.0.yaml",
		"msgraph-openapi-disconnect-powershell-v1.0.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	keyed, returning := 0, 0
	for name, data := range files {
		d, err := spec.Load(name, data)
		if err != nil {
			t.Fatal(err)
		}
		want, err := readDescription(data)
		if err != nil {
			t.Fatal(err)
		}
		got := RoutesOf(d.Doc)
		if !reflect.DeepEqual(got, want.Routes) {
			t.Errorf("%s:\nRoutesOf %+v\nYAML     %+v", name, got, want.Routes)
		}
		for _, r := range got {
			keyed += len(r.KeyTypes)
			if r.Returns != "" {
				returning++
			}
		}
	}
	if keyed == 0 || returning == 0 {
		t.Errorf("%d key types, %d GET types: the comparison proves little", keyed, returning)
	}
	routes := RoutesOf(mustLoad(t, aliasDescription).Doc)
	want := []Route{
		{Path: "/deviceManagement/managedDevices/{managedDevice-id}", KeyTypes: map[string]string{"managedDevice-id": "managedDevice"}, Returns: "managedDevice"},
		{Path: "/users/{user-id}/managedDevices", KeyTypes: map[string]string{"user-id": "user"}},                                                                  // a collection is no entity
		{Path: "/users/{user-id}/managedDevices/{managedDevice-id}/latest()", KeyTypes: map[string]string{"user-id": "user", "managedDevice-id": "managedDevice"}}, // nor a function
		{Path: "/users/{user-id}/managedDevices/{managedDevice-id}/locateDevice", KeyTypes: map[string]string{"user-id": "user", "managedDevice-id": "managedDevice"}},
		{Path: "/users/{user-id}/managedDevices/{managedDevice-id}/wipe", KeyTypes: map[string]string{"user-id": "user", "managedDevice-id": "managedDevice"}},
	}
	if !reflect.DeepEqual(routes, want) {
		t.Errorf("RoutesOf = %+v\nwant %+v", routes, want)
	}
}

func mustLoad(t testing.TB, yaml string) *spec.Description {
	t.Helper()
	d, err := spec.Load("inline.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Contracts binds the overlay to the description it builds from (spec.DescriptionBinder), so an
// action listed in the file only under its canonical path gets that table, and one listed nowhere
// fails with the reason.
func TestContractsUseTheDescriptionsAliases(t *testing.T) {
	d := mustLoad(t, aliasDescription)
	o := overlayOf(t, listed{"DeviceManagementManagedDevices.PrivilegedOperations.All", "POST", "/devicemanagement/manageddevices/{id}/locatedevice"})
	locate := "/users/{user-id}/managedDevices/{managedDevice-id}/locateDevice"
	if _, ok := o.PermissionsFor("POST", locate, DefaultRevision); ok {
		t.Fatal("the overlay alone knows the alias: the test would not show that Contracts binds it")
	}
	ops, err := d.Contracts(t.Context(), spec.Options{Select: spec.Selector{OperationIDs: []string{"users.managedDevices.locateDevice"}}, Permissions: o})
	if err != nil {
		t.Fatal(err)
	}
	p := ops[0].Permissions
	if got := grantsOf(p.Schemes["work"]); len(got) != 1 || got[0].Permission != "DeviceManagementManagedDevices.PrivilegedOperations.All" {
		t.Errorf("work grants %v", got)
	}
	for _, w := range []string{"made-up.json", "/devicemanagement/manageddevices/{id}/locatedevice", string(AliasCanonical), "(managedDevice)"} {
		if !strings.Contains(p.Source, w) {
			t.Errorf("source %q does not say %q", p.Source, w)
		}
	}
	_, err = d.Contracts(t.Context(), spec.Options{Select: spec.Selector{OperationIDs: []string{"users.managedDevices.wipe"}}, Permissions: o})
	for _, w := range []string{"users.managedDevices.wipe", "--permissions", "nor its canonical path /devicemanagement/manageddevices/{id}/wipe"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("wipe: err = %v, want it to say %q", err, w)
		}
	}
}
