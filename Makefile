# graphconform — the two commands a newcomer needs are `make conformance` and `make test`.
# Everything else (modules, the pinned ginkgo CLI) is fetched by the go command on first use.

SHELL      := /bin/bash
GO         ?= go
REPORT_DIR ?= out/reports
BASE_URL   ?=
CONFIG     ?=
REVISION   ?=
BIN        ?= bin/graphconform
FUZZTIME   ?= 3000x
# Test flags: CI runs with the race detector; -count=1 because a conformance run must never be cached.
TESTFLAGS  ?= -race -count=1

# The container image's binary (deploy/container/Dockerfile builds the same, with the same command).
IMAGE_BIN  ?= out/image/graphconform
# actionlint lints the composite action's use and every workflow; fetched through the Go module proxy.
ACTIONLINT ?= github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

.PHONY: conformance test vet fmt-check unit selftest fuzz-short fuzz bench ginkgo build image-binary lint-actions clean

## conformance: run the suite against the embedded reference mock (or BASE_URL=... CONFIG=...).
## It builds $(BIN) and runs it: `go run` would turn every failure into exit 1. make itself exits 2
## for any failing recipe, so the last line names graphconform's own code (1 a conformance
## failure, 2 usage, configuration or unreachable target); scripts that branch on it run
## `$(BIN) run` directly (docs/usage.md, "Exit codes").
conformance: build
	@code=0; $(BIN) run --report-dir $(REPORT_DIR) \
		$(if $(BASE_URL),--base-url $(BASE_URL)) $(if $(CONFIG),--config $(CONFIG)) $(if $(REVISION),--revision $(REVISION)) \
		|| code=$$?; \
	case $$code in \
		0) ;; \
		1) echo "make conformance: graphconform run exited 1: a conformance failure" >&2 ;; \
		2) echo "make conformance: graphconform run exited 2: a usage or configuration error, or an unreachable target" >&2 ;; \
		3) echo "make conformance: graphconform run exited 3: INCOMPLETE (interrupted or --timeout)" >&2 ;; \
		*) echo "make conformance: graphconform run exited $$code" >&2 ;; \
	esac; \
	exit $$code

## test: vet, format, unit tests, the self-test against the reference mock and the mutant kill matrix.
test: vet fmt-check lint-actions unit fuzz-short
	@cat out/killmatrix.txt
	@echo "packages: $$(grep -c '^ok' out/test.log) passed, $$(grep -c '^FAIL' out/test.log) failed"

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

unit:
	@mkdir -p out
	set -o pipefail; GRAPHCONFORM_KILLMATRIX_OUT=$(CURDIR)/out $(GO) test $(TESTFLAGS) -timeout 20m ./... 2>&1 | tee out/test.log

## fuzz-short: a bounded run of every fuzz target (the long one is `make fuzz`).
fuzz-short:
	GO=$(GO) bash .ci/fuzz $(FUZZTIME)

fuzz:
	$(MAKE) fuzz-short FUZZTIME=2m

## bench: speed and memory figures (see bench/RESULTS.md); never asserted in tests. About 10 minutes
## on 2 cores (the 5,000-action runs); GRAPHCONFORM_BENCH_SCALE=100,1000 trims the scale sizes.
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -count=1 -timeout 60m ./bench/...

## ginkgo: the suite through the pinned ginkgo CLI, e.g. make ginkgo ARGS="--label-filter='must && permissions'".
ginkgo:
	$(GO) tool ginkgo run $(ARGS) ./suites/... -- --report-dir=$(CURDIR)/$(REPORT_DIR)

## build: the graphconform binary; run it rather than `go run`, which loses the exit code.
## -buildvcs=auto: the commit is stamped (graphconform version, the reports) even where GOFLAGS turns it off.
build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/graphconform

## image-binary: the binary the container image holds: static (no cgo), no local paths, stripped, with
## its VCS stamp. deploy/container/Dockerfile runs this very command; its test keeps the two equal.
image-binary:
	CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=auto -ldflags='-s -w' -o $(IMAGE_BIN) ./cmd/graphconform

## lint-actions: actionlint over .github/workflows (the sample workflow uses action.yml).
lint-actions:
	$(GO) run $(ACTIONLINT) -no-color

clean:
	rm -rf out bin
