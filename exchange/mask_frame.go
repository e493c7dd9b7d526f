package exchange

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
)

// framer follows the answers on a connection far enough to know where one framed by
// Content-Length (or bodyless) ends: bytes after that and before the next request are stray even
// when they come in the same read as the end of the body (a target whose Content-Length is short),
// which net/http buffers and then logs as an unsolicited response on the idle connection. An
// answer it cannot frame (chunked, read to the close, a header it could not follow) is left to the
// transport: only bytes after the transport pools the connection count as stray then (watchIdle).
type framer struct {
	state  int   // frameHead, frameBody, frameDone, frameUnknown
	status int   // the current header block's status code, 0 before its status line
	length int64 // the Content-Length the block declares, -1 none
	left   int64 // body bytes still to come (frameBody)
	odd    bool  // the block declares a Transfer-Encoding, or its framing could not be read
	line   []byte
	size   int  // the current line's length so far
	long   bool // the current line is longer than line keeps
	head   bool // the request was a HEAD: the answer has no body whatever it declares
}

const (
	frameHead = iota
	frameBody
	frameDone
	frameUnknown
)

// frameLine is how much of a header line framer keeps: enough for a Content-Length.
const frameLine = 128

// reset starts following the answer to a new request.
func (f *framer) reset(head bool) {
	*f = framer{state: frameHead, length: -1, line: f.line[:0], head: head}
}

// feed reads b as the answer's next bytes and returns where in b the stray bytes begin, or -1.
func (f *framer) feed(b []byte) int {
	for i := 0; i < len(b); {
		switch f.state {
		case frameDone:
			return i
		case frameUnknown:
			return -1
		case frameBody:
			n := int(min(f.left, int64(len(b)-i)))
			f.left -= int64(n)
			i += n
			if f.left == 0 {
				f.state = frameDone
			}
			continue
		}
		j := bytes.IndexByte(b[i:], '\n')
		end := len(b)
		if j >= 0 {
			end = i + j
		}
		if keep := min(end-i, frameLine-len(f.line)); keep > 0 {
			f.line = append(f.line, b[i:i+keep]...)
		}
		f.size += end - i
		f.long = f.size > frameLine
		if j < 0 {
			return -1
		}
		f.endLine()
		f.line, f.size, f.long = f.line[:0], 0, false
		i = end + 1
	}
	return -1
}

// endLine takes in one complete header line (in f.line, without its "\n").
func (f *framer) endLine() {
	line := strings.TrimSuffix(string(f.line), "\r")
	if f.status == 0 {
		code, err := parseStatus(line)
		if err != nil || f.long {
			f.state = frameUnknown
			return
		}
		f.status = code
		return
	}
	if line == "" && !f.long {
		f.endBlock()
		return
	}
	name, value, _ := strings.Cut(line, ":")
	switch {
	case strings.EqualFold(strings.TrimSpace(name), "Content-Length"):
		n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		if err != nil || f.long || n < 0 || f.length >= 0 && f.length != n {
			f.odd = true
		}
		f.length = n
	case f.long && len(line) >= len("Content-Length") && strings.EqualFold(line[:len("Content-Length")], "Content-Length"),
		strings.EqualFold(strings.TrimSpace(name), "Transfer-Encoding"):
		f.odd = true
	}
}

// endBlock: the header block ended.
func (f *framer) endBlock() {
	switch {
	case interimStatus(f.status):
		f.status, f.length, f.odd = 0, -1, false // the final answer's block follows
	case f.status == http.StatusSwitchingProtocols, f.odd:
		f.state = frameUnknown
	case f.head || f.status == http.StatusNoContent || f.status == http.StatusNotModified || f.length == 0:
		f.state = frameDone
	case f.length > 0:
		f.state, f.left = frameBody, f.length
	default:
		f.state = frameUnknown // read to the close
	}
}
