package config

import (
	"context"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/suites/conformance"
)

// product: is read, ${VAR}-expanded and handed to the reports; a value set already wins.
func TestProductSection(t *testing.T) {
	data := "product:\n  vendor: Contoso\n  product: Contoso Graph Gateway\n  version: ${GC_VERSION}\n  contact: https://contoso.example/conformance\n" + okPersonaLine
	f, err := Parse("c.yaml", []byte(data), env(map[string]string{"GC_VERSION": "2.4.1"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Config(context.Background(), conformance.Config{}, Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	want := report.Product{Vendor: "Contoso", Name: "Contoso Graph Gateway", Version: "2.4.1", Contact: "https://contoso.example/conformance"}
	if cfg.Meta.Product == nil || *cfg.Meta.Product != want {
		t.Errorf("product %+v, want %+v", cfg.Meta.Product, want)
	}
	mail, err := Parse("c.yaml", []byte("product: {vendor: V, product: P, contact: conformance@contoso.example}\n"+okPersonaLine), noEnv)
	if err != nil || mail.Product.Contact != "conformance@contoso.example" {
		t.Errorf("an e-mail contact: %v", err)
	}
	none, err := Parse("c.yaml", []byte(okPersonaLine), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, _ := none.Config(context.Background(), conformance.Config{}, Options{Offline: true}); cfg.Meta.Product != nil {
		t.Errorf("no product: section gave %+v", cfg.Meta.Product)
	}
}

const okPersonaLine = "personas:\n  - {name: a, account: work, mint: true}\n"

// Each bad product: is one line naming the file, line and key.
func TestProductErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown key", "product:\n  vendor: V\n  prodcut: P\n", `c.yaml:3: product.prodcut: unknown field "prodcut"; did you mean product? (valid: vendor, product, version, contact)`},
		{"empty section", "product:\n", `c.yaml:1: product: product: is empty; give vendor: and product:`},
		{"no vendor", "product:\n  product: P\n", `c.yaml:1: product: product.vendor is required`},
		{"no product", "product:\n  vendor: V\n", `c.yaml:1: product: product.product is required`},
		{"not a string", "product:\n  vendor: [a, b]\n  product: P\n", "c.yaml:2: product.vendor: wrong type"},
		{"blanks", "product:\n  vendor: 'V '\n  product: P\n", `c.yaml:2: product.vendor: "V " has blanks around it`},
		{"control character", "product:\n  vendor: V\n  product: \"P\\u0007\"\n", `c.yaml:3: product.product: "P\a" holds a control character`},
		{"too long", "product:\n  vendor: V\n  product: P\n  version: " + strings.Repeat("9", 201) + "\n", `c.yaml:4: product.version: 201 characters; at most 200`},
		{"bad contact", "product:\n  vendor: V\n  product: P\n  contact: call us\n", `c.yaml:4: product.contact: "call us" is neither an e-mail address`},
		{"display name", "product:\n  vendor: V\n  product: P\n  contact: 'Bob <bob@example.com>'\n", `c.yaml:4: product.contact: "Bob <bob@example.com>" is neither`},
		{"ftp contact", "product:\n  vendor: V\n  product: P\n  contact: ftp://example.com/x\n", `c.yaml:4: product.contact: "ftp://example.com/x" is neither`},
		{"credentials in the URL", "product:\n  vendor: V\n  product: P\n  contact: https://u:pw@example.com/\n", `c.yaml:4: product.contact: "https://u:pw@example.com/" is neither`},
		{"unset variable", "product:\n  vendor: ${GC_NO_SUCH_VENDOR}\n  product: P\n", `c.yaml:2: product.vendor: environment variable GC_NO_SUCH_VENDOR is not set`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tc.yaml+okPersonaLine), noEnv)
			if err == nil {
				t.Fatalf("no error for:\n%s", tc.yaml)
			}
			if got := err.Error(); strings.Contains(got, "\n") || !strings.HasPrefix(got, tc.want) {
				t.Errorf("error\n got: %s\nwant: %s", got, tc.want)
			}
		})
	}
}
