package input

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	os.WriteFile(small, []byte("hello"), 0o600)
	exact := filepath.Join(dir, "exact")
	os.WriteFile(exact, bytes.Repeat([]byte("x"), 1024), 0o600)
	sparse := filepath.Join(dir, "sparse") // 1 GiB that takes no disk: refused before any read
	f, _ := os.Create(sparse)
	f.Truncate(1 << 30)
	f.Close()

	if b, err := ReadFile(small, 1024, "things"); err != nil || string(b) != "hello" {
		t.Errorf("small: %q %v", b, err)
	}
	if b, err := ReadFile(exact, 1024, "things"); err != nil || len(b) != 1024 {
		t.Errorf("exactly the limit: %d bytes, %v", len(b), err)
	}
	for _, p := range []string{sparse, "/dev/zero"} {
		_, err := ReadFile(p, 1024, "things")
		var tl *TooLarge
		if !errors.As(err, &tl) || err.Error() != "read "+p+": larger than the 1 KiB limit for things" {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 1024, "things"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	if _, err := ReadFile(dir, 1024, "things"); err == nil {
		t.Error("a directory was read")
	}
}

// TestEndlessPipe: an input that never ends is refused once it passes the limit.
func TestEndlessPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		chunk := bytes.Repeat([]byte("a"), 4096)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}()
	defer w.Close()
	path := "/dev/fd/" + strconv.Itoa(int(r.Fd()))
	_, err = ReadFile(path, 1<<20, "pipes")
	var tl *TooLarge
	if !errors.As(err, &tl) || !strings.HasSuffix(err.Error(), ": larger than the 1 MiB limit for pipes") {
		t.Errorf("endless pipe: %v", err)
	}
	r.Close()
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{128 << 20: "128 MiB", 4 << 10: "4 KiB", 300: "300 bytes", 1<<20 + 1: "1048577 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
