package config

import (
	"fmt"
	"strings"

	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/suites/conformance"
)

// Select picks the operations a run exercises, before any contract is built: an operation is
// selected when it matches any entry. The command line's --operation, --path and --tag replace it
// as a whole when any of them is given.
type Select struct {
	// Operations are operationIds, e.g. deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect.
	Operations []string `yaml:"operations"`
	// Paths are path.Match globs over path templates, e.g. /deviceManagement/remoteAssistancePartners/*/*.
	Paths []string `yaml:"paths"`
	// Tags are OpenAPI tags, e.g. deviceManagement.remoteAssistancePartner.
	Tags []string `yaml:"tags"`
}

func (s *Select) lists() []struct {
	key   string
	items []string
} {
	return []struct {
		key   string
		items []string
	}{{"operations", s.Operations}, {"paths", s.Paths}, {"tags", s.Tags}}
}

// selectFields are the select: strings, for ${VAR} expansion.
func (f *File) selectFields() []strField {
	if f.Select == nil {
		return nil
	}
	var out []strField
	for _, l := range f.Select.lists() {
		for i := range l.items {
			out = append(out, strField{fmt.Sprintf("select.%s[%d]", l.key, i), &l.items[i]})
		}
	}
	return out
}

// validateSelect refuses what would silently select nothing: an empty select:, an empty entry
// (often an unset variable), a malformed glob.
func (f *File) validateSelect() error {
	s := f.Select
	if s == nil || len(s.Operations)+len(s.Paths)+len(s.Tags) == 0 {
		if f.present("select") {
			return f.errorf("select", "select: lists nothing; give operations:, paths: or tags: (or remove select: to run every action)")
		}
		return nil
	}
	for _, l := range s.lists() {
		for i, v := range l.items {
			field := fmt.Sprintf("select.%s[%d]", l.key, i)
			if strings.TrimSpace(v) == "" {
				return f.errorf(field, "empty entry (an unset-but-empty environment variable?)")
			}
			if v != strings.TrimSpace(v) {
				return f.errorf(field, "%q has blanks around it, which would never match", v)
			}
			if l.key == "paths" {
				if err := spec.CheckGlob(v); err != nil {
					return f.errorf(field, "%q is not a valid glob (%v); write e.g. /deviceManagement/remoteAssistancePartners/*/*", v, err)
				}
			}
		}
	}
	return nil
}

// applySelect sets the selection from the file unless the command line gave one.
func (f *File) applySelect(cfg *conformance.Config) {
	if f.Select == nil || len(cfg.Select.OperationIDs)+len(cfg.Select.Paths)+len(cfg.Select.Tags) > 0 {
		return
	}
	cfg.Select = spec.Selector{OperationIDs: f.Select.Operations, Paths: f.Select.Paths, Tags: f.Select.Tags}
}
