package input

import (
	"bytes"
	"compress/gzip"
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

// TestGzipInPlace: Microsoft's compressed data reads as its content; a gzip bomb and a corrupt
// stream are refused with the file's name, never inflated without bound.
func TestGzipInPlace(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, content []byte) string {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(content)
		zw.Close()
		p := filepath.Join(dir, name)
		os.WriteFile(p, b.Bytes(), 0o600)
		return p
	}
	if b, err := ReadFile(write("ok.json.gz", []byte(`{"a":1}`)), 1024, "things"); err != nil || string(b) != `{"a":1}` {
		t.Errorf("gzip: %q %v", b, err)
	}
	bomb := write("bomb.gz", bytes.Repeat([]byte{0}, 1<<20)) // about 1 KiB on disk
	if _, err := ReadFile(bomb, 64<<10, "things"); err == nil || !strings.Contains(err.Error(), "larger than the 64 KiB limit for things") {
		t.Errorf("bomb: %v", err)
	}
	corrupt := filepath.Join(dir, "corrupt.gz")
	os.WriteFile(corrupt, []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'x', 'y'}, 0o600)
	if _, err := ReadFile(corrupt, 1024, "things"); err == nil || !strings.Contains(err.Error(), "corrupt.gz") {
		t.Errorf("corrupt: %v", err)
	}
}
