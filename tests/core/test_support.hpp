// Helpers the core tests share: the test plugins' registry, a time from its text, a file's bytes.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "assay/clock.hpp"
#include "assay/plugins.hpp"

namespace assay::test {

/// The plugins the tests are built with, loaded once.
inline const plugins::Registry& test_plugins() {
  static const auto registry = plugins::Registry::load({std::filesystem::path(ASSAY_TEST_PLUGIN_DIR)});
  return registry;
}

/// The time an RFC 3339 text names; the test fails when it names none.
inline TimePoint at(const char* text) {
  TimePoint t;
  REQUIRE(parse_time(text, t));
  return t;
}

/// The bytes of file `p` ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace assay::test
