// The content outline ([[outline]]): its checks, and the exact range of each area's share of the
// points over every form the sections' draws can make (docs/authoring.md, "Content outline").
#include <algorithm>
#include <map>

#include "detail.hpp"

namespace assay::model {

namespace {

using detail::idx;

std::string list(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "'" : ", '") + x + "'";
  return s;
}

/// One section of a form: how many of its items are drawn, and each item's points (max × weight)
/// with whether it counts for the area.
struct Pool {
  std::size_t draw = 0;
  std::vector<Fraction> in;   // points of the pool's items in the area
  std::vector<Fraction> out;  // points of the others
};

/// The largest share of the points the `in` items can have on any form.
///
/// Why the greedy form is the maximum: let a form give the area A of its T points (A <= T).
/// Replacing one drawn item by an undrawn one of the same section changes A by a and T by t.
/// The share does not fall, (A + a) / (T + t) >= A / T, whenever a >= 0 and a >= t: then
/// aT - At >= 0 (for t <= 0 because A, a >= 0; for t > 0 because aT - At >= tT - At = t(T - A)).
/// Three swaps qualify: an item of another area for one of the area (a = p_in, t = p_in - p_out),
/// an item of the area for a larger one of the area (a = t > 0), and an item of another area for
/// a smaller one of another area (a = 0, t < 0). From any form these swaps reach the form that, in
/// every section, draws as many items of the area as it can, largest first, and fills the rest
/// with the smallest items of other areas; so no form gives the area a larger share. Sections are
/// drawn independently, so the choice is made per section. The minimum is 1 minus the complement's
/// maximum.
Fraction max_share(const std::vector<Pool>& pools) {
  Fraction area, total;
  for (Pool p : pools) {
    std::sort(p.in.begin(), p.in.end(), std::greater<>());
    std::sort(p.out.begin(), p.out.end());
    std::size_t take_in = std::min(p.draw, p.in.size());
    for (std::size_t i = 0; i < take_in; ++i) {
      area += p.in[i];
      total += p.in[i];
    }
    for (std::size_t i = 0; i < p.draw - take_in && i < p.out.size(); ++i) total += p.out[i];
  }
  return total.is_zero() ? Fraction(0) : area / total;
}

std::vector<Pool> pools_for(const Assessment& a, std::string_view area) {
  std::vector<Pool> pools;
  for (const Section& sec : a.sections) {
    Pool p;
    for (const Item& item : a.items) {
      if (item.section != sec.id) continue;
      Fraction points = Fraction(item.max_points()) * Fraction::from_decimal(item.weight);
      (a.area_of(item) == area ? p.in : p.out).push_back(points);
    }
    std::size_t pool = p.in.size() + p.out.size();
    p.draw = sec.draw == 0 ? pool : std::min(static_cast<std::size_t>(sec.draw), pool);
    pools.push_back(std::move(p));
  }
  return pools;
}

/// "25", "12.5": a percent as the author wrote it.
std::string percent_of(const Fraction& share, bool round_up) {
  Fraction tenths = share * Fraction(1000);  // 100 (percent) × 10 (one place)
  Fraction::Int n = tenths.num(), d = tenths.den();
  Fraction::Int whole = n / d;
  if (round_up && whole * d != n) ++whole;
  return Fraction(whole, 10).to_decimal(1);
}

/// "18.2%-27.3% of points (target 25% ± 5%)".
std::string range_text(const Assessment& a, const AreaShare& share) {
  const OutlineArea& area = a.outline.at(share.area);
  return percent_of(share.min, false) + "%-" + percent_of(share.max, true) + "% of points (target " + area.weight.to_string() +
         "% ± " + area.tolerance.to_string() + "%)";
}

}  // namespace

std::vector<AreaShare> outline_shares(const Assessment& a) {
  std::vector<AreaShare> shares;
  if (a.outline.empty()) return shares;
  // Only an assessment whose items all sit in known sections and areas has meaningful shares.
  for (const Item& item : a.items) {
    if (a.find_section(item.section) == nullptr || a.find_area(a.area_of(item)) == nullptr) return {};
    if (item.max_points() <= 0) return {};
  }
  for (std::size_t i = 0; i < a.outline.size(); ++i) {
    auto pools = pools_for(a, a.outline[i].id);
    AreaShare share;
    share.area = i;
    share.max = max_share(pools);
    for (Pool& p : pools) std::swap(p.in, p.out);
    share.min = Fraction(1) - max_share(pools);
    Fraction target = Fraction::from_decimal(a.outline[i].weight) / Fraction(100);
    Fraction tolerance = Fraction::from_decimal(a.outline[i].tolerance) / Fraction(100);
    share.within_tolerance = share.min >= target - tolerance && share.max <= target + tolerance;
    shares.push_back(share);
  }
  return shares;
}

