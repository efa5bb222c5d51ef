# perfcmp — plain Makefile. Targets: all test check bench install uninstall clean demo fuzz stress.
# Knobs: PREFIX, DESTDIR, SANITIZE=address,undefined, WERROR=1 (CI), INFLATE=isal|zlib.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKG_CONFIG ?= pkg-config

CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla
# CI (CI=true) builds with -Werror.
ifeq ($(CI),true)
WERROR  ?= 1
endif
ifeq ($(WERROR),1)
WARN    += -Werror
endif

# ISA-L's inflate when its headers exist, zlib otherwise; INFLATE=zlib forces the fallback.
INFLATE ?= $(shell $(PKG_CONFIG) --exists libisal 2>/dev/null && echo isal || echo zlib)
PKGS    := libcjson sqlite3 zlib libxxhash gsl
ifeq ($(INFLATE),isal)
PKGS    += libisal
DEFS    += -DPC_HAVE_ISAL=1
endif

BUILD   ?= build/$(INFLATE)$(if $(SANITIZE),-$(subst $(comma),-,$(SANITIZE)))
comma   := ,
ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CPPFLAGS += -pthread -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L -DPC_VERSION='"$(VERSION)"' $(DEFS) \
            $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIBS    := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm -pthread

LIB_SRC := $(sort $(wildcard src/util/*.c src/stats/*.c src/store/*.c src/ingest/*.c \
                             src/compare/*.c src/render/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)

BIN     := $(BUILD)/perfcmp
UNIT    := $(BUILD)/unit-tests

.PHONY: all test unit cli-test check bench install uninstall clean demo deps
all: perfcmp

perfcmp: $(BIN)
	@ln -sf $(BIN) perfcmp

$(BIN): $(CLI_OBJ) $(BUILD)/libperfcmp.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libperfcmp.a $(LIBS)

$(BUILD)/libperfcmp.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -MMD -MP -c -o $@ $<

$(UNIT): $(UNIT_OBJ) $(BUILD)/libperfcmp.a
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/libperfcmp.a $(LIBS) \
	    $(shell $(PKG_CONFIG) --libs criterion)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)

deps:
	@sh scripts/setup-deps.sh

# Unit tests (Criterion) then the CLI cases against the real binary.
test: $(BIN) $(UNIT)
	$(UNIT) --jobs 2
	PERFCMP=$(abspath $(BIN)) sh tests/cli/run.sh

unit: $(UNIT)
	$(UNIT) --jobs 2

cli-test: $(BIN)
	PERFCMP=$(abspath $(BIN)) sh tests/cli/run.sh

# The suite under ASan/UBSan, valgrind on the CLI cases, the zlib-only build's tests.
check:
	$(MAKE) SANITIZE=address,undefined test
	$(MAKE) INFLATE=zlib test
	$(MAKE) $(BIN)
	PERFCMP=$(abspath $(BIN)) PERFCMP_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect" \
	    sh tests/cli/run.sh
	$(MAKE) docs-check
	$(MAKE) stress
	$(MAKE) fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)

bench: $(BIN)
	sh bench/run.sh

# The charts and the sample report in docs/, from results-sample/ (needs gnuplot). docs-check
# regenerates them into a temporary directory and fails when the committed ones differ.
.PHONY: docs docs-check
docs: $(BIN)
	sh scripts/docs.sh $(abspath $(BIN)) docs

docs-check: $(BIN)
	@d=$$(mktemp -d) && sh scripts/docs.sh $(abspath $(BIN)) "$$d" && \
	    for f in report.md charts/trend.svg charts/compare.svg charts/cdf.svg charts/timeline.svg charts/tests.svg; do \
	        diff -u docs/$$f "$$d/$$f" >/dev/null || { echo "docs/$$f is out of date: run make docs"; rm -rf "$$d"; exit 1; }; \
	    done; \
	    for f in "$$d"/report.*.svg; do \
	        cmp -s "$$f" "docs/$${f##*/}" || { echo "docs/$${f##*/} is out of date: run make docs"; rm -rf "$$d"; exit 1; }; \
	    done; rm -rf "$$d"; echo "docs/ is up to date"

# Quick start: install what is missing, build, ingest results-sample/ into a fresh database,
# list the runs, show one and compare the load pair (a real 30% slowdown: exit 1 is expected
# from that comparison, so it is reported, not treated as a failure of the demo).
DEMO_DB = demo.db
demo:
	@sh scripts/setup-deps.sh
	@$(MAKE) --no-print-directory perfcmp
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	./perfcmp --db $(DEMO_DB) ingest --config dev_perf results-sample/k6/*.ndjson.gz
	./perfcmp --db $(DEMO_DB) ingest results-sample/playwright/*.json.gz
	./perfcmp --db $(DEMO_DB) runs
	./perfcmp --db $(DEMO_DB) show --metric http_req_duration 1 | head -n 30
	./perfcmp --db $(DEMO_DB) compare --only-changed 1..2; \
	    status=$$?; echo "perfcmp compare exit status: $$status (1 = regression found)"; \
	    test $$status -le 1

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/perfcmp/profiles
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/perfcmp
	install -m 644 profiles/*.json $(DESTDIR)$(PREFIX)/share/perfcmp/profiles/ 2>/dev/null || true

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/perfcmp
	rm -rf $(DESTDIR)$(PREFIX)/share/perfcmp

clean:
	rm -rf build perfcmp demo.db demo.db-wal demo.db-shm

# Concurrent writers, kill -9 during ingest, read-only/full/foreign databases, big hostile
# inputs (tests/stress/run.sh; STRESS_ROUNDS, STRESS_KILLS, STRESS_PARTS="concurrency crash").
.PHONY: stress
stress: $(BIN)
	PERFCMP=$(abspath $(BIN)) sh tests/stress/run.sh $(STRESS_PARTS)

# libFuzzer targets (fuzz/fuzz_*.c) built with clang, ASan and UBSan; `make fuzz` runs each for
# FUZZ_SECONDS from the seeds in fuzz/corpus/ plus the samples (fuzz/run.sh).
FUZZ_SECONDS ?= 60
CHECK_FUZZ_SECONDS ?= 30
FUZZ_BUILD   := build/fuzz
FUZZ_NAMES   := $(patsubst fuzz/%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
.PHONY: fuzz fuzz-build
fuzz-build:
	$(MAKE) CC=clang BUILD=$(FUZZ_BUILD) SANITIZE=fuzzer-no-link,address,undefined \
	    $(FUZZ_NAMES:%=$(FUZZ_BUILD)/%)

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(FUZZ_BUILD)/libperfcmp.a
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libperfcmp.a $(LIBS)

fuzz: fuzz-build
	sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BUILD) $(FUZZ_NAMES)
