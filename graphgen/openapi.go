package graphgen

import (
	"fmt"
	"strconv"
	"strings"
)

func q(s string) string { return strconv.Quote(s) }

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// inlinePermissions is the disconnect page's current permission table (spec/openapi/disconnect.yaml).
const inlinePermissions = "      x-ms-permissions:\n        - revision: current\n          source: graphgen (the disconnect page's table)\n" +
	"          delegatedWork: [DeviceManagementServiceConfig.ReadWrite.All]\n          delegatedPersonal: notSupported\n" +
	"          application: [DeviceManagementServiceConfig.ReadWrite.All]\n"

const errRefs = "        4XX:\n          $ref: '#/components/responses/error'\n        5XX:\n          $ref: '#/components/responses/error'\n"

// OpenAPI renders the description (YAML).
func (g *Graph) OpenAPI() []byte {
	var b strings.Builder
	b.WriteString("openapi: 3.0.4\ninfo:\n  title: OData Service for namespace microsoft.graph (graphconform synthetic)\n  version: v1.0\n" +
		"servers:\n  - url: https://graph.microsoft.com/v1.0\n    description: Core\npaths:\n")
	for _, s := range g.Sets {
		g.writeSet(&b, s)
	}
	b.WriteString("components:\n  schemas:\n")
	b.WriteString("    microsoft.graph.entity:\n      title: entity\n      required: ['@odata.type']\n      type: object\n" +
		"      properties:\n        id:\n          type: string\n        '@odata.type':\n          type: string\n" +
		"      discriminator:\n        propertyName: '@odata.type'\n        mapping:\n")
	for _, s := range g.Sets {
		fmt.Fprintf(&b, "          '#microsoft.graph.%s': '#/components/schemas/microsoft.graph.%[1]s'\n", s.Type)
	}
	for _, s := range g.Sets {
		writeEntitySchema(&b, s)
	}
	b.Write(components)
	for _, s := range g.Sets {
		fmt.Fprintf(&b, "    microsoft.graph.%sCollectionResponse:\n      description: Retrieved collection\n      content:\n"+
			"        application/json:\n          schema:\n            $ref: '#/components/schemas/microsoft.graph.%[1]sCollectionResponse'\n", s.Type)
	}
	b.WriteString("  securitySchemes:\n    azureaadv2:\n      type: oauth2\n      flows:\n        authorizationCode:\n" +
		"          authorizationUrl: https://login.microsoftonline.com/common/oauth2/v2.0/authorize\n" +
		"          tokenUrl: https://login.microsoftonline.com/common/oauth2/v2.0/token\n          scopes: {}\n" +
		"security:\n  - azureaadv2: []\n")
	return []byte(b.String())
}

