package refdoc

import (
	"reflect"
	"strings"
	"testing"
)

// englishPage is the shape of today's en-US pages: no <a name> anchors (headings are slugged),
// ```http blocks, a three-column permission table, a parameter table and a JSON example body.
const englishPage = "# user: assignLicense\n\nNamespace: microsoft.graph\n\nAdd or remove licenses.\n\n" +
	"## Permissions\n\n| Permission type | Least privileged permissions | Higher privileged permissions |\n|:--|:--|:--|\n" +
	"| Delegated (work or school account) | LicenseAssignment.ReadWrite.All | Directory.ReadWrite.All, User.ReadWrite.All |\n" +
	"| Delegated (personal Microsoft account) | Not supported. | Not supported. |\n" +
	"| Application | LicenseAssignment.ReadWrite.All | Directory.ReadWrite.All |\n\n" +
	"## HTTP request\n\n```http\nPOST /users/{id | userPrincipalName}/assignLicense\n```\n\n" +
	"## Request body\n\n| Parameter | Type | Description |\n|:---|:---|:---|\n| addLicenses | Collection(assignedLicense) | A collection. |\n| `removeLicenses` | Collection(Guid) | Ids. |\n\n" +
	"## Response\n\nIf successful, this method returns `200 OK` response code and a [user](../resources/user.md) object.\n\n" +
	"## Example\n\n### Request\n\n```http\nPOST https://graph.microsoft.com/beta/users/cdb555e3/assignLicense\nContent-type: application/json\n\n{\"addLicenses\": []}\n```\n\n" +
	"### Response\n\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\"id\": \"cdb555e3\"}\n```\n"

func TestParseEnglishStylePage(t *testing.T) {
	p, err := Parse("assignlicense.md", []byte(englishPage))
	if err != nil {
		t.Fatal(err)
	}
	want := [3][]string{
		{"LicenseAssignment.ReadWrite.All", "Directory.ReadWrite.All", "User.ReadWrite.All"},
		nil,
		{"LicenseAssignment.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	if !reflect.DeepEqual(p.Rows, want) {
		t.Errorf("rows %q", p.Rows)
	}
	if !p.Body.Accepted || !reflect.DeepEqual(p.Body.Parameters, []string{"addLicenses", "removeLicenses"}) || p.ParamTypes["addLicenses"] != "array" {
		t.Errorf("body %+v types %v", p.Body, p.ParamTypes)
	}
	if p.Success != 200 || !p.SuccessHasContent || p.Kind != "action" || p.Server != "https://graph.microsoft.com/beta" {
		t.Errorf("success %d content %v kind %q server %q", p.Success, p.SuccessHasContent, p.Kind, p.Server)
	}
	if p.Description != "Add or remove licenses." {
		t.Errorf("description %q", p.Description)
	}
	ops, err := p.Contracts("")
	if err != nil {
		t.Fatal(err)
	}
	o := ops[0]
	if o.ID != "users.user.assignLicense" || o.Path != "/users/{user-id}/assignLicense" || o.PathParams[0].KeyType != "user" {
		t.Errorf("contract %s %s %+v", o.ID, o.Path, o.PathParams)
	}
	if !o.Body.Accepted || !reflect.DeepEqual(o.Body.Parameters, []string{"addLicenses", "removeLicenses"}) || o.Success != 200 || !o.SuccessHasContent {
		t.Errorf("contract body %+v success %d %v", o.Body, o.Success, o.SuccessHasContent)
	}
}

func TestBodyFromJSONBlock(t *testing.T) {
	page := strings.Replace(englishPage, "| Parameter | Type | Description |\n|:---|:---|:---|\n| addLicenses | Collection(assignedLicense) | A collection. |\n| `removeLicenses` | Collection(Guid) | Ids. |\n",
		"```json\n{\"zeta\": \"x\", \"alpha\": true, \"n\": 1}\n```\n", 1)
	p, err := Parse("json.md", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Body.Parameters, []string{"alpha", "n", "zeta"}) || p.ParamTypes["alpha"] != "boolean" {
		t.Errorf("body %+v %v", p.Body, p.ParamTypes)
	}
}

func TestParseErrorsNameWhatIsMissing(t *testing.T) {
	ru := string(mustRead(t, seedRU))
	for _, tc := range []struct{ name, page, want string }{
		{"no http-request", strings.Replace(ru, `name="http-request"`, `name="other"`, 1), "http-request"},
		{"no request line", strings.Replace(ru, "POST /deviceManagement", "/deviceManagement", 1), "METHOD /path"},
		{"relative path", strings.Replace(ru, "POST /deviceManagement", "POST deviceManagement", 1), "not a path"},
		{"no prerequisites", strings.Replace(ru, `name="prerequisites"`, `name="x"`, 1), "prerequisites"},
		{"no table", noTable(ru), "permission table"},
		{"two rows", strings.Replace(ru, "|Для приложений|DeviceManagementServiceConfig.ReadWrite.All|\n", "", 1), "2 rows"},
		{"no response", strings.Replace(strings.ReplaceAll(ru, `name="response"`, `name="r"`), "HTTP/1.1 204", "HTTP/1.1 999", 1), "response"},
		{"no 2xx", strings.Replace(strings.Replace(ru, "`204 No Content`", "`400 Bad Request`", 1), "HTTP/1.1 204", "HTTP/1.1 400", 1), "2xx"},
	} {
		_, err := Parse("page.md", []byte(tc.page))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "page.md") {
			t.Errorf("%s: err = %v, want one naming %q and the page", tc.name, err, tc.want)
		}
	}
}

// noTable replaces the permission table by an include, as newer pages do.
func noTable(ru string) string {
	start := strings.Index(ru, "|Тип разрешения|")
	end := strings.Index(ru, "## <a name=\"http-request\">")
	return ru[:start] + "[!INCLUDE [permissions-table](../includes/permissions/x.md)]\n\n" + ru[end:]
}

func TestCleanLine(t *testing.T) {
	for in, want := range map[string]string{
		`<span data-ttu-id="1">本地</span><span class="sxs-lookup"><span data-stu-id="1">English</span></span>`: "本地",
		`a <span class="sxs-lookup"><span>x</span> b`:                                                         "a ",
		`<span class="sxs-lookup">` + `<span class="sxs-lookup">x</span></span>tail`:                          "tail",
		`plain | cell`: `plain | cell`,
	} {
		if got := cleanLine(in); got != want {
			t.Errorf("cleanLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownStructure(t *testing.T) {
	d := parseMarkdown("---\nms.date: 01/02/2020\n---\n# T\n```http\n# not a heading\n## nor this\n```\n## <a id='x'></a>X ##\n~~~~json\n{}\n~~~~\n### Sub\n| a | b |\n|---|:-:|\n| 1 | 2 \\| 3 |\n")
	if d.front["ms.date"] != "01/02/2020" {
		t.Errorf("front matter %v", d.front)
	}
	var anchors []string
	for _, s := range d.sections[1:] {
		anchors = append(anchors, s.anchor)
	}
	if want := []string{"t", "x", "sub"}; !reflect.DeepEqual(anchors, want) {
		t.Errorf("anchors %v, want %v (headings in code blocks are code)", anchors, want)
	}
	x := d.find("x")
	if len(x) != 2 || len(x[0].blocks) != 1 || x[0].blocks[0].lang != "json" {
		t.Fatalf("section x: %+v", x)
	}
	if got := tables(x); !reflect.DeepEqual(got, [][][]string{{{"1", "2 | 3"}}}) {
		t.Errorf("tables %q", got)
	}
}
