// assay_fuzz_replay NAME PATH...: runs every file given, or found in a directory given, through
// the harness NAME, as libFuzzer would run it once. The ordinary and sanitizer builds run the
// committed corpora and crash inputs this way (CTest `fuzz.replay.NAME`), so an input that once
// crashed fails the tests without a fuzzer. An input that fails is named on stderr.
#include <unistd.h>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "harness.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

namespace fs = std::filesystem;

namespace assay::fuzz {

namespace {

std::map<std::string, Entry>& table() {
  static std::map<std::string, Entry> harnesses;
  return harnesses;
}

// The input being replayed, for the report of a crash (written from a signal handler).
char current[4096] = "";

void write_current() {
  const char* prefix = "assay_fuzz_replay: failed on input ";
  [[maybe_unused]] auto n = write(2, prefix, std::strlen(prefix));
  n = write(2, current, std::strlen(current));
  n = write(2, "\n", 1);
}

void on_signal(int sig) {
  write_current();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

bool register_harness(const char* name, Entry entry) {
  table().emplace(name, entry);
  return true;
}

}  // namespace assay::fuzz

int main(int argc, char** argv) {
  using namespace assay::fuzz;
  if (argc < 3 || table().find(argv[1]) == table().end()) {
    std::fprintf(stderr, "usage: assay_fuzz_replay NAME PATH...\n  NAME is one of:");
    for (const auto& [name, entry] : table()) std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  Entry entry = table().at(argv[1]);
  std::vector<fs::path> inputs;
  for (int i = 2; i < argc; ++i) {
    fs::path p = argv[i];
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p))
        if (e.is_regular_file()) inputs.push_back(e.path());
    } else if (fs::is_regular_file(p, ec)) {
      inputs.push_back(p);
    } else {
      std::fprintf(stderr, "assay_fuzz_replay: %s: no such file or directory\n", p.c_str());
      return 2;
    }
  }
  std::sort(inputs.begin(), inputs.end());
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_signal);
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_set_death_callback(write_current);
#endif
  for (const auto& p : inputs) {
    std::snprintf(current, sizeof current, "%s", p.c_str());
    std::ifstream in(p, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // libFuzzer never passes a null pointer; an empty vector's data() may be one.
    bytes.reserve(1);
    entry(bytes.data(), bytes.size());
  }
  std::printf("%s: %zu inputs replayed\n", argv[1], inputs.size());
  return 0;
}
