package config

import (
	"testing"

	"github.com/graphconform/graphconform/suites/conformance"
)

func TestTargetKeysAndOperationBodies(t *testing.T) {
	t.Setenv("GC_USER_KEY", "u-42")
	path := writeConfig(t, "c.yaml", "target:\n  baseURL: http://127.0.0.1:1/v1.0\n  keys:\n    user-id: ${GC_USER_KEY}\n    managedDevice-id: md-1\n"+
		"operations:\n  users.user.assignLicense:\n    body:\n      addLicenses: []\n      removeLicenses: [x]\n"+
		"personas:\n  - {name: admin, account: work, permissions: [User.ReadWrite.All], mint: true}\n")
	cfg, err := Load(path, conformance.Config{Keys: map[string]string{"managedDevice-id": "from-flag"}})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Keys["user-id"] != "u-42" || cfg.Keys["managedDevice-id"] != "from-flag" {
		t.Errorf("keys = %v (a ${VAR} is expanded, a value already set wins)", cfg.Keys)
	}
	if got := string(cfg.Bodies["users.user.assignLicense"]); got != `{"addLicenses":[],"removeLicenses":["x"]}` {
		t.Errorf("body = %s", got)
	}
}

func TestTargetKeysUnset(t *testing.T) {
	path := writeConfig(t, "c.yaml", "target:\n  baseURL: http://127.0.0.1:1/v1.0\n  keys:\n    user-id: ${GC_UNSET_KEY_VAR}\npersonas:\n  - {name: admin, account: work, permissions: [A.B], mint: true}\n")
	if _, err := Load(path, conformance.Config{}); err == nil {
		t.Fatal("an unset variable in target.keys was accepted")
	} else {
		t.Log(err)
	}
}
