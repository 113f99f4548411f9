// The shipped plugin device-maintenance: prepare on any params, score and feedback on any response bytes
// (plugin_harness.hpp says the input and what must hold).
#include "harness.hpp"
#include "plugin_harness.hpp"

ASSAY_FUZZ_TARGET(plugin_device_maintenance) { assay::fuzz::fuzz_plugin("device-maintenance", data, size); }