std::string describe_share(const Assessment& a, const AreaShare& share) {
  return "outline '" + a.outline.at(share.area).title + "': " + range_text(a, share);
}

namespace detail {

void check_outline(const Assessment& a, Diagnostics& out) {
  if (a.outline.empty() && std::none_of(a.sections.begin(), a.sections.end(), [](const Section& s) { return !s.area.empty(); }) &&
      std::none_of(a.items.begin(), a.items.end(), [](const Item& i) { return !i.area.empty(); }))
    return;
  std::vector<std::string> ids;
  std::map<std::string, std::size_t> seen;
  Fraction sum;
  bool weights_read = true;
  for (std::size_t i = 0; i < a.outline.size(); ++i) {
    const OutlineArea& area = a.outline[i];
    if (area.id.empty()) {
      weights_read = false;
      continue;
    }
    ids.push_back(area.id);
    auto [it, fresh] = seen.emplace(area.id, i);
    if (!fresh)
      out.push_back(at(a, idx("outline", i) + ".id", idx("outline", i) + ".id: duplicate outline area id '" + area.id + "'"));
    sum += Fraction::from_decimal(area.weight);
  }
  // A weight that could not be read is reported already (and counted 0 here): the total would
  // only repeat that mistake.
  weights_read = weights_read && std::none_of(out.begin(), out.end(), [](const Diagnostic& d) {
                   return d.message.starts_with("outline[") && d.message.find(".weight:") != std::string::npos;
                 });
  if (weights_read && !a.outline.empty() && sum != Fraction(100))
    out.push_back(at(a, "outline[0]",
                     "outline: expected weights that add up to 100 (percent of the points), found " + sum.to_rounded(4),
                     {"each area's weight is its target share of a form's points; give them so they total 100"}));

  auto unknown = [&](const std::string& key_path, const std::string& scope, const std::string& area) {
    std::vector<std::string> hints;
    if (auto near = nearest(area, ids); !near.empty())
      hints.push_back("did you mean '" + near + "'?");
    else if (ids.empty())
      hints.push_back("declare the area in an [[outline]] table");
    else
      hints.push_back("the outline areas are: " + list(ids));
    out.push_back(at(a, key_path, scope + key_path + ": unknown outline area '" + area + "'", hints));
  };
  for (std::size_t s = 0; s < a.sections.size(); ++s)
    if (!a.sections[s].area.empty() && a.find_area(a.sections[s].area) == nullptr)
      unknown(idx("section", s) + ".area", "", a.sections[s].area);
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    const Item& item = a.items[i];
    const std::string p = idx("item", i);
    if (!item.area.empty()) {
      if (a.find_area(item.area) == nullptr) unknown(p + ".area", item_scope(a, i), item.area);
      continue;
    }
    // An item in an unknown section is reported already; its area cannot be known.
    const Section* sec = a.find_section(item.section);
    if (sec == nullptr || a.outline.empty() || !sec->area.empty()) continue;
    out.push_back(at(a, p, item_scope(a, i) + p + ": the item is in no outline area",
                     {"give section '" + item.section + "' an area, or the item area = \"...\" (one of " + list(ids) + ")"}));
  }
}

void check_outline_shares(const Assessment& a, const std::vector<AreaShare>& shares, Diagnostics& out) {
  for (const AreaShare& share : shares) {
    if (share.within_tolerance) continue;
    const std::string p = idx("outline", share.area);
    Diagnostic d = at(
        a, p, p + ": area '" + a.outline[share.area].id + "' gets " + range_text(a, share) + ": some forms leave the tolerance",
        {"change the sections' draws or the items' points, or move items between areas"});
    d.severity = Severity::kWarning;
    out.push_back(std::move(d));
  }
}

}  // namespace detail

}  // namespace assay::model
