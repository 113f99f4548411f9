// The plugins this tree ships, loaded once from the build's plugin directory.
#pragma once

#include <assay/plugins.hpp>

namespace assay::fuzz {

/// The registry of the shipped plugins (ASSAY_FUZZ_PLUGIN_DIR); aborts when one is refused.
const plugins::Registry& shipped_plugins();

}  // namespace assay::fuzz
