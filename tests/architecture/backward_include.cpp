// Compiled as part of the model module by the test in this folder's CMakeLists.txt: model sits
// below report, so report's header must not be found. If this file ever compiles, a module can
// reach a higher layer and the layering is no longer enforced.
#include "assay/report.hpp"
