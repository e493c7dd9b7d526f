package permissions

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// graphGen writes a description in the style of Microsoft's msgraph-metadata openapi.yaml (what the
// OpenAPI.NET.OData converter emits under conversion-settings/openapi.json, graph-contract.md 1.1):
// key parameters named {type-id} on the path item, 2XX/204 plus 4XX/5XX to
// #/components/responses/error, microsoft.graph.ODataErrors.* schemas, x-ms-docs-operation-type,
// entity schemas cross-referenced by navigation properties and a discriminator mapping (what makes
// doc.Validate super-linear), one global oauth2 scheme and no per-operation permissions. The real
// remoteAssistancePartners set comes first; the others are synthetic. Its permissions.json lists the
// same paths in the devx-content format.
type graphGen struct {
	sets []entitySet
}

type entitySet struct {
	root, nav, typ string
	actions        []genAction
	// navs are the entity types this one links to (navigation properties).
	navs [2]string
}

type genAction struct {
	name          string
	body, returns bool
}

// poisonSchema is in testdata/graphgen-components.yaml: unreferenced and invalid, so a doc.Validate
// of the whole document fails while every operation is valid.
const poisonSchema = "graphconform.unreferencedInvalid"

var (
	genRoots    = []string{"deviceManagement", "education", "security", "identityGovernance", "solutions", "print", "employeeExperience", "admin", "storage", "communications"}
	genPrefixes = []string{"managed", "remote", "mobile", "cloud", "tenant", "compliance", "audit", "access", "windows", "android"}
	genNouns    = []string{"Partner", "Profile", "Assignment", "Configuration", "Setting", "Template", "Report", "Connector", "Session", "Rule"}
	genActions  = []genAction{{"sync", false, false}, {"assign", true, false}, {"wipe", false, false}, {"restore", false, true},
		{"validateProperties", true, false}, {"archive", false, false}, {"reprocess", false, false}, {"retire", false, false}}
)

// newGraphGen plans about `paths` paths: five per entity set (collection, item, $count, two actions).
func newGraphGen(paths int) *graphGen {
	n := max(paths/5, 1)
	g := &graphGen{sets: []entitySet{{root: "deviceManagement", nav: "remoteAssistancePartners", typ: "remoteAssistancePartner",
		actions: []genAction{{"beginOnboarding", false, false}, {"disconnect", false, false}}}}}
	for i := 1; i < n; i++ {
		typ := genPrefixes[i%len(genPrefixes)] + genNouns[(i/len(genPrefixes))%len(genNouns)]
		if k := i / (len(genPrefixes) * len(genNouns)); k > 0 {
			typ += strconv.Itoa(k + 1)
		}
		g.sets = append(g.sets, entitySet{root: genRoots[i%len(genRoots)], nav: typ + "s", typ: typ,
			actions: []genAction{genActions[i%len(genActions)], genActions[(i+3)%len(genActions)]}})
	}
	for i := range g.sets {
		g.sets[i].navs = [2]string{g.sets[(i*7+3)%n].typ, g.sets[(i*13+5)%n].typ}
	}
	return g
}

