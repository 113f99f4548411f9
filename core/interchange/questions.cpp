// The question-bank builders every reader shares beyond the choice, text and number builders of
// gift.cpp: an essay's rubric read back from the text `assay export` writes, and its marks per point.
#include <algorithm>
#include <assay/sdk/decimal.hpp>
#include <sstream>

#include "questions.hpp"

namespace assay::interchange::detail {

using sdk::Decimal;

std::size_t line_at(std::string_view text, std::ptrdiff_t offset) {
  if (offset < 0) return 0;
  auto end = std::min(static_cast<std::size_t>(offset), text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
}

/// marks / points as an exact decimal, when it is one (1/3 is not: refused).
std::string weight_per_point(const Decimal& marks, std::int64_t points) {
  for (int places = 0; places <= 12; ++places) {
    Decimal scaled = marks.scaled(places);
    if (scaled.exponent() < 0) continue;
    // scaled is an integer: divisible by points?
    auto text = scaled.to_string();
    std::int64_t whole = std::stoll(text);
    if (whole % points == 0) return Decimal(whole / points).scaled(-places).to_string();
  }
  throw Refused{"an essay whose marks do not divide evenly among its rubric's points"};
}

/// The rubric `assay export` writes as an essay's grader information, one level a line:
/// "NAME (POINTS of MAX points): DESCRIPTOR". False, and nothing changed, for any other text.
bool rubric_from(const std::string& guidance, ImportedItem& item) {
  std::vector<Level> levels;
  std::int64_t max = -1;
  std::istringstream in(guidance);
  for (std::string line; std::getline(in, line);) {
    auto open = line.find(" ("), of = line.find(" of ", open == std::string::npos ? 0 : open),
         close = line.find(" points): ", of == std::string::npos ? 0 : of);
    if (open == std::string::npos || of == std::string::npos || close == std::string::npos || open == 0) return false;
    try {
      std::size_t used = 0;
      std::string pts = line.substr(open + 2, of - open - 2), top = line.substr(of + 4, close - of - 4);
      std::int64_t p = std::stoll(pts, &used);
      if (used != pts.size()) return false;
      std::int64_t m = std::stoll(top, &used);
      if (used != top.size() || (max >= 0 && m != max) || p < 0 || p > m) return false;
      max = m;
      levels.push_back({line.substr(0, open), p, line.substr(close + 10)});
    } catch (const std::exception&) {
      return false;
    }
  }
  if (levels.size() < 2 || max <= 0) return false;
  essay(item, "");
  item.points = max;
  item.levels = std::move(levels);
  return true;
}

}  // namespace assay::interchange::detail
