# The two set-up commands: `make run` and `make test`. Everything else is CMake.
BUILD          ?= build
BUILD_SANITIZE ?= build-sanitize
ASSAY_WERROR   ?= OFF
JOBS           ?= $(shell nproc)
CMAKE_FLAGS    ?=
CONFIGURE = cmake -S . -G Ninja -DASSAY_WERROR=$(ASSAY_WERROR) $(CMAKE_FLAGS)

.PHONY: run test build deps test-sanitize format bench clean

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

# AddressSanitizer + UndefinedBehaviorSanitizer, in their own build directory; the browser tests and
# the install test (packaging, which the plain pass checks) excluded. Line tables only (-g1): a
# report still names file and line, and the build is faster than with full debug information.
test-sanitize: deps
	@[ -f $(BUILD_SANITIZE)/build.ninja ] || $(CONFIGURE) -B $(BUILD_SANITIZE) -DCMAKE_BUILD_TYPE=Debug -DASSAY_SANITIZE=ON -DASSAY_BUILD_BENCH=OFF \
	  "-DCMAKE_C_FLAGS_DEBUG=-g1" "-DCMAKE_CXX_FLAGS_DEBUG=-g1"
	cmake --build $(BUILD_SANITIZE) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(BUILD_SANITIZE) --output-on-failure -j $(JOBS) -LE 'browser|install'

format:
	@git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | xargs clang-format --dry-run -Werror

bench: build
	@scripts/run-bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_SANITIZE)
