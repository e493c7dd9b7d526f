package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Names of the files WriteAll writes; other tools (CI configuration, the merge command) rely on them.
const (
	JSONFile  = "report.json"
	JUnitFile = "junit.xml"
	HTMLFile  = "report.html"
)

// WriteAll creates dir if needed and writes report.json, junit.xml and report.html into it. An error
// names the directory or file it concerns.
//
// Each report is rendered in memory before its file is touched, so a rendering error never leaves a
// truncated report behind to be mistaken for a complete one.
func WriteAll(dir string, r Run) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: creating directory %s: %w", dir, err)
	}
	for _, f := range []struct {
		name  string
		write func(io.Writer, Run) error
	}{
		{JSONFile, WriteJSON},
		{JUnitFile, WriteJUnit},
		{HTMLFile, WriteHTML},
	} {
		path := filepath.Join(dir, f.name)
		var buf bytes.Buffer
		if err := f.write(&buf, r); err != nil {
			return fmt.Errorf("report: %s: %w", path, err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("report: writing %s: %w", path, err)
		}
	}
	return nil
}
