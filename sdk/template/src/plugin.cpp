// The plugin's one entry point: its name, semantic version, domain, description, and its
// item-type classes. ASSAY_PLUGIN exports assay_plugin_v1 and assay_abi_1 and nothing else.
#include <assay/sdk.hpp>

#include "reading_check.hpp"

ASSAY_PLUGIN("example-plugin", "0.1.0", "example", "Item types made from the Assay plugin template: say what they assess",
             example::ReadingCheck)
