package refdoc

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"text/template"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/spec"
)

// DefaultRevision names the permission table a page yields when no revision is given: a page read
// today is the current revision of itself; drift and --revision name older ones.
const DefaultRevision = "current"

// Options control the generated description.
type Options struct {
	// Revision names the x-ms-permissions entry; "" is DefaultRevision.
	Revision string
}

//go:embed openapi.yaml.tmpl
var descriptionTemplate string

var tmpl = template.Must(template.New("openapi").Funcs(template.FuncMap{"q": quote, "row": row, "comment": comment}).Parse(descriptionTemplate))

// comment writes a value on a YAML comment line: escaped like a scalar, so it stays on its line.
func comment(s string) string { q := quote(s); return q[1 : len(q)-1] }

// quote writes a YAML double-quoted scalar. Characters YAML does not allow in a stream (C0/C1
// controls, DEL, BOM, non-characters) are escaped, so any page text makes a loadable description.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t' || r >= 0x20 && r < 0x7f || r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd && r != 0xfeff || r >= 0x10000:
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// row writes a permission-table row as x-ms-permissions does: a flow list, or notSupported.
func row(perms []string) string {
	if len(perms) == 0 {
		return spec.NotSupported
	}
	q := make([]string, len(perms))
	for i, p := range perms {
		q[i] = quote(p)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// op is one operation as the template writes it.
type op struct {
	Method, Path, ID, Tag, Summary, Description, Kind string
	Page                                              *Page
	Revision, Source                                  string
}

type pathItem struct {
	Path, Description string
	Params            []pathParam
	Ops               []op
}

type view struct {
	Title, Server, Version string
	Pages                  []*Page
	Paths                  []*pathItem
}

// Describe writes the OpenAPI 3.0 description of the pages' operations, in the style of
// spec/openapi/disconnect.yaml (itself Microsoft's style plus x-ms-permissions). The result is
// loaded and its contracts built before it is returned, so what Describe emits is what the suite
// accepts.
func Describe(pages []*Page, opts Options) ([]byte, error) {
	data, _, err := describeChecked(pages, opts)
	return data, err
}

// Contracts returns the contracts of a page's operations, in the page's order, as the suite builds
// them from the description Describe writes.
func (p *Page) Contracts(revision string) ([]contract.Operation, error) {
	_, ops, err := describeChecked([]*Page{p}, Options{Revision: revision})
	return ops, err
}

// describeChecked renders the description, then loads it with the spec package and returns the
// contracts in page order.
func describeChecked(pages []*Page, opts Options) ([]byte, []contract.Operation, error) {
	if opts.Revision == "" {
		opts.Revision = DefaultRevision
	}
	data, ops, err := describe(pages, opts.Revision)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(ops))
	for i, o := range ops {
		ids[i] = o.ID
	}
	name := "from-docs"
	if len(pages) == 1 {
		name = pages[0].Name
	}
	d, err := spec.Load(name, data)
	if err == nil {
		var got []contract.Operation
		got, err = d.Contracts(context.Background(), spec.Options{Select: spec.Selector{OperationIDs: ids}, Revision: opts.Revision})
		if err == nil {
			return data, inPageOrder(got, ops), nil
		}
	}
	return nil, nil, fmt.Errorf("the generated description is not accepted (a graphconform bug): %w", err)
}

func inPageOrder(got []contract.Operation, want []op) []contract.Operation {
	out := make([]contract.Operation, 0, len(want))
	for _, w := range want {
		for _, g := range got {
			if g.Path == w.Path && strings.EqualFold(g.Method, w.Method) {
				out = append(out, g)
			}
		}
	}
	return out
}

// describe renders the template; ops are the operations in page order.
func describe(pages []*Page, rev string) ([]byte, []op, error) {
	v := view{Version: "v1.0", Pages: pages}
	items := map[string]*pathItem{}
	var ops []op
	for _, p := range pages {
		if v.Server == "" && p.Server != "" {
			v.Server = p.Server
			v.Version = p.Server[strings.LastIndex(p.Server, "/")+1:]
		}
		for _, r := range p.Requests {
			path, params, segs := convertPath(r.Path)
			it := items[path]
			if it == nil {
				it = &pathItem{Path: path, Params: params, Description: itemDescription(p.Kind, segs)}
				items[path] = it
				v.Paths = append(v.Paths, it)
			}
			o := op{Method: strings.ToLower(r.Method), Path: path, ID: operationID(p.Kind, r.Method, segs), Tag: tag(segs),
				Summary: summary(p, segs), Description: p.Description, Kind: p.Kind, Page: p, Revision: rev, Source: source(p)}
			for _, prev := range ops {
				if prev.Method == o.Method && prev.Path == path {
					return nil, nil, fmt.Errorf("%s and %s both document %s %s", prev.Page.Name, p.Name, r.Method, path)
				}
				if prev.ID == o.ID {
					return nil, nil, fmt.Errorf("%s: %s %s and %s %s would share the operationId %s", p.Name, strings.ToUpper(prev.Method), prev.Path, r.Method, path, o.ID)
				}
			}
			it.Ops = append(it.Ops, o)
			ops = append(ops, o)
		}
	}
	if len(ops) == 0 {
		return nil, nil, fmt.Errorf("no pages, or no operations in them")
	}
	sort.Slice(v.Paths, func(i, j int) bool { return v.Paths[i].Path < v.Paths[j].Path })
	v.Title = "Microsoft Graph - " + pages[0].Title + " (graphconform from-docs)"
	var out bytes.Buffer
	if err := tmpl.Execute(&out, v); err != nil {
		return nil, nil, err
	}
	return out.Bytes(), ops, nil
}

func itemDescription(kind string, segs []segment) string {
	last := segs[len(segs)-1]
	if (kind == "action" || kind == "function") && last.literal != "" {
		return "Provides operations to call the " + strings.TrimPrefix(last.literal, "microsoft.graph.") + " method."
	}
	return "Provides operations to manage " + strings.Trim(tag(segs), ".") + "."
}

func summary(p *Page, segs []segment) string {
	name := strings.TrimPrefix(segs[len(segs)-1].literal, "microsoft.graph.")
	switch p.Kind {
	case "action", "function":
		return "Invoke " + p.Kind + " " + name
	}
	return p.Title
}

// source says where the permission table was read: the page and what its front matter tells of its
// language and date.
func source(p *Page) string {
	var about []string
	if p.Locale != "" {
		about = append(about, p.Locale)
	}
	if p.Date != "" {
		about = append(about, "dated "+p.Date)
	}
	s := "reference page " + p.Name
	if len(about) > 0 {
		s += " (" + strings.Join(about, ", ") + ")"
	}
	return s
}
