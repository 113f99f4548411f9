// The shipped plugin ehr-admin: prepare on any params, score and feedback on any response bytes
// (plugin_harness.hpp says the input and what must hold).
#include "harness.hpp"
#include "plugin_harness.hpp"

ASSAY_FUZZ_TARGET(plugin_ehr_admin) { assay::fuzz::fuzz_plugin("ehr-admin", data, size); }
