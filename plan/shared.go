package plan

import "sync"

// Shared hands every case of an operation the same entity: created by the first case that needs it
// and deleted by Close, after the suite. It is an opt-in for large runs (Env.Shared): a case then
// sends one request instead of three (create, call, delete), which is most of a run's time and
// memory at thousands of operations.
//
// The price is isolation. Cases of one operation see each other's effects on the entity, so a target
// that, say, deletes the entity on a wrong-method request makes the later cases of that operation
// fail too, and a failure can depend on spec order (Ginkgo randomises top-level containers). Keep
// the default, one entity per case, to certify; use Shared to survey a large surface quickly.
// A failed creation is not remembered: the next case tries again and reports its own failure.
type Shared struct {
	mu      sync.Mutex
	byOp    map[string]map[string]string // operation -> its keys
	removes []func()
}

// get returns the operation's keys, making them with create on first use.
func (s *Shared) get(op string, create func() (map[string]string, func(), error)) (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock() // one creation at a time: a second case of the operation waits for its id
	if id, ok := s.byOp[op]; ok {
		return id, nil
	}
	id, remove, err := create()
	if err != nil {
		if remove != nil {
			remove() // the parents made before the failure
		}
		return nil, err
	}
	if s.byOp == nil {
		s.byOp = map[string]map[string]string{}
	}
	s.byOp[op] = id
	s.removes = append(s.removes, remove)
	return id, nil
}

// Len is the number of entities created so far.
func (s *Shared) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byOp)
}

// Close deletes every shared entity, newest first, and forgets them.
func (s *Shared) Close() {
	s.mu.Lock()
	removes := s.removes
	s.byOp, s.removes = nil, nil
	s.mu.Unlock()
	for i := len(removes) - 1; i >= 0; i-- {
		removes[i]()
	}
}
