// The assessments the benchmarks generate: core-items only, one section, one competency.
#pragma once

#include <fmt/format.h>

#include <string>

namespace bench {

/// The TOML up to the items: an assessment `id` with one competency and one section ("s", "c").
inline std::string assessment_head(const std::string& id, const std::string& title) {
  return fmt::format(R"(schema = 1
[assessment]
id = "{}"
title = "{}"
version = "1"
kind = "screening"
requires = {{ core-items = ">=1.0" }}
[outcome]
pass_percent = 70
[[competency]]
id = "c"
title = "Everything"
[[section]]
id = "s"
title = "All"
)",
                     id, title);
}

/// Item `i{n}` of section "s" and competency "c" with `type`, up to its params table.
inline std::string item_head(int n, const std::string& type) {
  return fmt::format("[[item]]\nid = \"i{}\"\nsection = \"s\"\ncompetency = \"c\"\ntype = \"{}\"\n[item.params]\n", n, type);
}

}  // namespace bench
