# Every dependency comes from Debian 12's packages (scripts/install-deps.sh installs them).
find_package(Boost 1.81 REQUIRED COMPONENTS filesystem)
find_package(tomlplusplus REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(simdjson REQUIRED)
find_package(Threads REQUIRED)
# `assay serve`: SQLite for the store, Boost.Beast (in the Boost headers) with OpenSSL for HTTP
# and HTTPS, libsodium for Argon2id and random tokens. The serve tests, the browser test and the
# server benchmark are HTTP clients on cpp-httplib (Debian builds it as a library with OpenSSL,
# zlib and Brotli: its -D flags change class layouts, so every file including httplib.h must be
# compiled with ASSAY_HTTPLIB_CFLAGS_OTHER).
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(pugixml REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(ASSAY_HTTPLIB REQUIRED cpp-httplib)
pkg_check_modules(ASSAY_SODIUM REQUIRED libsodium)
# The PostgreSQL store (ASSAY_WITH_POSTGRES): libpq, Debian's libpq-dev; 14 or later, for pipeline
# mode (candidates' saves committed in groups).
if(ASSAY_WITH_POSTGRES)
  pkg_check_modules(ASSAY_PQ REQUIRED IMPORTED_TARGET libpq>=14)
endif()
# RE2 for every regular expression a schema, an author or a candidate's answer meets: linear time,
# no recursion per character (libstdc++'s std::regex recurses and overflows the stack on long text).
pkg_check_modules(ASSAY_RE2 REQUIRED IMPORTED_TARGET re2)
# libzip to read a zipped QTI content package (assay import bank.zip), Debian's libzip-dev.
pkg_check_modules(ASSAY_ZIP REQUIRED IMPORTED_TARGET libzip)
# ICU for text-entry's comparison (core-items): Unicode NFKC and NFKC_Casefold, character properties.
find_package(ICU 72 REQUIRED COMPONENTS uc)
if(ASSAY_BUILD_TESTS)
  find_package(Catch2 2.13 REQUIRED)
endif()
