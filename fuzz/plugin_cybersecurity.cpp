// The shipped plugin cybersecurity: prepare on any params, score and feedback on any response bytes
// (plugin_harness.hpp says the input and what must hold).
#include "harness.hpp"
#include "plugin_harness.hpp"

ASSAY_FUZZ_TARGET(plugin_cybersecurity) { assay::fuzz::fuzz_plugin("cybersecurity", data, size); }
