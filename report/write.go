package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Names of the files WriteAll writes; other tools (CI configuration, the merge command) rely on them.
const (
	JSONFile  = "report.json"
	JUnitFile = "junit.xml"
	HTMLFile  = "report.html"
)

// CheckDir makes sure reports can be written to dir, before a run sends anything: it creates dir
// if it is missing, then creates and removes a temporary file in it. The error is one line naming
// the directory and the problem (a regular file in the way, a dangling symbolic link, a read-only
// or special file system).
func CheckDir(dir string) error {
	bad := func(problem string, a ...any) error {
		return fmt.Errorf("cannot write the reports to %s: %s", dir, fmt.Sprintf(problem, a...))
	}
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if _, err := os.Stat(dir); err != nil {
			target, _ := os.Readlink(dir)
			return bad("it is a symbolic link to %s, which %s", target, reason(err))
		}
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return bad("it is a %s, not a directory", kind(fi.Mode()))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return bad("cannot create it: %s", reason(err))
	}
	f, err := os.CreateTemp(dir, ".graphconform-check-*")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) { // the directory exists: /proc and /sys refuse new files so
			return bad("cannot create a file in it: its file system does not take new files")
		}
		return bad("cannot create a file in it: %s", reason(err))
	}
	name := f.Name()
	werr := f.Close()
	if err := os.Remove(name); err != nil {
		return bad("cannot remove a file from it: %s", reason(err))
	}
	if werr != nil {
		return bad("cannot write a file in it: %s", reason(werr))
	}
	return nil
}

// reason is the system's word for a file-system error, without the path the caller already named.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist"
	case errors.Is(err, syscall.ENOTDIR):
		return "a parent of it is not a directory"
	case errors.Is(err, syscall.EROFS):
		return "the file system is read-only"
	}
	return err.Error()
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "regular file"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}

// WriteAll creates dir if needed and writes report.json, junit.xml and report.html into it. An error
// names the directory or file it concerns.
//
// Each report is rendered straight into a temporary file in dir (at 1,000 actions the three are
// hundreds of MB: rendering them in memory first was the run's peak, bench/RESULTS.md); only when
// all three are written and synced are they renamed over their names. A rendering error leaves the
// directory untouched, a reader never sees half a report, and a symbolic link planted at a
// report's name is replaced, never followed.
func WriteAll(dir string, r Run) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: creating directory %s: %w", dir, err)
	}
	files := []struct {
		name  string
		write func(io.Writer, Run) error
		tmp   string
	}{
		{name: JSONFile, write: WriteJSON},
		{name: JUnitFile, write: WriteJUnit},
		{name: HTMLFile, write: WriteHTML},
	}
	defer func() {
		for _, f := range files {
			if f.tmp != "" {
				os.Remove(f.tmp) // a no-op once renamed
			}
		}
	}()
	for i := range files {
		f := &files[i]
		path := filepath.Join(dir, f.name)
		tmp, err := writeTemp(path, func(w io.Writer) error { return f.write(w, r) })
		f.tmp = tmp
		if err != nil {
			return fmt.Errorf("report: %s: %w", path, err)
		}
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := renameOver(f.tmp, path); err != nil {
			return fmt.Errorf("report: writing %s: %w", path, err)
		}
	}
	return nil
}

// writeTemp writes through write into a new temporary file beside path, synced and closed, and
// returns its name ("" when none was made).
func writeTemp(path string, write func(io.Writer) error) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	bw := bufio.NewWriterSize(tmp, 1<<16)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		// CreateTemp makes 0600; a report is for whoever reads the directory.
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	return tmp.Name(), err
}

// renameOver moves the finished temporary file to path, unless a directory is in the way.
func renameOver(tmp, path string) error {
	if fi, err := os.Lstat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("a directory is in the way")
	}
	return os.Rename(tmp, path)
}

// WriteFileAtomic writes data to path through a temporary file in the same directory and a
// rename: the file appears whole or not at all, and whatever was at path (a symbolic link
// included) is replaced rather than written through.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := writeTemp(path, func(w io.Writer) error { _, err := w.Write(data); return err })
	if tmp != "" {
		defer os.Remove(tmp) // a no-op once renamed
	}
	if err != nil {
		return err
	}
	return renameOver(tmp, path)
}
