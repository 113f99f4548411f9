// The TOML of a small assessment over the plugin fixtures' yes-no type (fixture_plugin.h), for the
// tests of what the engine does when a plugin fails.
#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

namespace assay::test {

struct YesNoItem {
  std::string id;
  std::string answer;  // "yes" or "no"
};

/// One competency and section; with `unit_item`, a core-items single choice ("unit", key "ohm")
/// comes first, then one yes-no item of `plugin` per entry of `items`.
inline std::string yes_no_assessment(const std::string& id, const std::string& kind, const std::string& plugin,
                                     const std::vector<YesNoItem>& items, bool unit_item) {
  std::string t = fmt::format(R"(schema = 1
[assessment]
id = "{0}"
title = "Fixture: {0}"
version = "1.0"
kind = "{1}"
roles = ["biomedical-technician"]
requires = {{ {2}{3} = ">=1.0" }}
[outcome]
pass_percent = 50
[[competency]]
id = "c"
title = "C"
[[section]]
id = "s"
title = "S"
)",
                              id, kind, unit_item ? "core-items = \">=1.0\", " : "", plugin);
  if (unit_item) {
    t += R"([[item]]
id = "unit"
section = "s"
competency = "c"
type = "core-items/single-choice"
source = "SI Brochure, 9th edition"
[item.params]
prompt = "Which SI unit measures resistance?"
options = [ { id = "ohm", text = "ohm" }, { id = "farad", text = "farad" } ]
correct = "ohm"
[[item.criteria]]
id = "correct"
points = 1
)";
  }
  for (const auto& item : items) {
    t += fmt::format(R"([[item]]
id = "{}"
section = "s"
competency = "c"
type = "{}/yes-no"
source = "a fixture"
[item.params]
prompt = "Yes or no?"
answer = "{}"
[[item.criteria]]
id = "correct"
points = 1
)",
                     item.id, plugin, item.answer);
  }
  return t;
}

}  // namespace assay::test
