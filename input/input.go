// Package input reads the files a user names: the config, descriptions, permissions files,
// reference pages, reports to merge, a CA file. Each is read within a size limit that names
// itself in the error, so an endless or mistaken input (/dev/zero, a pipe that never ends, a disk
// image) is one clear error instead of a process that grows until the machine kills it.
//
// The limits are generous for real inputs and listed here, in one place, with docs/usage.md.
package input

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Limits, with what they are for and what real inputs weigh.
const (
	// Config bounds a config file (a few KiB, tokens inline included).
	Config = 4 << 20
	// CAFile bounds target.caFile (a PEM bundle; the whole Mozilla set is about 200 KiB).
	CAFile = 4 << 20
	// Description bounds an OpenAPI description: Microsoft's full Graph v1.0 description is 17.5
	// MB, beta about twice that; parsing one of this limit would already take gigabytes.
	Description = 128 << 20
	// Permissions bounds a permissions.json (Microsoft's is about 3 MB).
	Permissions = 64 << 20
	// Page bounds a Graph reference page (markdown of tens of KiB).
	Page = 16 << 20
	// Report bounds a report.json to merge: about 1.9 KiB per spec with every exchange
	// (--exchanges all), so about 140,000 specs; with the default (--exchanges failures) a pass
	// is about 0.3 KiB, so about 850,000 passing specs (bench/RESULTS.md §9).
	Report = 256 << 20
)

// TooLarge is the error of an input over its limit.
type TooLarge struct {
	Limit int64
	// What names the kind of input, plural: "OpenAPI descriptions".
	What string
}

func (e *TooLarge) Error() string {
	return fmt.Sprintf("larger than the %s limit for %s", Size(e.Limit), e.What)
}

// ReadFile reads the file at path, or fails with a *fs.PathError holding a *TooLarge once it holds
// more than limit bytes ("read /dev/zero: larger than the 4 MiB limit for config files"). A regular
// file is measured before it is read; anything else (a device, a pipe) is read up to the limit.
// Other errors are those of package os.
//
// A gzip file (Microsoft ships its descriptions and permissions.json compressed) is read in place:
// its content is returned, and the limit bounds the content too, so a small file that inflates
// without end is refused like an endless pipe.
func ReadFile(path string, limit int64, what string) ([]byte, error) {
	raw, err := readRaw(path, limit, what)
	if err != nil || !bytes.HasPrefix(raw, gzipMagic) {
		return raw, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, &fs.PathError{Op: "gunzip", Path: path, Err: err}
	}
	defer zr.Close()
	data, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, &fs.PathError{Op: "gunzip", Path: path, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, limit, what)
	}
	return data, nil
}

// gzipMagic opens every gzip stream (RFC 1952 §2.3.1).
var gzipMagic = []byte{0x1f, 0x8b}

func readRaw(path string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	first := int64(64 << 10)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		if fi.Size() > limit {
			return nil, tooLarge(path, limit, what)
		}
		first = fi.Size() + 1 // one read past the end sees EOF in the same buffer
	}
	// Chunks rather than one growing buffer: an endless input costs about limit bytes before it is
	// refused, not the two to four times a doubling buffer reaches.
	var chunks [][]byte
	var total int64
	for size := first; ; size = min(size*2, 16<<20) {
		buf := make([]byte, min(size, limit+1-total))
		n, err := io.ReadFull(f, buf)
		if total += int64(n); total > limit {
			return nil, tooLarge(path, limit, what)
		}
		chunks = append(chunks, buf[:n])
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	return bytes.Join(chunks, nil), nil
}

func tooLarge(path string, limit int64, what string) error {
	return &fs.PathError{Op: "read", Path: path, Err: &TooLarge{Limit: limit, What: what}}
}

// Size is a byte count for people: "128 MiB", "4 KiB", "300 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
