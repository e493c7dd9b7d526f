// Package bench measures graphconform: suite overhead against the network floor, scale to thousands
// of actions, Ginkgo parallelism, the reference mock's throughput. `make bench` runs it; the figures
// and the machine they were taken on are in RESULTS.md. Benchmarks only: nothing here asserts a time.
//
// Ginkgo runs one suite per process, so every suite run is a child process: the test binary
// re-executed with GRAPHCONFORM_BENCH_CHILD set (see child_test.go), which also gives each run its own
// peak RSS (rusage of the child).
package bench
