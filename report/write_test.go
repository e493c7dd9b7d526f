package report

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestWriteAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "out")
	if err := WriteAll(dir, fixture()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{JSONFile, JUnitFile, HTMLFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %d bytes, %v", name, len(b), err)
		}
	}
	f, err := os.Open(filepath.Join(dir, JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if r, err := ReadJSON(f); err != nil || len(r.Verdicts) != len(fixture().Verdicts) {
		t.Errorf("report.json does not read back: %v", err)
	}
}

func TestWriteAllErrors(t *testing.T) {
	// A regular file where a directory should be: fails even as root, unlike a chmod-based test.
	base := t.TempDir()
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(file, "out")
	err := WriteAll(dir, fixture())
	if err == nil || !strings.Contains(err.Error(), "creating directory "+dir) {
		t.Errorf("err = %v, want it to name %s", err, dir)
	}

	// A directory where junit.xml should be: the error names that file.
	out := filepath.Join(base, "out")
	if err := os.MkdirAll(filepath.Join(out, JUnitFile), 0o755); err != nil {
		t.Fatal(err)
	}
	err = WriteAll(out, fixture())
	if err == nil || !strings.Contains(err.Error(), "writing "+filepath.Join(out, JUnitFile)) {
		t.Errorf("err = %v, want it to name %s", err, JUnitFile)
	}
}

// Writers share only read-only state (the parsed template, tables), so concurrent reports are safe;
// run with -race.
func TestWriteAllConcurrent(t *testing.T) {
	base := t.TempDir()
	for i := 0; i < 4; i++ {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			if err := WriteAll(filepath.Join(base, strconv.Itoa(i)), fixture()); err != nil {
				t.Error(err)
			}
		})
	}
}
