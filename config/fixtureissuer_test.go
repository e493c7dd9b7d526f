package config

import (
	"strings"
	"testing"

	"github.com/graphconform/graphconform/suites/conformance"
)

// target.fixtureIssuer reaches the run; it needs every persona minted, and says so in one line.
func TestFixtureIssuer(t *testing.T) {
	ok := writeConfig(t, "ok.yaml", "target:\n  baseURL: http://127.0.0.1:9/v1.0\n  fixtureIssuer: true\npersonas:\n  - {name: admin, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], mint: true}\n")
	cfg, err := Load(ok, conformance.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.FixtureIssuer || len(cfg.Personas) != 1 || cfg.Personas[0].Token == "" {
		t.Errorf("FixtureIssuer %v, personas %v", cfg.FixtureIssuer, cfg.Personas)
	}
	none := writeConfig(t, "none.yaml", "target:\n  baseURL: http://127.0.0.1:9/v1.0\n  fixtureIssuer: true\n")
	if cfg, err := Load(none, conformance.Config{}); err != nil || !cfg.FixtureIssuer || len(cfg.Personas) != 0 {
		t.Errorf("without personas (the fixture ones are derived from): %v, %+v", err, cfg.Personas)
	}
	plain := writeConfig(t, "plain.yaml", "target:\n  baseURL: http://127.0.0.1:9/v1.0\npersonas:\n  - {name: admin, account: work, mint: true}\n")
	if cfg, err := Load(plain, conformance.Config{}); err != nil || cfg.FixtureIssuer {
		t.Errorf("off unless set: %v, %v", err, cfg.FixtureIssuer)
	}
	_, err = Parse("c.yaml", []byte("target:\n  fixtureIssuer: true\npersonas:\n  - {name: admin, account: work, mint: true}\n  - {name: bot, account: work, token: a-long-enough-token}\n"), noEnv)
	want := `c.yaml:5: personas[1]: persona "bot" is not mint: true; with target.fixtureIssuer every persona is minted`
	if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %v, want %s", err, want)
	}
}
