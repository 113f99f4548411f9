// The version-range grammar of `[assessment] requires` (docs/authoring.md, "Plugin versions").
#include <cctype>

#include "assay/model.hpp"

namespace assay::model {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// 1 to 3 dot-separated decimal numbers; false on anything else.
bool parse_numbers(std::string_view s, std::uint64_t (&v)[3]) {
  v[0] = v[1] = v[2] = 0;
  int part = 0;
  bool digit = false;
  for (char c : s) {
    if (c == '.') {
      if (!digit || part == 2) return false;
      ++part;
      digit = false;
    } else if (c >= '0' && c <= '9') {
      if (v[part] > (UINT64_MAX - 9) / 10) return false;
      v[part] = v[part] * 10 + static_cast<std::uint64_t>(c - '0');
      digit = true;
    } else {
      return false;
    }
  }
  return digit;
}

int compare3(const std::uint64_t (&a)[3], const std::uint64_t (&b)[3]) {
  for (int i = 0; i < 3; ++i)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

}  // namespace

Expected<VersionRange, std::string> VersionRange::parse(std::string_view text) {
  VersionRange range;
  range.text_ = std::string(text);
  std::string_view rest = text;
  if (trim(rest).empty()) return std::string("expected a version range like \">=1.0\", found an empty string");
  while (true) {
    auto comma = rest.find(',');
    std::string_view part = trim(rest.substr(0, comma));
    Comparator c{};
    std::string op;
    if (part.starts_with(">=") || part.starts_with("<=")) {
      op = part.substr(0, 2);
    } else if (!part.empty() && std::string_view("><=^~").find(part[0]) != std::string_view::npos) {
      op = part.substr(0, 1);
    }
    std::string_view number = trim(part.substr(op.size()));
    if (op == ">=")
      c.op = Op::kGe;
    else if (op == "<=")
      c.op = Op::kLe;
    else if (op == ">")
      c.op = Op::kGt;
    else if (op == "<")
      c.op = Op::kLt;
    else if (op == "^")
      c.op = Op::kCaret;
    else if (op == "~")
      c.op = Op::kTilde;
    else
      c.op = Op::kEq;
    if (!parse_numbers(number, c.v)) {
      std::string where = op.empty() ? "" : " after '" + op + "'";
      return "expected a version like 1.2.3" + where + ", found \"" + std::string(part) + "\"";
    }
    range.comparators_.push_back(c);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return range;
}

bool VersionRange::satisfied_by(std::string_view version) const {
  // Pre-release and build suffixes are ignored: "1.4.0-rc1" compares as 1.4.0.
  auto cut = version.find_first_of("-+");
  std::uint64_t v[3];
  if (!parse_numbers(trim(version.substr(0, cut)), v)) return false;
  for (const auto& c : comparators_) {
    int cmp = compare3(v, c.v);
    bool ok = false;
    switch (c.op) {
      case Op::kEq:
        ok = cmp == 0;
        break;
      case Op::kGe:
        ok = cmp >= 0;
        break;
      case Op::kGt:
        ok = cmp > 0;
        break;
      case Op::kLe:
        ok = cmp <= 0;
        break;
      case Op::kLt:
        ok = cmp < 0;
        break;
      case Op::kCaret:
        // ^1.2 = >=1.2.0 <2.0.0; ^0.3 = >=0.3.0 <0.4.0; ^0.0.4 = =0.0.4.
        if (c.v[0] != 0)
          ok = cmp >= 0 && v[0] == c.v[0];
        else if (c.v[1] != 0)
          ok = cmp >= 0 && v[0] == 0 && v[1] == c.v[1];
        else
          ok = cmp >= 0 && v[0] == 0 && v[1] == 0 && v[2] == c.v[2];
        break;
      case Op::kTilde:
        ok = cmp >= 0 && v[0] == c.v[0] && v[1] == c.v[1];
        break;
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace assay::model
