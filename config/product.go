package config

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/suites/conformance"
)

// Product names what a run certifies (product: in the config file), the way a Kubernetes
// conformance submission pairs its results with a PRODUCT.yaml. The reports show it.
type Product struct {
	Vendor  string `yaml:"vendor"`
	Product string `yaml:"product"`
	Version string `yaml:"version"`
	// Contact is an e-mail address or an http(s) URL.
	Contact string `yaml:"contact"`
}

// productMax bounds each field: a name, not a document.
const productMax = 200

// productFields are the product: strings, for ${VAR} expansion and checks.
func (f *File) productFields() []strField {
	p := f.Product
	if p == nil {
		return nil
	}
	return []strField{{"product.vendor", &p.Vendor}, {"product.product", &p.Product},
		{"product.version", &p.Version}, {"product.contact", &p.Contact}}
}

// validateProduct: vendor and product are required (a report must say whose product it judged);
// every field is one printable line of at most productMax characters; contact is an e-mail
// address or an http(s) URL without credentials.
func (f *File) validateProduct() error {
	p := f.Product
	if p == nil {
		if f.present("product") {
			return f.errorf("product", "product: is empty; give vendor: and product: (version: and contact: are optional), or remove it")
		}
		return nil
	}
	for _, s := range f.productFields() {
		v := *s.v
		switch {
		case v != strings.TrimSpace(v):
			return f.errorf(s.field, "%q has blanks around it", v)
		case len([]rune(v)) > productMax:
			return f.errorf(s.field, "%d characters; at most %d", len([]rune(v)), productMax)
		case strings.IndexFunc(v, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
			return f.errorf(s.field, "%q holds a control character; one printable line", v)
		}
	}
	if p.Vendor == "" {
		return f.errorf("product", "product.vendor is required: who makes the implementation")
	}
	if p.Product == "" {
		return f.errorf("product", "product.product is required: the implementation's name")
	}
	if p.Contact != "" && !validContact(p.Contact) {
		return f.errorf("product.contact", "%q is neither an e-mail address (conformance@example.com) nor an http(s) URL with a host and no credentials", p.Contact)
	}
	return nil
}

// validContact: a bare e-mail address (no display name) or an http(s) URL with a host and no user
// information (a password in a report would be published with it).
func validContact(s string) bool {
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && !strings.ContainsAny(s, " <>")
}

// applyProduct sets the run's product from the file unless the run has one.
func (f *File) applyProduct(cfg *conformance.Config) {
	if f.Product == nil || cfg.Meta.Product != nil {
		return
	}
	p := f.Product
	cfg.Meta.Product = &report.Product{Vendor: p.Vendor, Name: p.Product, Version: p.Version, Contact: p.Contact}
}
