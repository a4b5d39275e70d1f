# Targets call the same commands as .ci/run, so a contributor runs what CI runs. Two modules: the SDK (./...) and the
# command-line tool (./cmd/cometchat/..., a module of its own that ./... does not reach).
STATICCHECK_VERSION := v0.8.2
FUZZTIME ?= 50000x  # executions, not a duration: see .ci/run
PKGS := ./... ./cmd/cometchat/...
# The SDK-against-hand-written pairs and the fake's throughput.
BENCH ?= .
GOBIN := $(shell go env GOPATH)/bin

.PHONY: all ci test race lint fmt vet staticcheck fuzz bench cover quickstart

all: lint test

## ci: everything CI runs (.ci/run)
ci:
	./.ci/run

## test: the README's test command, and the CLI's module
test:
	go test $(PKGS)

## race: the tests under the race detector, three times in random order, as CI runs them
race:
	go test -race -count=3 -shuffle=on $(PKGS)

## lint: gofmt, go vet and staticcheck
lint: fmt vet staticcheck

fmt:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "not gofmt-ed:"; echo "$$out"; exit 1; fi

vet:
	go vet $(PKGS)

staticcheck:
	go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(GOBIN)/staticcheck $(PKGS)

## fuzz: every fuzz target for FUZZTIME (default 50000 executions)
fuzz:
	@grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do \
	  d=$$(dirname $$f); \
	  for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | cut -d' ' -f2); do \
	    echo "--- $$d $$t"; go test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$d || exit 1; \
	  done; \
	done

## bench: the benchmarks, 10 runs each, summarised with benchstat (see BENCHMARKS.md)
bench:
	go test -run '^$$' -bench '$(BENCH)' -benchmem -count 10 . ./cometchattest/ | tee bench.txt
	go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da bench.txt

## cover: coverage of the root package and cometchattest
cover:
	go test -count=1 -coverprofile=coverage.out -coverpkg=./,./cometchattest/,./internal/... . ./cometchattest/ ./internal/...
	go tool cover -func=coverage.out | tail -n 1

## quickstart: the README's main command
quickstart:
	go run ./examples/quickstart
