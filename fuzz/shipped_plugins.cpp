#include "shipped_plugins.hpp"

#include <cstdio>
#include <cstdlib>

namespace assay::fuzz {

const plugins::Registry& shipped_plugins() {
  static const plugins::Registry registry = [] {
    auto r = plugins::Registry::load({ASSAY_FUZZ_PLUGIN_DIR});
    for (const auto& refused : r.refused()) std::fprintf(stderr, "%s\n", refused.message.c_str());
    if (!r.refused().empty() || r.plugins().empty()) {
      std::fprintf(stderr, "the fuzz harness needs the shipped plugins in %s\n", ASSAY_FUZZ_PLUGIN_DIR);
      std::abort();
    }
    return r;
  }();
  return registry;
}

}  // namespace assay::fuzz
