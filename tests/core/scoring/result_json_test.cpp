// The result writer (to_json_text, candidate_view_text) against the JSON tree it stands in for:
// the same bytes for generated results that reach every member, escape and response form, and for
// every result of the shipped sample cohorts.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "assay/catalog.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/scoring.hpp"
#include "core/shipped_cohorts.hpp"

using namespace assay;
using scoring::ItemStatus;
using scoring::Outcome;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// A fixed-seed generator: the same results on every run (std::mt19937_64 is specified exactly).
class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}

  std::uint64_t below(std::uint64_t n) { return rng_() % n; }
  bool coin() { return below(2) == 0; }

  // Text with quotes, backslashes, every control character, DEL, and two- to four-byte UTF-8.
  std::string text() {
    static const std::vector<std::string> pieces = {
        "a",  "Z",  "0",      " ", "-", "'", "\"", "\\", "/", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
        "µA", "{}", "\\u00e9"};
    std::string s;
    std::size_t n = below(8);
    for (std::size_t i = 0; i < n; ++i) {
      if (below(5) == 0)
        s += static_cast<char>(below(0x20));
      else
        s += pieces[below(pieces.size())];
    }
    return s;
  }

  Fraction fraction() {
    std::int64_t num = static_cast<std::int64_t>(below(2000)) - 500;
    std::int64_t den = static_cast<std::int64_t>(below(4)) == 0 ? static_cast<std::int64_t>(below(97)) + 1 : 1;
    if (below(20) == 0) return Fraction(static_cast<Fraction::Int>(num) * 1'000'000'000'000'000'000, den);
    return Fraction(num, den);
  }

  // Responses: canonical compact JSON, the same with spaces or unsorted keys, floats, escapes,
  // large and negative numbers, nesting, and text that is not JSON at all.
  std::string response() {
    static const std::vector<std::string> forms = {
        R"({"answer":["b"]})",
        R"({"answer":{"unit":"mA","value":"4.95"}})",
        R"({"answer":{"value":"4.95","unit":"mA"}})",
        R"({ "answer": ["a", "c"] })",
        R"({"answer":"line\nbreak \"quoted\" back\\slash\ttab"})",
        R"({"answer":"\u00e9t\u00E9 \/ \u0001"})",
        R"({"answer":"été €"})",
        R"({"a":1,"b":-2,"c":0,"d":true,"e":false,"f":null,"g":[],"h":{}})",
        R"({"a":-0,"b":01})",
        R"({"a":1.5,"b":1e3,"c":2E-2,"d":10.0})",
        R"({"a":12345678901234567890,"b":123456789012345678,"c":-123456789012345678})",
        R"({"b":1,"a":2})",
        R"({"a":1,"a":2})",
        R"({"x":{"y":[{"z":[1,[2,[3]]]}]}})",
        R"({"answer":["b"]} )",
        R"([1,2,3])",
        R"("just a string")",
        R"(not json)",
        R"({"answer":)",
        "{\"answer\":\"\x7f\xc3\xa9\"}",
        "{\"\xc3\xa9\":1,\"z\":2}",
        "{\"z\":1,\"\xc3\xa9\":2}",
    };
    return forms[below(forms.size())];
  }

  scoring::Reason reason() { return {text(), text(), coin() ? text() : "", coin() ? text() : "", coin() ? text() : ""}; }

  scoring::Total total() {
    scoring::Total t{text(), text(), fraction(), fraction(), fraction(), std::nullopt};
    if (coin()) t.min_percent = fraction();
    return t;
  }

  scoring::ScoreResult result() {
    scoring::ScoreResult r;
    r.attempt_id = text();
    r.candidate_id = text();
    r.assessment_id = text();
    r.assessment_version = text();
    r.assessment_sha256 = text();
    r.assessment_title = text();
    r.mode = coin() ? "screening" : text();
    for (std::size_t i = below(3); i > 0; --i) r.plugins[text()] = text();
    for (std::size_t i = below(5); i > 0; --i) {
      scoring::ItemResult it;
      it.id = text();
      it.section = text();
      it.competency = text();
      it.type = text();
      it.seed = rng_();
      it.status = static_cast<ItemStatus>(below(4));
      it.critical = coin();
      it.weight = fraction();
      for (std::size_t k = below(4); k > 0; --k) {
        scoring::CriterionResult c;
        c.id = text();
        c.points = static_cast<std::int64_t>(rng_());
        c.critical = coin();
        c.rated = coin();
        if (coin()) c.credit = fraction();
        if (coin()) c.level = text();
        c.earned = fraction();
        it.criteria.push_back(std::move(c));
      }
      it.raw = fraction();
      it.points = fraction();
      it.max = fraction();
      it.pending = coin();
      it.exclusion = coin() ? text() : "";
      it.response = below(4) == 0 ? "" : response();
      it.feedback = coin() ? text() : "";
      r.items.push_back(std::move(it));
    }
    for (std::size_t i = below(3); i > 0; --i) r.sections.push_back(total());
    for (std::size_t i = below(3); i > 0; --i) r.competencies.push_back(total());
    r.points = fraction();
    r.max = fraction();
    r.percent = fraction();
    r.pass_percent = fraction();
    r.outcome = static_cast<Outcome>(below(3));
    r.level = coin() ? text() : "";
    for (std::size_t i = below(3); i > 0; --i) r.reasons.push_back(reason());
    for (std::size_t i = below(2); i > 0; --i) r.problems.push_back(reason());
    for (std::size_t i = below(2); i > 0; --i) r.pending.push_back(reason());
    for (std::size_t i = below(2); i > 0; --i) r.excluded.push_back({text(), text()});
    return r;
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace

TEST_CASE("the result writer gives the bytes of the JSON tree for generated results", "[scoring][result-json]") {
  Gen gen(20260302);
  for (int i = 0; i < 3000; ++i) {
    auto r = gen.result();
    std::string tree = scoring::to_json(r).dump();
    std::string text = scoring::to_json_text(r);
    CAPTURE(i, tree);
    REQUIRE(text == tree);
    REQUIRE(scoring::candidate_view_text(r) == scoring::candidate_view(r).dump());
    std::string appended = "previous line\n";
    scoring::append_json_text(appended, r);
    REQUIRE(appended == "previous line\n" + tree);
  }
}

TEST_CASE("the result writer refuses text that is not UTF-8 as the JSON tree does", "[scoring][result-json]") {
  auto bad = GENERATE(as<std::string>{}, "\xff", "\xc3", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "ok \xe2\x82");
  CAPTURE(bad);
  scoring::ScoreResult r;
  SECTION("in a member") { r.assessment_title = bad; }
  SECTION("in an item's feedback") {
    r.items.emplace_back();
    r.items.back().feedback = bad;
  }
  REQUIRE_THROWS_AS(scoring::to_json(r).dump(), json::type_error);
  REQUIRE_THROWS_AS(scoring::to_json_text(r), json::type_error);
}

TEST_CASE("the result writer gives the bytes of the JSON tree for every sample cohort", "[scoring][result-json]") {
  std::size_t compared = 0;
  assay_test::for_each_shipped_result([&](const scoring::ScoreResult& r, const delivery::Attempt&) {
    CAPTURE(r.assessment_id, r.attempt_id);
    REQUIRE(scoring::to_json_text(r) == scoring::to_json(r).dump());
    REQUIRE(scoring::candidate_view_text(r) == scoring::candidate_view(r).dump());
    ++compared;
  });
  REQUIRE(compared >= 1000);
}
