// One fuzz harness per file (fuzz/<name>.cpp), its body written once for two drivers:
//
//   ASSAY_FUZZ_TARGET(csv) {
//     auto text = assay::fuzz::as_text(data, size);
//     ...
//   }
//
// Built with libFuzzer (ASSAY_FUZZ=ON, clang 16), the body becomes the executable's
// LLVMFuzzerTestOneInput. In every other build the harnesses register themselves in one table
// and `assay_fuzz_replay NAME PATH...` (fuzz/replay_main.cpp) runs saved inputs through them, which
// is how CI replays the corpora and crash inputs (fuzz/README.md).
//
// A body returns normally for every input; it checks what must hold with ASSAY_FUZZ_CHECK, which
// aborts, so libFuzzer saves the input and the replay fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace assay::fuzz {

using Entry = void (*)(const std::uint8_t* data, std::size_t size);

/// Adds a harness to the replay driver's table; returns true (it runs from a static initialiser).
bool register_harness(const char* name, Entry entry);

/// Reports a failed check on stderr and aborts.
[[noreturn]] void check_failed(const char* file, int line, const char* condition, std::string_view detail);

/// The input as text (any bytes, not necessarily UTF-8).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// The text up to the first `sep` and the text after it; without `sep`, all of it and "".
inline std::pair<std::string_view, std::string_view> cut(std::string_view text, char sep) {
  auto at = text.find(sep);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + 1)};
}

}  // namespace assay::fuzz

#define ASSAY_FUZZ_CHECK(condition, detail)                                                  \
  do {                                                                                       \
    if (!(condition)) ::assay::fuzz::check_failed(__FILE__, __LINE__, #condition, (detail)); \
  } while (false)

#ifdef ASSAY_FUZZ_LIBFUZZER
#define ASSAY_FUZZ_TARGET(name)                                                       \
  static void assay_fuzz_body(const std::uint8_t* data, std::size_t size);            \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    assay_fuzz_body(data, size);                                                      \
    return 0;                                                                         \
  }                                                                                   \
  static void assay_fuzz_body([[maybe_unused]] const std::uint8_t* data, [[maybe_unused]] std::size_t size)
#else
#define ASSAY_FUZZ_TARGET(name)                                                                                       \
  static void assay_fuzz_body(const std::uint8_t* data, std::size_t size);                                            \
  [[maybe_unused]] static const bool assay_fuzz_registered = ::assay::fuzz::register_harness(#name, assay_fuzz_body); \
  static void assay_fuzz_body([[maybe_unused]] const std::uint8_t* data, [[maybe_unused]] std::size_t size)
#endif
