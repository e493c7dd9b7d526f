package config

import (
	"reflect"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/suites/conformance"
)

const selectPersona = "personas:\n  - {name: a, account: work, mint: true}\n"

func TestSelect(t *testing.T) {
	doc := selectPersona + "select:\n  operations: [deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect]\n" +
		"  paths:\n    - /deviceManagement/remoteAssistancePartners/*/*\n    - '/reports/get${KIND}(period=''{period}'')'\n  tags: [deviceManagement.remoteAssistancePartner]\n"
	f, err := Parse("c.yaml", []byte(doc), env(map[string]string{"KIND": "Counts"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Config(t.Context(), conformance.Config{}, Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	want := spec.Selector{OperationIDs: []string{"deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect"},
		Paths: []string{"/deviceManagement/remoteAssistancePartners/*/*", "/reports/getCounts(period='{period}')"},
		Tags:  []string{"deviceManagement.remoteAssistancePartner"}}
	if !reflect.DeepEqual(cfg.Select, want) {
		t.Errorf("Select = %+v, want %+v", cfg.Select, want)
	}
	// The command line's selection replaces the file's as a whole.
	flags := spec.Selector{Tags: []string{"users.user"}}
	cfg, err = f.Config(t.Context(), conformance.Config{Select: flags}, Options{Offline: true})
	if err != nil || !reflect.DeepEqual(cfg.Select, flags) {
		t.Errorf("with flags: Select = %+v, %v; want the flags' %+v", cfg.Select, err, flags)
	}
	// No select: the default (every action).
	f, err = Parse("c.yaml", []byte(selectPersona), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := f.Config(t.Context(), conformance.Config{}, Options{Offline: true}); err != nil || !reflect.DeepEqual(cfg.Select, spec.Selector{}) {
		t.Errorf("without select: %+v, %v", cfg.Select, err)
	}
}

// Every problem of select: is one line naming the file, the line and the field.
func TestSelectErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown key", "select:\n  operationIds: [a]\n", `c.yaml:2: select.operationIds: unknown field "operationIds" (valid: operations, paths, tags)`},
		{"misspelt key", "select:\n  path: [/a]\n", `c.yaml:2: select.path: unknown field "path"; did you mean paths? (valid: operations, paths, tags)`},
		{"not a list", "select:\n  tags: users.user\n", "c.yaml:2: select.tags: wrong type"},
		{"empty", "select:\n", `c.yaml:1: select: select: lists nothing; give operations:, paths: or tags:`},
		{"empty lists", "select: {operations: [], tags: []}\n", `c.yaml:1: select: select: lists nothing`},
		{"empty entry", "select:\n  paths:\n    - /a/*\n    - ''\n", `c.yaml:4: select.paths[1]: empty entry`},
		{"empty variable", "select:\n  operations:\n    - ${OP}\n", `c.yaml:3: select.operations[0]: empty entry (an unset-but-empty environment variable?)`},
		{"unset variable", "select:\n  tags: ['${NOPE}']\n", `c.yaml:2: select.tags[0]: environment variable NOPE is not set`},
		{"blanks", "select:\n  tags: [' users.user']\n", `c.yaml:2: select.tags[0]: " users.user" has blanks around it, which would never match`},
		{"bad glob", "select:\n  paths:\n    - /deviceManagement/[\n", `c.yaml:3: select.paths[0]: "/deviceManagement/[" is not a valid glob (syntax error in pattern)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tc.yaml+selectPersona), env(map[string]string{"OP": ""}))
			if err == nil {
				t.Fatalf("no error for:\n%s", tc.yaml)
			}
			if strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error\n got: %s\nwant: %s", err, tc.want)
			}
		})
	}
}
