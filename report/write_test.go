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
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("a failed write left %s behind", e.Name())
		}
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

// An unusable report directory is one line naming it and the problem, whoever runs the test (root
// included: CI is root, so read-only is tested with what fails for root too).
func TestCheckDir(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(base, "dangling")
	if err := os.Symlink(filepath.Join(base, "nowhere"), dangling); err != nil {
		t.Fatal(err)
	}
	linkToFile := filepath.Join(base, "link-to-file")
	if err := os.Symlink(file, linkToFile); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ dir, want string }{
		{file, "it is a regular file, not a directory"},
		{filepath.Join(file, "out"), "cannot create it: a parent of it is not a directory"},
		{dangling, "it is a symbolic link to " + filepath.Join(base, "nowhere") + ", which does not exist"},
		{linkToFile, "it is a regular file, not a directory"},
		{"/proc/1", "cannot create a file in it"},          // exists, refuses new files even for root
		{"/proc/graphconform-reports", "cannot create it"}, // cannot be created even by root
		{"/dev/null", "it is a device, not a directory"},
	} {
		err := CheckDir(tc.dir)
		want := "cannot write the reports to " + tc.dir + ": " + tc.want
		if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("CheckDir(%s) = %v, want one line starting %q", tc.dir, err, want)
		}
	}
	if os.Geteuid() != 0 { // root writes to a read-only directory anyway
		ro := filepath.Join(base, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		if err := CheckDir(ro); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("read-only dir: %v", err)
		}
	}
	// Missing: created, and left without the probe file.
	fresh := filepath.Join(base, "a", "b")
	if err := CheckDir(fresh); err != nil {
		t.Fatal(err)
	}
	if entries, err := os.ReadDir(fresh); err != nil || len(entries) != 0 {
		t.Errorf("CheckDir left %v (%v)", entries, err)
	}
	// A symbolic link to a directory is a directory.
	linkToDir := filepath.Join(base, "link-to-dir")
	if err := os.Symlink(fresh, linkToDir); err != nil {
		t.Fatal(err)
	}
	if err := CheckDir(linkToDir); err != nil {
		t.Errorf("link to a directory: %v", err)
	}
}

// A report name planted as a symbolic link (to a file the run must never touch) is replaced by the
// report, not written through; no temporary file is left behind.
func TestWriteAllReplacesSymlinks(t *testing.T) {
	base := t.TempDir()
	victim := filepath.Join(base, "passwd")
	if err := os.WriteFile(victim, []byte("root:x:0:0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(base, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{JSONFile, JUnitFile, HTMLFile} {
		if err := os.Symlink(victim, filepath.Join(out, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteAll(out, fixture()); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "root:x:0:0\n" {
		t.Errorf("the link's target was written: %q", b)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 3 {
		t.Errorf("directory holds %d entries, want the 3 reports: %v", len(entries), entries)
	}
	for _, e := range entries {
		fi, err := os.Lstat(filepath.Join(out, e.Name()))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o644 || fi.Size() == 0 {
			t.Errorf("%s: %v %v", e.Name(), fi.Mode(), err)
		}
	}
}
