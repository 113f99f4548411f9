// The shipped plugin core-items: prepare on any params, score and feedback on any response bytes
// (plugin_harness.hpp says the input and what must hold).
#include "harness.hpp"
#include "plugin_harness.hpp"

ASSAY_FUZZ_TARGET(plugin_core_items) { assay::fuzz::fuzz_plugin("core-items", data, size); }
