package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// mockURLPrefix starts the line on which a mock child announces its base URL.
const mockURLPrefix = "graphconform-bench-mock "

// childMock serves the reference mock (envActions entity sets) until its stdin closes: the
// `graphconform mock` process of the documented shard recipe, one target for every shard.
func childMock() (phases, error) {
	base, _, stop, err := target()
	if err != nil {
		return phases{}, err
	}
	defer stop()
	fmt.Println(mockURLPrefix + base)
	_, _ = io.Copy(io.Discard, os.Stdin) // the parent closes stdin to stop us
	return phases{Passed: true}, nil
}

// mockProcess is a running mock child.
type mockProcess struct {
	cmd     *exec.Cmd
	stdin   io.Closer
	drained chan struct{} // closed when the child's stdout reached EOF
	URL     string
}

// startMock starts a mock child serving the entity sets of n generated actions and waits (at most a
// minute) for its URL.
func startMock(n int) (*mockProcess, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"=mock", fmt.Sprintf("%s=%d", envActions, n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	m := &mockProcess{cmd: cmd, stdin: stdin, drained: make(chan struct{})}
	found := make(chan string, 1)
	go func() {
		defer close(m.drained)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(sc.Text(), mockURLPrefix); ok {
				found <- url
			}
		}
		close(found)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case url, ok := <-found:
		if ok {
			m.URL = url
			return m, nil
		}
	case <-time.After(time.Minute):
	}
	_ = m.stop()
	return nil, fmt.Errorf("the mock child announced no URL")
}

// stop ends the mock child: stdin closed, its output read to the end (Wait must not close the pipe
// under a reader), killed if it has not ended within 30 s.
func (m *mockProcess) stop() error {
	_ = m.stdin.Close()
	select {
	case <-m.drained:
	case <-time.After(30 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.drained
	}
	return m.cmd.Wait()
}

// rssMiB is the mock child's peak RSS, once stopped.
func (m *mockProcess) rssMiB() float64 {
	if m.cmd.ProcessState == nil {
		return 0
	}
	if ru, ok := m.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024
	}
	return 0
}
