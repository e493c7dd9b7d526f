package refdoc

import (
	"testing"
)

// Short seeds in the shape of the two real pages: the fuzzer minimizes every input that finds new
// coverage, and minimizing a whole 6 KB page stalls a 5-second run.
const (
	fuzzSeedRU = "---\nms.contentlocale: ru-RU\n---\n# <a name=\"disconnect-action\"></a>Действие\n" +
		"## <a name=\"prerequisites\"></a>Компоненты\n|Тип|Разрешения|\n|:---|:---|\n|Делегированные|A.ReadWrite.All|\n|Личная|Не поддерживается.|\n|Для приложений|A.ReadWrite.All|\n" +
		"## <a name=\"http-request\"></a>HTTP\n``` http\nPOST /a/{bId}/disconnect\n```\n## <a name=\"request-body\"></a>Текст\nНе указывайте.\n" +
		"## <a name=\"response\"></a>Отклик\n`204 No Content`\n### <a name=\"response\"></a>Отклик\n``` http\nHTTP/1.1 204 No Content\n```\n"
	fuzzSeedZH = "# <a name=\"x-action\"></a><span data-ttu-id=\"1\">操作</span><span class=\"sxs-lookup\"><span data-stu-id=\"1\">action</span></span>\n" +
		"## <a name=\"prerequisites\"></a>先决条件\n|权限类型|权限|\n|:---|:---|\n|<span data-ttu-id=\"2\">委派</span>|<span data-ttu-id=\"3\">A.B.All</span><span class=\"sxs-lookup\"><span data-stu-id=\"3\">A.B.All</span></span>|\n|个人|不支持。|\n|应用程序|不支持。|\n" +
		"## <a name=\"http-request\"></a>HTTP\n```http\nGET /users/{id | userPrincipalName}\n```\n## <a name=\"request-body\"></a>正文\n```json\n{\"p\": 1}\n```\n" +
		"## <a name=\"response\"></a>响应\n`200 OK`\n```http\nHTTP/1.1 200 OK\n\n{}\n```\n"
)

// FuzzParse: the markdown parser never panics, and a page it accepts always yields a description
// the spec package accepts (Describe loads and checks what it writes).
func FuzzParse(f *testing.F) {
	f.Add([]byte(fuzzSeedRU))
	f.Add([]byte(fuzzSeedZH))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.md", data)
		if err != nil {
			return
		}
		if _, err := Describe([]*Page{p}, Options{}); err != nil {
			t.Fatalf("a parsed page does not describe: %v\npage: %+v", err, p)
		}
	})
}

// The short seeds parse: the fuzzer starts from pages that reach Describe.
func TestFuzzSeedsParse(t *testing.T) {
	for _, s := range []string{fuzzSeedRU, fuzzSeedZH} {
		p, err := Parse("seed.md", []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Describe([]*Page{p}, Options{}); err != nil {
			t.Fatal(err)
		}
	}
}
