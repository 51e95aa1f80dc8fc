# keikai: the two commands a user needs are `make demo` and `make check`.
# Everything else here is a step of those two.

BUILD      ?= build
ASAN_BUILD ?= build-asan
DEMO_DB    ?= demo.db
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps test-deps build asan demo check unit e2e browser fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test
	@[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error

$(BUILD)/build.ninja:
	meson setup $(BUILD)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

asan: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

# Installs what is missing, builds, makes a demo database and serves it.
demo: deps build
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BUILD)/keikai init --db $(DEMO_DB)
	$(BUILD)/keikai demo --db $(DEMO_DB)
	$(BUILD)/keikai serve --db $(DEMO_DB) --listen $(LISTEN)

# Installs what is missing, builds both ways and runs every test; the last line
# printed is the summary "N passed, N failed".
check: test-deps build asan
	@tests/run-all.sh $(BUILD) $(ASAN_BUILD)

bench: build
	@bench/run-all.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
