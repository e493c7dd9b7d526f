// Package refdoc reads a Microsoft Graph reference page (the markdown of learn.microsoft.com/graph/api/…,
// in any locale) into an operation contract, writes it as an OpenAPI description with the
// x-ms-permissions extension, and reports the contract differences between two revisions of a page.
//
// Translated pages share no words with the English ones, so the parser relies only on what
// translation leaves alone: the <a name="…"> section anchors, the ```http code blocks, permission
// identifiers, the position of the permission table's rows, HTTP status codes, and the structure of
// the request-body section. Localized prose is never interpreted.
package refdoc

import (
	"html"
	"regexp"
	"strings"
)

// block is a fenced code block.
type block struct {
	lang  string // first word of the info string, lower case ("http", "json", "")
	lines []string
}

// section is a heading and what follows it up to the next heading.
type section struct {
	level  int
	anchor string // the <a name> anchor, else a slug of the heading text
	title  string
	text   []string // prose lines outside code blocks, spans and tags cleaned
	blocks []block
}

// document is a page split into front matter and sections; sections[0] holds what precedes the
// first heading.
type document struct {
	front    map[string]string
	sections []*section
}

var (
	headingRE = regexp.MustCompile(`^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$`)
	anchorRE  = regexp.MustCompile(`<a\s+(?:name|id)\s*=\s*["']([^"']+)["']\s*/?>\s*(?:</a>)?`)
	spanTagRE = regexp.MustCompile(`</?span\b[^>]*>`)
	slugRE    = regexp.MustCompile(`[^a-z0-9]+`)
)

// parseMarkdown splits a page. It never fails: a page without the expected structure simply has
// fewer sections, and the caller names what is missing.
func parseMarkdown(src string) *document {
	// Invalid UTF-8 would be rewritten on output and then not match what was read.
	src = strings.ToValidUTF8(src, "\ufffd")
	src = strings.TrimPrefix(strings.ReplaceAll(src, "\r\n", "\n"), "\ufeff")
	lines := strings.Split(src, "\n")
	d := &document{front: map[string]string{}}
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "---" {
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "---" {
				for _, l := range lines[1:i] {
					if k, v, ok := strings.Cut(l, ":"); ok {
						d.front[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
					}
				}
				lines = lines[i+1:]
				break
			}
		}
	}
	cur := &section{}
	d.sections = append(d.sections, cur)
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if fence, info, ok := openFence(line); ok {
			b := block{lang: strings.ToLower(firstWord(info))}
			for i++; i < len(lines) && !closesFence(lines[i], fence); i++ {
				b.lines = append(b.lines, lines[i])
			}
			cur.blocks = append(cur.blocks, b)
			continue
		}
		line = cleanLine(line)
		if !strings.HasPrefix(strings.TrimLeft(line, " "), "#") {
			cur.text = append(cur.text, line)
			continue
		}
		if m := headingRE.FindStringSubmatch(line); m != nil {
			cur = &section{level: len(m[1])}
			title := m[2]
			if a := anchorRE.FindStringSubmatch(title); a != nil {
				cur.anchor = strings.ToLower(a[1])
			}
			cur.title = strings.TrimSpace(html.UnescapeString(anchorRE.ReplaceAllString(title, "")))
			if cur.anchor == "" {
				// English pages of today have no anchors; their slug is the same word.
				cur.anchor = strings.Trim(slugRE.ReplaceAllString(strings.ToLower(cur.title), "-"), "-")
			}
			d.sections = append(d.sections, cur)
			continue
		}
		cur.text = append(cur.text, line)
	}
	return d
}

func openFence(line string) (fence, info string, ok bool) {
	t := strings.TrimLeft(line, " \t")
	for _, c := range []string{"`", "~"} {
		n := len(t) - len(strings.TrimLeft(t, c))
		if n >= 3 {
			info = strings.TrimSpace(t[n:])
			if c == "`" && strings.Contains(info, "`") {
				return "", "", false // an inline code span, not a fence
			}
			return t[:n], info, true
		}
	}
	return "", "", false
}

func closesFence(line, fence string) bool {
	t := strings.TrimSpace(line)
	return len(t) >= len(fence) && strings.Trim(t, fence[:1]) == "" && strings.HasPrefix(t, fence)
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// cleanLine removes the English look-up duplicates of machine-translated pages
// (<span class="sxs-lookup">…</span>, nested spans included) and unwraps the remaining spans, so a
// translated line reads like an untranslated one and nothing is seen twice.
func cleanLine(line string) string {
	const lookup = `<span class="sxs-lookup">`
	for {
		i := strings.Index(line, lookup)
		if i < 0 {
			break
		}
		end, depth := len(line), 0
		for j := i; j < len(line); {
			switch {
			case strings.HasPrefix(line[j:], "<span"):
				depth++
				j += len("<span")
			case strings.HasPrefix(line[j:], "</span>"):
				depth--
				j += len("</span>")
				if depth == 0 {
					end = j
					j = len(line)
				}
			default:
				j++
			}
		}
		line = line[:i] + line[end:]
	}
	if !strings.Contains(line, "span") {
		return line // most lines: skip the regexp
	}
	return spanTagRE.ReplaceAllString(line, "")
}

// find returns the first section with the anchor and the sections nested in it, or nil.
func (d *document) find(anchors ...string) []*section {
	for i, s := range d.sections {
		for _, a := range anchors {
			if s.anchor == a && i > 0 {
				j := i + 1
				for j < len(d.sections) && d.sections[j].level > s.level {
					j++
				}
				return d.sections[i:j]
			}
		}
	}
	return nil
}

// tables returns the markdown tables of the sections, each as rows of trimmed cells, the header
// and the |---| delimiter row excluded.
func tables(secs []*section) [][][]string {
	var out [][][]string
	for _, s := range secs {
		var cur [][]string
		var body bool
		flush := func() {
			if body {
				out = append(out, cur)
			}
			cur, body = nil, false
		}
		for _, l := range s.text {
			t := strings.TrimSpace(l)
			if !strings.HasPrefix(t, "|") {
				flush()
				continue
			}
			cells := splitRow(t)
			if isDelimiterRow(cells) {
				body = true
				continue
			}
			if body {
				cur = append(cur, cells)
			}
		}
		flush()
	}
	return out
}

func splitRow(t string) []string {
	t = strings.ReplaceAll(strings.Trim(t, "|"), `\|`, "\x00")
	cells := strings.Split(t, "|")
	for i, c := range cells {
		cells[i] = strings.TrimSpace(strings.ReplaceAll(c, "\x00", "|"))
	}
	return cells
}

func isDelimiterRow(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, ":- ") != "" || !strings.Contains(c, "-") {
			return false
		}
	}
	return len(cells) > 0
}
