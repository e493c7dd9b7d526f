package refdoc

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/graphconform/graphconform/contract"
)

// Page is what a reference page says about its operations.
type Page struct {
	// Name is where the page came from (a file name), for Source fields and messages.
	Name string
	// Title is the H1 text, in the page's language.
	Title string
	// Kind is "action" or "function" (from the H1 anchor, e.g. "disconnect-action") or "operation".
	Kind string
	// Description is the front matter's description, else the last paragraph under the H1.
	Description string
	// Locale and Date come from the front matter (ms.contentlocale, ms.date or ms.lasthandoff).
	Locale, Date string
	// Requests are the method and path lines of the http-request section, in page order.
	Requests []Request
	// Server is the service root of the example request, e.g. "https://graph.microsoft.com/v1.0".
	Server string
	// Body is the request-body rule; parameter types (JSON schema type names, "" unknown) by name.
	Body       contract.BodyRule
	ParamTypes map[string]string
	// Success is the documented success status; SuccessHasContent whether it carries a body.
	Success           int
	SuccessHasContent bool
	// Rows are the permission table's rows by position: delegated work, delegated personal,
	// application (contract.Accounts order). A row without a permission identifier is not supported.
	Rows [3][]string
}

// Request is one line of the http-request block.
type Request struct {
	Method string
	// Path is the path as the page writes it, e.g. /deviceManagement/remoteAssistancePartners/{remoteAssistancePartnerId}/disconnect.
	Path string
}

var (
	// The target may hold spaces inside braces: /users/{id | userPrincipalName}/assignLicense.
	requestLineRE = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE)\s+((?:[^\s{]|\{[^}]*\})+)`)
	statusSpanRE  = regexp.MustCompile("`([1-5][0-9][0-9])(?:\\s[^`]*)?`")
	statusLineRE  = regexp.MustCompile(`^HTTP/[0-9.]+\s+([1-5][0-9][0-9])\b`)
	// A permission identifier: dotted words, every word after the first capitalised
	// (DeviceManagementServiceConfig.ReadWrite.All, eDiscovery.Read.All), so prose, URLs and
	// "microsoft.graph" never match.
	permissionRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)+`)
	// A path segment: text and {placeholders}, each placeholder naming something.
	segmentRE = regexp.MustCompile(`^(?:[^{}\x00-\x20\x7f-\x9f]|\{[^{}/\x00-\x1f\x7f-\x9f]*[A-Za-z0-9_][^{}/\x00-\x1f\x7f-\x9f]*\})+$`)
)

// Parse reads a reference page. The error names the anchor or structure that is missing.
func Parse(name string, src []byte) (*Page, error) {
	d := parseMarkdown(string(src))
	p := &Page{Name: name, Locale: d.front["ms.contentlocale"], Description: d.front["description"]}
	p.Date = d.front["ms.date"]
	if p.Date == "" {
		p.Date = d.front["ms.lasthandoff"]
	}
	for _, s := range d.sections[1:] {
		if s.level == 1 {
			p.Title = s.title
			if p.Description == "" {
				p.Description = lastParagraph(s.text)
			}
			switch {
			case strings.HasSuffix(s.anchor, "-action"):
				p.Kind = "action"
			case strings.HasSuffix(s.anchor, "-function"):
				p.Kind = "function"
			}
			break
		}
	}
	if err := p.readRequests(d); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := p.readPermissions(d); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := p.readResponse(d); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p.readBody(d)
	p.Server = exampleServer(d, p.Requests)
	if p.Kind == "" {
		// No anchor says it; a POST to a name after a key segment is how Graph binds actions.
		p.Kind = "operation"
		if r := p.Requests[0]; r.Method == "POST" && boundName(r.Path) {
			p.Kind = "action"
		}
	}
	return p, nil
}

func (p *Page) readRequests(d *document) error {
	secs := d.find("http-request")
	for _, s := range secs {
		for _, b := range s.blocks {
			if b.lang != "http" && b.lang != "" {
				continue
			}
			for _, l := range b.lines {
				if m := requestLineRE.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
					path, _, _ := strings.Cut(m[2], "?")
					if r := (Request{Method: m[1], Path: path}); !slices.Contains(p.Requests, r) {
						p.Requests = append(p.Requests, r)
					}
				}
			}
		}
	}
	if secs == nil {
		return fmt.Errorf(`no <a name="http-request"> section`)
	}
	if len(p.Requests) == 0 {
		return fmt.Errorf("the http-request section has no ```http block with a METHOD /path line")
	}
	for _, r := range p.Requests {
		if !strings.HasPrefix(r.Path, "/") {
			return fmt.Errorf("http-request: %q is not a path starting with /", r.Path)
		}
		for _, seg := range strings.Split(strings.TrimPrefix(r.Path, "/"), "/") {
			if !segmentRE.MatchString(seg) {
				return fmt.Errorf("http-request: %q: segment %q is empty or has a malformed {placeholder}", r.Path, seg)
			}
		}
	}
	// Two spellings of one path ({id} and {userId}) would be one operation twice.
	seen := map[string]Request{}
	for _, r := range p.Requests {
		path, _, _ := convertPath(r.Path)
		if len(path) > maxName {
			return fmt.Errorf("http-request: a path of %d bytes; more than %d is not a Graph path", len(path), maxName)
		}
		if prev, dup := seen[r.Method+" "+path]; dup {
			return fmt.Errorf("http-request: %s %s and %s %s are the same operation", prev.Method, prev.Path, r.Method, r.Path)
		}
		seen[r.Method+" "+path] = r
	}
	return nil
}

