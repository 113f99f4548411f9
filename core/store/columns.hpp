// Column lists shared by a store's statements.
#pragma once

#include <string>
#include <string_view>

namespace assay::serve {

/// "a, b, c" with each name prefixed: qualified("a, b", "t.") is "t.a, t.b", for a join.
inline std::string qualified(std::string_view columns, std::string_view prefix) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= columns.size()) {
    auto end = columns.find(',', pos);
    if (end == std::string_view::npos) end = columns.size();
    auto name = columns.substr(pos, end - pos);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    if (!out.empty()) out += ", ";
    out.append(prefix).append(name);
    pos = end + 1;
  }
  return out;
}

}  // namespace assay::serve
