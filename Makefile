# keikai: the two commands a user needs are `make demo` and `make check`.
# Everything else here is a step of those two.

BUILD      ?= build
ASAN_BUILD ?= build-asan
DEMO_DB    ?= demo.db
DEMO_MAIL  ?= demo-mail
LISTEN     ?= 127.0.0.1:8080
CWE_XML    ?= node_modules/cwe-sdk/raw/cwe-archive.xml
CWE_JA     ?= ../shared/data/cwe/cwe-1003-ja.json
MYJVN      ?= ../shared/data/jvn/myjvn-products.jsonl.gz

.PHONY: all deps test-deps build asan demo check unit e2e browser fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test
	@[ -d node_modules/playwright-core ] && [ -d node_modules/cwe-sdk ] && [ -d node_modules/@holiday-jp/holiday_jp ] || npm ci --no-audit --no-fund --loglevel=error

$(BUILD)/build.ninja:
	meson setup $(BUILD)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

asan: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

# Installs what is missing, builds, makes a demo database and serves it.
# Mail goes to a local SMTP server whose mailbox is $(DEMO_MAIL)/maildir
# (scripts/demo-mail.sh; docs/cli/demo.md).
demo: deps build
	rm -rf $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB).keys $(DEMO_MAIL)
	$(BUILD)/keikai init --db $(DEMO_DB)
	$(BUILD)/keikai demo --db $(DEMO_DB)
	@[ -f $(CWE_XML) ] || ! command -v npm >/dev/null || npm ci --no-audit --no-fund --loglevel=error
	@xml=$(CWE_XML); [ -f $$xml ] || { xml=tests/data/cwe/sample.xml; echo "make demo: $(CWE_XML) is missing (npm ci brings it); loading the small sample catalogue"; }; \
	ja=; [ -f $(CWE_JA) ] && ja="--ja $(CWE_JA)"; \
	echo "$(BUILD)/keikai import cwe --db $(DEMO_DB) $$xml $$ja"; $(BUILD)/keikai import cwe --db $(DEMO_DB) $$xml $$ja
	@if [ -f $(MYJVN) ]; then echo "$(BUILD)/keikai import myjvn-products --db $(DEMO_DB) $(MYJVN)"; \
		$(BUILD)/keikai import myjvn-products --db $(DEMO_DB) $(MYJVN); \
	else echo "make demo: $(MYJVN) is missing (../shared/data); the vendor registry stays empty"; fi
	scripts/demo-mail.sh setup $(BUILD)/keikai $(DEMO_DB) $(DEMO_MAIL)
	scripts/demo-mail.sh serve $(BUILD)/keikai $(DEMO_DB) $(DEMO_MAIL) $(LISTEN)

# Installs what is missing, builds both ways and runs every test; the last line
# printed is the summary "N passed, N failed, N skipped" (with CI set and
# ../shared/data present, a skip is a failure).
check: test-deps build asan
	@tests/run-all.sh $(BUILD) $(ASAN_BUILD)

bench: build
	@bench/run-all.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