func (g *Graph) writeSet(b *strings.Builder, s EntitySet) {
	ref := "'#/components/schemas/microsoft.graph." + s.Type + "'"
	entityBody := "      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: " + ref + "\n        required: true\n"
	entityResp := "        2XX:\n          description: Success\n          content:\n            application/json:\n              schema:\n                $ref: " + ref + "\n"
	op := func(method, summary, id, kind, extra, responses string) {
		fmt.Fprintf(b, "    %s:\n      tags:\n        - %s\n      summary: %s\n      description: %s\n      operationId: %s\n%s      responses:\n%s%s      x-ms-docs-operation-type: %s\n",
			method, q(s.Tag()), q(summary), q(summary+" of the "+s.Type+" objects."), q(id), extra, responses, errRefs, kind)
	}
	keyParam := fmt.Sprintf("    parameters:\n      - name: %s-id\n        in: path\n        description: The unique identifier of %[1]s\n        required: true\n        schema:\n          type: string\n        x-ms-docs-key-type: %[1]s\n", s.Type)

	fmt.Fprintf(b, "  %s:\n    description: Provides operations to manage the %s property of the microsoft.graph.%s entity.\n", s.Collection(), s.Nav, s.Root)
	op("get", "List "+s.Nav, s.Root+".List"+upperFirst(s.Nav), "operation",
		"      parameters:\n        - $ref: '#/components/parameters/top'\n        - $ref: '#/components/parameters/skip'\n        - $ref: '#/components/parameters/filter'\n        - $ref: '#/components/parameters/count'\n",
		"        2XX:\n          $ref: '#/components/responses/microsoft.graph."+s.Type+"CollectionResponse'\n")
	op("post", "Create "+s.Type, s.Root+".Create"+upperFirst(s.Nav), "operation", entityBody, entityResp)

	fmt.Fprintf(b, "  %s:\n    description: Provides operations to manage the %s property of the microsoft.graph.%s entity.\n", s.Item(), s.Nav, s.Root)
	op("get", "Get "+s.Type, s.Root+".Get"+upperFirst(s.Nav), "operation", "", entityResp)
	op("patch", "Update "+s.Type, s.Root+".Update"+upperFirst(s.Nav), "operation", entityBody, entityResp)
	op("delete", "Delete "+s.Type, s.Root+".Delete"+upperFirst(s.Nav), "operation", "", "        '204':\n          description: Success\n")
	b.WriteString(keyParam)

	fmt.Fprintf(b, "  %s/$count:\n    description: Provides operations to count the resources in the collection.\n", s.Collection())
	op("get", "Get the number of the resource", s.Root+"."+s.Nav+".GetCount-"+fmt.Sprintf("%04x", len(s.Type)*131%65536), "operation",
		"", "        2XX:\n          $ref: '#/components/responses/ODataCountResponse'\n")

	for _, a := range s.Actions {
		fmt.Fprintf(b, "  %s/%s:\n    description: Provides operations to call the %s method.\n", s.Item(), a.Name, a.Name)
		extra, resp := "", "        '204':\n          description: Success\n"
		if a.Body {
			extra = fmt.Sprintf("      requestBody:\n        description: Action parameters\n        content:\n          application/json:\n            schema:\n"+
				"              type: object\n              properties:\n                target:\n                  $ref: '#/components/schemas/microsoft.graph.%s'\n"+
				"                items:\n                  type: array\n                  items:\n                    $ref: '#/components/schemas/microsoft.graph.%s'\n"+
				"                comment:\n                  type: string\n                  nullable: true\n        required: true\n", s.Navs[0], s.Navs[1])
		}
		if a.Returns {
			resp = "        '200':\n          description: Success\n          content:\n            application/json:\n              schema:\n                $ref: " + ref + "\n"
		}
		if g.InlinePermissions {
			extra += inlinePermissions
		}
		op("post", "Invoke action "+a.Name, s.ActionID(a), "action", extra, resp)
		b.WriteString(keyParam)
	}
}

func writeEntitySchema(b *strings.Builder, s EntitySet) {
	fmt.Fprintf(b, "    microsoft.graph.%s:\n      allOf:\n        - $ref: '#/components/schemas/microsoft.graph.entity'\n        - title: %[1]s\n"+
		"          required: ['@odata.type']\n          type: object\n          properties:\n", s.Type)
	for i, kind := range []string{"string", "string", "integer", "boolean", "string", "string", "number", "string"} {
		fmt.Fprintf(b, "            property%d:\n              type: %s\n              description: Property %[1]d of %s.\n              nullable: true\n", i, kind, s.Type)
	}
	fmt.Fprintf(b, "            lastModifiedDateTime:\n              type: string\n              format: date-time\n"+
		"            owner:\n              anyOf:\n                - $ref: '#/components/schemas/microsoft.graph.%s'\n                - type: object\n                  nullable: true\n"+
		"              x-ms-navigationProperty: true\n"+ // as Microsoft marks a link to another entity
		"            related:\n              type: array\n              items:\n                $ref: '#/components/schemas/microsoft.graph.%s'\n"+
		"              x-ms-navigationProperty: true\n"+
		"            '@odata.type':\n              type: string\n      x-ms-discriminator-value: '#microsoft.graph.%s'\n", s.Navs[0], s.Navs[1], s.Type)
	fmt.Fprintf(b, "    microsoft.graph.%sCollectionResponse:\n      title: Collection of %[1]s\n      type: object\n      allOf:\n"+
		"        - $ref: '#/components/schemas/BaseCollectionPaginationCountResponse'\n        - type: object\n          properties:\n"+
		"            value:\n              type: array\n              items:\n                $ref: '#/components/schemas/microsoft.graph.%[1]s'\n", s.Type)
}
