package config

import (
	"fmt"
	"strings"
)

// expand replaces ${NAME} in every string field. Only the braced form is expanded, so a token or
// secret that happens to contain "$" is left alone; "$${" writes a literal "${".
func (f *File) expand(lookup func(string) (string, bool)) error {
	t := &f.Target
	fields := []strField{{"revision", &f.Revision},
		{"target.baseURL", &t.BaseURL}, {"target.partnerId", &t.PartnerID},
		{"target.timeout", &t.Timeout}, {"target.caFile", &t.CAFile},
		{"target.concurrency", &t.Concurrency}, {"target.rate", &t.Rate},
		{"run.strict", &f.Run.Strict}, {"run.certify", &f.Run.Certify}, {"run.timeout", &f.Run.Timeout}}
	if t.Retry != nil {
		fields = append(fields, strField{"target.retry.maxWait", &t.Retry.MaxWait})
	}
	fields = append(fields, f.selectFields()...)
	fields = append(fields, f.productFields()...)
	for _, s := range fields {
		if err := f.expandOne(s.field, s.v, lookup); err != nil {
			return err
		}
	}
	for k, v := range t.Keys {
		if err := f.expandOne("target.keys."+k, &v, lookup); err != nil {
			return err
		}
		t.Keys[k] = v
	}
	for i := range f.Personas {
		p := &f.Personas[i]
		at := fmt.Sprintf("personas[%d]", i)
		fields := []strField{{at + ".name", &p.Name}, {at + ".account", &p.Account}, {at + ".token", &p.Token}}
		for j := range p.Permissions {
			fields = append(fields, strField{fmt.Sprintf("%s.permissions[%d]", at, j), &p.Permissions[j]})
		}
		if c := p.ClientCredentials; c != nil {
			cc := at + ".clientCredentials."
			fields = append(fields, []strField{{cc + "tenantId", &c.TenantID}, {cc + "clientId", &c.ClientID}, {cc + "clientSecret", &c.ClientSecret},
				{cc + "scope", &c.Scope}, {cc + "tokenURL", &c.TokenURL}}...)
		}
		for _, s := range fields {
			if err := f.expandOne(s.field, s.v, lookup); err != nil {
				return err
			}
		}
	}
	return nil
}

// strField is a string field and its path, for expansion errors.
type strField struct {
	field string
	v     *string
}

func (f *File) expandOne(field string, v *string, lookup func(string) (string, bool)) error {
	out, err := Expand(*v, lookup)
	if err != nil {
		return f.errorf(field, "%v", err)
	}
	*v = out
	return nil
}

// Expand replaces ${NAME} in s using lookup. An unset variable is an error naming it; a malformed
// reference ("${", "${1X}") is an error too, rather than text passed on verbatim to a target.
func Expand(s string, lookup func(string) (string, bool)) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return "", fmt.Errorf("unterminated ${ (write $${ for a literal ${)")
			}
			name := s[i+2 : i+2+end]
			if !validEnvName(name) {
				return "", fmt.Errorf("${%s} is not a valid environment variable reference (letters, digits and _; write $${ for a literal ${)", name)
			}
			val, ok := lookup(name)
			if !ok {
				return "", fmt.Errorf("environment variable %s is not set (referenced as ${%s})", name, name)
			}
			b.WriteString(val)
			i += 2 + end + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), nil
}

func validEnvName(n string) bool {
	if n == "" {
		return false
	}
	for i, r := range n {
		letter := r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}