// write puts openapi.yaml and permissions.json into dir and returns their paths.
func (g *graphGen) write(t testing.TB, dir string) (openapi, perms string) {
	t.Helper()
	openapi, perms = filepath.Join(dir, "openapi.yaml"), filepath.Join(dir, "permissions.json")
	pj, err := json.MarshalIndent(g.permissions(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	common, err := os.ReadFile(filepath.Join("testdata", "graphgen-components.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(openapi, []byte(g.openapi(common)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(perms, pj, 0o644); err != nil {
		t.Fatal(err)
	}
	return openapi, perms
}

func q(s string) string { return strconv.Quote(s) }

func (s entitySet) collection() string { return "/" + s.root + "/" + s.nav }
func (s entitySet) item() string       { return s.collection() + "/{" + s.typ + "-id}" }
func (s entitySet) tag() string        { return s.root + "." + s.typ }
func upperFirst(s string) string       { return strings.ToUpper(s[:1]) + s[1:] }

const errRefs = "        4XX:\n          $ref: '#/components/responses/error'\n        5XX:\n          $ref: '#/components/responses/error'\n"

// openapi renders the description; common is testdata/graphgen-components.yaml.
func (g *graphGen) openapi(common []byte) string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.4\ninfo:\n  title: OData Service for namespace microsoft.graph (graphconform synthetic)\n  version: v1.0\n" +
		"servers:\n  - url: https://graph.microsoft.com/v1.0\n    description: Core\npaths:\n")
	for _, s := range g.sets {
		g.writeSet(&b, s)
	}
	b.WriteString("components:\n  schemas:\n")
	b.WriteString("    microsoft.graph.entity:\n      title: entity\n      required: ['@odata.type']\n      type: object\n" +
		"      properties:\n        id:\n          type: string\n        '@odata.type':\n          type: string\n" +
		"      discriminator:\n        propertyName: '@odata.type'\n        mapping:\n")
	for _, s := range g.sets {
		fmt.Fprintf(&b, "          '#microsoft.graph.%s': '#/components/schemas/microsoft.graph.%[1]s'\n", s.typ)
	}
	for _, s := range g.sets {
		writeEntitySchema(&b, s)
	}
	b.Write(common)
	for _, s := range g.sets {
		fmt.Fprintf(&b, "    microsoft.graph.%sCollectionResponse:\n      description: Retrieved collection\n      content:\n"+
			"        application/json:\n          schema:\n            $ref: '#/components/schemas/microsoft.graph.%[1]sCollectionResponse'\n", s.typ)
	}
	b.WriteString("  securitySchemes:\n    azureaadv2:\n      type: oauth2\n      flows:\n        authorizationCode:\n" +
		"          authorizationUrl: https://login.microsoftonline.com/common/oauth2/v2.0/authorize\n" +
		"          tokenUrl: https://login.microsoftonline.com/common/oauth2/v2.0/token\n          scopes: {}\n" +
		"security:\n  - azureaadv2: []\n")
	return b.String()
}

func (g *graphGen) writeSet(b *strings.Builder, s entitySet) {
	ref := "'#/components/schemas/microsoft.graph." + s.typ + "'"
	entityBody := "      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: " + ref + "\n        required: true\n"
	entityResp := "        2XX:\n          description: Success\n          content:\n            application/json:\n              schema:\n                $ref: " + ref + "\n"
	op := func(method, summary, id, kind, extra, responses string) {
		fmt.Fprintf(b, "    %s:\n      tags:\n        - %s\n      summary: %s\n      description: %s\n      operationId: %s\n%s      responses:\n%s%s      x-ms-docs-operation-type: %s\n",
			method, q(s.tag()), q(summary), q(summary+" of the "+s.typ+" objects."), q(id), extra, responses, errRefs, kind)
	}
	keyParam := fmt.Sprintf("    parameters:\n      - name: %s-id\n        in: path\n        description: The unique identifier of %[1]s\n        required: true\n        schema:\n          type: string\n        x-ms-docs-key-type: %[1]s\n", s.typ)

	fmt.Fprintf(b, "  %s:\n    description: Provides operations to manage the %s property of the microsoft.graph.%s entity.\n", s.collection(), s.nav, s.root)
	op("get", "List "+s.nav, s.root+".List"+upperFirst(s.nav), "operation",
		"      parameters:\n        - $ref: '#/components/parameters/top'\n        - $ref: '#/components/parameters/skip'\n        - $ref: '#/components/parameters/filter'\n        - $ref: '#/components/parameters/count'\n",
		"        2XX:\n          $ref: '#/components/responses/microsoft.graph."+s.typ+"CollectionResponse'\n")
	op("post", "Create "+s.typ, s.root+".Create"+upperFirst(s.nav), "operation", entityBody, entityResp)

	fmt.Fprintf(b, "  %s:\n    description: Provides operations to manage the %s property of the microsoft.graph.%s entity.\n", s.item(), s.nav, s.root)
	op("get", "Get "+s.typ, s.root+".Get"+upperFirst(s.nav), "operation", "", entityResp)
	op("patch", "Update "+s.typ, s.root+".Update"+upperFirst(s.nav), "operation", entityBody, entityResp)
	op("delete", "Delete "+s.typ, s.root+".Delete"+upperFirst(s.nav), "operation", "", "        '204':\n          description: Success\n")
	b.WriteString(keyParam)

	fmt.Fprintf(b, "  %s/$count:\n    description: Provides operations to count the resources in the collection.\n", s.collection())
	op("get", "Get the number of the resource", s.root+"."+s.nav+".GetCount-"+fmt.Sprintf("%04x", len(s.typ)*131%65536), "operation",
		"", "        2XX:\n          $ref: '#/components/responses/ODataCountResponse'\n")

	for _, a := range s.actions {
		fmt.Fprintf(b, "  %s/%s:\n    description: Provides operations to call the %s method.\n", s.item(), a.name, a.name)
		extra, resp := "", "        '204':\n          description: Success\n"
		if a.body {
			extra = fmt.Sprintf("      requestBody:\n        description: Action parameters\n        content:\n          application/json:\n            schema:\n"+
				"              type: object\n              properties:\n                target:\n                  $ref: '#/components/schemas/microsoft.graph.%s'\n"+
				"                items:\n                  type: array\n                  items:\n                    $ref: '#/components/schemas/microsoft.graph.%s'\n"+
				"                comment:\n                  type: string\n                  nullable: true\n        required: true\n", s.navs[0], s.navs[1])
		}
		if a.returns {
			resp = "        '200':\n          description: Success\n          content:\n            application/json:\n              schema:\n                $ref: " + ref + "\n"
		}
		op("post", "Invoke action "+a.name, s.root+"."+s.nav+"."+s.typ+"."+a.name, "action", extra, resp)
		b.WriteString(keyParam)
	}
}

func writeEntitySchema(b *strings.Builder, s entitySet) {
	fmt.Fprintf(b, "    microsoft.graph.%s:\n      allOf:\n        - $ref: '#/components/schemas/microsoft.graph.entity'\n        - title: %[1]s\n"+
		"          required: ['@odata.type']\n          type: object\n          properties:\n", s.typ)
	for i, kind := range []string{"string", "string", "integer", "boolean", "string", "string", "number", "string"} {
		fmt.Fprintf(b, "            property%d:\n              type: %s\n              description: Property %[1]d of %s.\n              nullable: true\n", i, kind, s.typ)
	}
	fmt.Fprintf(b, "            lastModifiedDateTime:\n              type: string\n              format: date-time\n"+
		"            owner:\n              anyOf:\n                - $ref: '#/components/schemas/microsoft.graph.%s'\n                - type: object\n                  nullable: true\n"+
		"            related:\n              type: array\n              items:\n                $ref: '#/components/schemas/microsoft.graph.%s'\n"+
		"            '@odata.type':\n              type: string\n      x-ms-discriminator-value: '#microsoft.graph.%s'\n", s.navs[0], s.navs[1], s.typ)
	fmt.Fprintf(b, "    microsoft.graph.%sCollectionResponse:\n      title: Collection of %[1]s\n      type: object\n      allOf:\n"+
		"        - $ref: '#/components/schemas/BaseCollectionPaginationCountResponse'\n        - type: object\n          properties:\n"+
		"            value:\n              type: array\n              items:\n                $ref: '#/components/schemas/microsoft.graph.%[1]s'\n", s.typ)
}

// permissions is the devx-content permissions.json for the generated paths. Per root: Read.All and
// ReadWrite.All least privileged, a broad Configuration.ReadWrite.All listed but never least (the
// PERM-005 shape of the real disconnect data); employeeExperience also supports personal accounts.
func (g *graphGen) permissions() map[string]any {
	perms := map[string]any{}
	type pathSet struct {
		SchemeKeys []string          `json:"schemeKeys"`
		Methods    []string          `json:"methods"`
		Paths      map[string]string `json:"paths"`
	}
	add := func(perm string, schemes, methods []string, path, value string) {
		p, ok := perms[perm].(map[string]any)
		if !ok {
			p = map[string]any{"authorizationType": "oAuth2", "schemes": map[string]any{}, "pathSets": []*pathSet{}}
			perms[perm] = p
		}
		sets := p["pathSets"].([]*pathSet)
		for _, ps := range sets {
			if strings.Join(ps.Methods, ",") == strings.Join(methods, ",") && strings.Join(ps.SchemeKeys, ",") == strings.Join(schemes, ",") {
				ps.Paths[strings.ToLower(path)] = value
				return
			}
		}
		p["pathSets"] = append(sets, &pathSet{schemes, methods, map[string]string{strings.ToLower(path): value}})
	}
	for i, s := range g.sets {
		area := upperFirst(s.root)
		if i == 0 {
			area = "DeviceManagementServiceConfig" // the real names of the real set
		}
		schemes := []string{"DelegatedWork", "Application"}
		if s.root == "employeeExperience" {
			schemes = []string{"DelegatedPersonal", "DelegatedWork", "Application"}
		}
		least := "least=" + strings.Join(schemes, ",")
		item := strings.ReplaceAll(s.item(), "{"+s.typ+"-id}", "{id}")
		for _, p := range []string{s.collection(), item, s.collection() + "/$count"} {
			add(area+".Read.All", schemes, []string{"GET"}, p, least)
		}
		add(area+".ReadWrite.All", schemes, []string{"GET", "POST"}, s.collection(), least)
		add(area+".ReadWrite.All", schemes, []string{"DELETE", "GET", "PATCH"}, item, least)
		add("DeviceManagementConfiguration.ReadWrite.All", schemes, []string{"DELETE", "GET", "PATCH"}, item, "")
		for _, a := range s.actions {
			add(area+".ReadWrite.All", schemes, []string{"POST"}, item+"/"+a.name, least)
			add("DeviceManagementConfiguration.ReadWrite.All", schemes, []string{"POST"}, item+"/"+a.name, "")
		}
	}
	return map[string]any{"$schema": "https://raw.githubusercontent.com/microsoftgraph/kibali/main/specs/permissions-schema.json", "permissions": perms}
}