// readPermissions maps the permission table's rows by position; the header names and the words for
// "Not supported." are translated, the identifiers are not.
func (p *Page) readPermissions(d *document) error {
	secs := d.find("prerequisites", "permissions")
	if secs == nil {
		return fmt.Errorf(`no <a name="prerequisites"> (or "permissions") section`)
	}
	tbls := tables(secs)
	if len(tbls) == 0 {
		return fmt.Errorf("the prerequisites section has no permission table (an [!INCLUDE] of the table is not read)")
	}
	rows := tbls[0]
	if len(rows) != len(p.Rows) {
		return fmt.Errorf("the permission table has %d rows, want %d (delegated work, delegated personal, application)", len(rows), len(p.Rows))
	}
	for i, row := range rows {
		seen := map[string]bool{}
		for _, cell := range row[min(1, len(row)-1):] { // the first cell names the row, in the page's language
			for _, perm := range permissionRE.FindAllString(cell, -1) {
				if !seen[perm] {
					seen[perm] = true
					p.Rows[i] = append(p.Rows[i], perm)
				}
			}
		}
	}
	return nil
}

func (p *Page) readResponse(d *document) error {
	secs := d.find("response")
	if secs == nil {
		return fmt.Errorf(`no <a name="response"> section`)
	}
	for _, s := range secs {
		for _, m := range statusSpanRE.FindAllStringSubmatch(strings.Join(s.text, "\n"), -1) {
			if code, _ := strconv.Atoi(m[1]); code >= 200 && code < 300 {
				p.Success = code
				break
			}
		}
		if p.Success != 0 {
			break
		}
	}
	example, hasBody := exampleResponse(d)
	if p.Success == 0 {
		p.Success = example
	}
	if p.Success < 200 || p.Success > 299 {
		return fmt.Errorf("the response section names no 2xx status (like `204 No Content`) and no example response shows one")
	}
	p.SuccessHasContent = p.Success != 204 && (hasBody || example == 0 && p.Success != 202)
	return nil
}

// exampleResponse finds the first ```http block starting with a status line: its status and
// whether a body follows the headers.
func exampleResponse(d *document) (int, bool) {
	for _, s := range d.sections {
		for _, b := range s.blocks {
			if len(b.lines) == 0 {
				continue
			}
			if m := statusLineRE.FindStringSubmatch(strings.TrimSpace(b.lines[0])); m != nil {
				code, _ := strconv.Atoi(m[1])
				body := false
				for i, l := range b.lines[1:] {
					if strings.TrimSpace(l) == "" {
						body = strings.TrimSpace(strings.Join(b.lines[i+2:], "")) != ""
						break
					}
				}
				return code, body
			}
		}
	}
	return 0, false
}

// exampleServer is the service root of the example request (an absolute URL ending in one of the
// documented paths), e.g. https://graph.microsoft.com/v1.0.
func exampleServer(d *document, reqs []Request) string {
	for _, s := range d.sections {
		for _, b := range s.blocks {
			for _, l := range b.lines {
				m := requestLineRE.FindStringSubmatch(strings.TrimSpace(l))
				if m == nil {
					continue
				}
				u, err := url.Parse(m[2])
				if err != nil || u.Scheme == "" || u.Host == "" {
					continue
				}
				ver, _, _ := strings.Cut(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
				if ver == "v1.0" || ver == "beta" {
					return u.Scheme + "://" + u.Host + "/" + ver
				}
			}
		}
	}
	return ""
}

func lastParagraph(lines []string) string {
	var paras []string
	var cur []string
	for _, l := range append(lines, "") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, ">") || strings.HasPrefix(t, "<!--") || strings.HasPrefix(t, "[!") {
			if len(cur) > 0 {
				paras = append(paras, strings.Join(cur, " "))
			}
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
	if len(paras) == 0 {
		return ""
	}
	return html.UnescapeString(paras[len(paras)-1])
}
