# The two set-up commands: `make run` and `make test`. Everything else is CMake.
BUILD          ?= build
BUILD_SANITIZE ?= build-sanitize
BUILD_FUZZ     ?= build-fuzz
FUZZ_SECONDS   ?= 60
FUZZ_HARNESSES ?=
ASSAY_WERROR   ?= OFF
JOBS           ?= $(shell nproc)
CMAKE_FLAGS    ?=
CONFIGURE = cmake -S . -G Ninja -DASSAY_WERROR=$(ASSAY_WERROR) $(CMAKE_FLAGS)

.PHONY: run test build deps test-sanitize fuzz fuzz-merge format bench clean

run: build
	@scripts/run-demo.sh $(BUILD)

test: build
	@scripts/browser.sh >/dev/null || echo "the browser tests will be skipped" >&2
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -LE sanitize-only

deps:
	@scripts/install-deps.sh

build: deps
	@[ -f $(BUILD)/build.ninja ] || $(CONFIGURE) -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

# AddressSanitizer + UndefinedBehaviorSanitizer, in their own build directory; the browser tests (not built),
# the install test (packaging) and the two checks that committed generated files are up to date
# (label golden: the sample cohorts and the item-type pages) excluded, as the plain pass runs them.
# Line tables only (-g1): a report still names file and line, and the build is faster than with
# full debug information. Five checks that run code the other tests run, over all the shipped
# content (every practice set at 80x24, every cohort's xAPI, stats and result bytes, every EHR item
# across seeds), are left to the plain pass too: under the sanitizers they took a fifth of its time.
# So are the serve tests on PostgreSQL (the store tests run on both back ends there, the server's
# code on SQLite), and the property tests walk a quarter of their seeds (ASSAY_TEST_SEED_DIVISOR).
SANITIZE_SKIP = every shipped practice set fits|every shipped cohort.s results|shipped cohorts, and a swapped key|every shipped ehr-admin item solves|for every sample cohort
test-sanitize: deps
	@[ -f $(BUILD_SANITIZE)/build.ninja ] || $(CONFIGURE) -B $(BUILD_SANITIZE) -DCMAKE_BUILD_TYPE=Debug -DASSAY_SANITIZE=ON -DASSAY_BUILD_BENCH=OFF -DASSAY_BUILD_BROWSER_TESTS=OFF \
	  "-DCMAKE_C_FLAGS_DEBUG=-g1" "-DCMAKE_CXX_FLAGS_DEBUG=-g1"
	cmake --build $(BUILD_SANITIZE) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ASSAY_TEST_SEED_DIVISOR=4 \
	  ctest --test-dir $(BUILD_SANITIZE) --output-on-failure -j $(JOBS) -LE 'browser|install|golden' -E '$(SANITIZE_SKIP)'

# libFuzzer (clang 16) in its own build directory: each harness of fuzz/ for FUZZ_SECONDS, one after
# the other (FUZZ_HARNESSES="csv hl7" for some); what crashes lands in fuzz/crashes/ (fuzz/README.md).
fuzz: deps
	@scripts/install-fuzz-deps.sh
	@[ -f $(BUILD_FUZZ)/build.ninja ] || CC=clang-16 CXX=clang++-16 cmake -S . -G Ninja -B $(BUILD_FUZZ) \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DASSAY_FUZZ=ON -DASSAY_BUILD_TESTS=OFF -DASSAY_BUILD_BENCH=OFF
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzz_harnesses
	scripts/run-fuzz.sh $(BUILD_FUZZ) $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

# Minimises the committed corpora together with what `make fuzz` found (-merge=1), for committing.
fuzz-merge:
	FUZZ_MERGE=1 scripts/run-fuzz.sh $(BUILD_FUZZ) 0 $(FUZZ_HARNESSES)

format:
	@git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | xargs clang-format --dry-run -Werror

bench: build
	@scripts/run-bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_SANITIZE) $(BUILD_FUZZ)
