// The content outline: each area's exact minimum and maximum share of a form's points.
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <random>
#include <string>

#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "core/test_support.hpp"

namespace fs = std::filesystem;
using assay::Fraction;
using assay::model::Assessment;
using assay::model::Decimal;
using Catch::Matchers::Contains;

namespace {

using assay::test::test_plugins;

const fs::path kOutline = fs::path(ASSAY_TEST_FIXTURES) / "assessments/outline.toml";

/// Every form the sections' draws can make, as (area points, total points) per area: the
/// definition the computed range must match.
std::pair<Fraction, Fraction> brute_force(const Assessment& a, const std::string& area) {
  std::vector<std::vector<std::pair<Fraction, Fraction>>> per_section;  // each subset's (area, total)
  for (const auto& sec : a.sections) {
    std::vector<std::pair<Fraction, bool>> pool;
    for (const auto& item : a.items)
      if (item.section == sec.id)
        pool.emplace_back(Fraction(item.max_points()) * Fraction::from_decimal(item.weight), a.area_of(item) == area);
    std::size_t draw = sec.draw == 0 ? pool.size() : std::min<std::size_t>(static_cast<std::size_t>(sec.draw), pool.size());
    std::vector<std::pair<Fraction, Fraction>> subsets;
    for (unsigned mask = 0; mask < (1u << pool.size()); ++mask) {
      if (static_cast<std::size_t>(__builtin_popcount(mask)) != draw) continue;
      Fraction in, total;
      for (std::size_t i = 0; i < pool.size(); ++i)
        if (mask & (1u << i)) {
          total += pool[i].first;
          if (pool[i].second) in += pool[i].first;
        }
      subsets.emplace_back(in, total);
    }
    per_section.push_back(std::move(subsets));
  }
  Fraction lo(1), hi(0);
  std::function<void(std::size_t, Fraction, Fraction)> walk = [&](std::size_t s, Fraction in, Fraction total) {
    if (s == per_section.size()) {
      Fraction share = in / total;
      lo = std::min(lo, share);
      hi = std::max(hi, share);
      return;
    }
    for (const auto& [i, t] : per_section[s]) walk(s + 1, in + i, total + t);
  };
  walk(0, Fraction(0), Fraction(0));
  return {lo, hi};
}

}  // namespace

TEST_CASE("an outline area's share range is the exact minimum and maximum over every form", "[model][outline]") {
  auto a = assay::model::try_load_assessment(kOutline);
  REQUIRE(a.ok());
  REQUIRE(a->outline.size() == 2);
  CHECK(a->area_of(*a->find_item("p1")) == "planning");
  CHECK(a->area_of(*a->find_item("s3")) == "safety");  // the item's own area wins over its section's
  auto shares = assay::model::outline_shares(*a);
  REQUIRE(shares.size() == 2);
  // Computed by hand in the fixture's comment. A bound such as "least area points over most total
  // points" (3/12) would not be exact.
  CHECK(shares[0].min == Fraction(3, 7));
  CHECK(shares[0].max == Fraction(9, 10));
  CHECK(shares[1].min == Fraction(1, 10));
  CHECK(shares[1].max == Fraction(4, 7));
  for (const auto& share : shares) {
    auto [lo, hi] = brute_force(*a, a->outline[share.area].id);
    CHECK(share.min == lo);
    CHECK(share.max == hi);
  }
  // Safety's 42.9%-90% leaves 65 ± 10; planning's 10%-57.2% lies in 35 ± 25, its minimum exactly
  // on the edge.
  CHECK_FALSE(shares[0].within_tolerance);
  CHECK(shares[1].within_tolerance);
  // Shown rounded outward: 3/7 = 42.857...% down, 4/7 = 57.142...% up.
  CHECK(assay::model::describe_share(*a, shares[0]) == "outline 'Electrical safety': 42.8%-90.0% of points (target 65% ± 10%)");
  CHECK(assay::model::describe_share(*a, shares[1]) ==
        "outline 'Maintenance planning': 10.0%-57.2% of points (target 35% ± 25%)");
}

TEST_CASE("validate warns for an outline area whose possible share leaves its tolerance", "[model][outline]") {
  auto report = assay::model::validate_file(kOutline, test_plugins());
  REQUIRE(report.diagnostics.size() == 1);
  CHECK(report.diagnostics[0].severity == assay::Severity::kWarning);
  CHECK_THAT(report.diagnostics[0].message, Contains("outline[0]: area 'safety' gets 42.8%-90.0% of points (target 65% ± 10%)"));
  CHECK(report.outline.size() == 2);
}

TEST_CASE("computed share ranges agree with every form enumerated, for random pools", "[model][outline]") {
  std::mt19937 rng(20261206);  // fixed: a failure reproduces
  for (int round = 0; round < 200; ++round) {
    CAPTURE(round);
    Assessment a;
    a.outline = {{"x", "X", Decimal(50), Decimal(50), ""}, {"y", "Y", Decimal(50), Decimal(50), ""}};
    int sections = 1 + static_cast<int>(rng() % 3);
    for (int s = 0; s < sections; ++s) {
      assay::model::Section sec;
      sec.id = "s" + std::to_string(s);
      sec.area = rng() % 2 ? "x" : "y";
      int pool = 1 + static_cast<int>(rng() % 5);
      sec.draw = static_cast<std::int64_t>(rng() % static_cast<unsigned>(pool + 1));  // 0 draws all
      a.sections.push_back(sec);
      for (int i = 0; i < pool; ++i) {
        assay::model::Item item;
        item.id = sec.id + "-" + std::to_string(i);
        item.section = sec.id;
        item.area = rng() % 3 == 0 ? (sec.area == "x" ? "y" : "x") : "";
        item.criteria.push_back({"correct", 1 + static_cast<std::int64_t>(rng() % 6), false, {}});
        if (rng() % 4 == 0) item.weight = Decimal::parse("2.5").value();
        a.items.push_back(item);
      }
    }
    auto shares = assay::model::outline_shares(a);
    REQUIRE(shares.size() == 2);
    for (const auto& share : shares) {
      auto [lo, hi] = brute_force(a, a.outline[share.area].id);
      CHECK(share.min == lo);
      CHECK(share.max == hi);
    }
    CHECK(shares[0].min + shares[1].max == Fraction(1));
  }
}
