# Alpha — the front door. `make` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Every swift command needs this (docs/testing.md): without it SwiftPM re-plans and
# recompiles several dependencies whenever you switch between `swift build` and `swift test`.
export SWIFT_DETERMINISTIC_HASHING := 1
export PATH := $(PATH):/opt/swift/usr/bin

SCRIPTS := alpha-services/scripts
FORMAT_DIRS := bench/Sources alpha-shared/Sources alpha-shared/Tests alpha-services/Sources alpha-services/Tests examples/greeter-service/Sources examples/greeter-service/Tests

.PHONY: help run test build generate check-generated format lint bench clean clean-data db db-stop psql keys

help: ## List the targets
	@echo "Alpha — make TARGET"
	@echo
	@awk 'BEGIN { FS = ":.*## " } /^[a-z-]+:.*## / { printf "  make %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo
	@echo "Start with 'make run' (the whole system on :8080) and 'make test'. Docs: docs/ and README.md."

run: ## Build, then start PostgreSQL and all five processes (Ctrl-C stops everything; REPLICAS=2 runs two of each service)
	@bash $(SCRIPTS)/run.sh

test: ## Build and test both packages against a real PostgreSQL (what CI runs)
	@bash $(SCRIPTS)/test.sh

build: ## Debug build of alpha-shared and alpha-services
	cd alpha-shared && swift build
	@bash -c 'source $(SCRIPTS)/lib.sh && require_image_libraries'
	cd alpha-services && swift build

generate: ## Regenerate the committed protobuf/gRPC Swift code
	bash $(SCRIPTS)/generate.sh

check-generated: ## Fail when the committed generated code is stale
	bash $(SCRIPTS)/generate.sh --check

format: ## Format all Swift sources and tests with swift format (.swift-format; Generated/ excluded)
	@find $(wildcard $(FORMAT_DIRS)) -name '*.swift' -not -path '*/Generated/*' -print0 \
		| xargs -0 -r swift format --in-place --recursive --configuration .swift-format

lint: ## Fail when a Swift file is not as `make format` leaves it (swift format lint --strict)
	@find $(wildcard $(FORMAT_DIRS)) -name '*.swift' -not -path '*/Generated/*' -print0 \
		| xargs -0 -r swift format lint --strict --configuration .swift-format

bench: ## Benchmark the system in release mode against a bare Hummingbird server (QUICK=1: a short run); report in bench/results
	@bash $(SCRIPTS)/bench.sh

db: ## Start only the development PostgreSQL (127.0.0.1:5433, database alpha)
	@bash $(SCRIPTS)/dev-db.sh start

db-stop: ## Stop the development PostgreSQL
	@bash $(SCRIPTS)/dev-db.sh stop

psql: ## psql as superuser into the development database
	@bash $(SCRIPTS)/dev-db.sh psql

keys: ## Generate the development keys into .data/keys (kept once made)
	@bash $(SCRIPTS)/dev-keys.sh

.PHONY: token
# USER is also the login name in every environment: only a USER given on the command line counts.
token: ## Print an access token for USER=name, signed with the development key (e.g. make -s token USER=alice)
	@bash $(SCRIPTS)/token.sh "$(if $(filter command line,$(origin USER)),$(USER))"

.PHONY: check-chart drill

check-chart: ## Render the Helm chart offline and validate it (helm-python-sdk, kubernetes-validate)
	@bash $(SCRIPTS)/check-chart.sh

drill: ## Fault drills under load on the built system (ALPHA_BIN_DIR, DRILLS=a,b,c,d, DRILL_QUICK=1)
	@bash $(SCRIPTS)/drill.sh

clean: ## Remove the build folders (.build) of both packages and of the protoc plugins
	rm -rf alpha-shared/.build alpha-services/.build alpha-shared/scripts/protoc-plugins/.build

clean-data: ## Stop the local PostgreSQL clusters and delete .data (databases, keys, logs)
	@bash -c 'source $(SCRIPTS)/lib.sh && pg_cluster_destroy postgres && pg_cluster_destroy test-postgres'
	rm -rf .data

.PHONY: docs

docs: ## Regenerate the generated parts of the docs: docs/api.md's REST reference, the port tables
	python3 $(SCRIPTS)/api_reference.py
	python3 $(SCRIPTS)/check_processes.py --write
