#include <assay/plugin.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "assay/delivery.hpp"
#include "assay/model.hpp"

using namespace assay;
using delivery::Attempt;
using delivery::Form;

namespace {

model::Assessment pools(bool shuffle) {
  model::Assessment a;
  a.id = "forms";
  a.version = "2026.1";
  a.sha256 = std::string(64, 'a');
  a.time_limit_seconds = 40 * 60;
  a.sections.push_back({"intro", "Intro", 0, false, ""});
  a.sections.push_back({"pool", "Pool", 3, shuffle, ""});
  // Items listed out of section order: the form follows the sections, then file order.
  for (int i = 1; i <= 6; ++i) {
    model::Item it;
    it.id = "p" + std::to_string(i);
    it.section = "pool";
    a.items.push_back(it);
    if (i == 3) {
      model::Item intro;
      intro.id = "intro-1";
      intro.section = "intro";
      a.items.push_back(intro);
    }
  }
  return a;
}

std::vector<std::string> ids(const Form& f) {
  std::vector<std::string> out;
  for (const auto& i : f.items) out.push_back(i.item_id);
  return out;
}

}  // namespace

TEST_CASE("forms draw each section's items from the attempt seed", "[delivery][forms]") {
  auto a = pools(false);
  SECTION("seed 1 and seed 42 draw the documented items, kept in file order") {
    // Figures from an independent implementation of docs/formats.md's algorithm.
    REQUIRE(ids(delivery::draw_form(a, 1)) == std::vector<std::string>{"intro-1", "p1", "p3", "p5"});
    REQUIRE(ids(delivery::draw_form(a, 42)) == std::vector<std::string>{"intro-1", "p3", "p5", "p6"});
  }
  SECTION("each item's seed is assay_item_seed(attempt seed, item id)") {
    auto form = delivery::draw_form(a, 1);
    REQUIRE(form.items[1].item_id == "p1");
    REQUIRE(form.items[1].seed == 15549984007605085417ull);
    REQUIRE(form.items[1].seed == assay_item_seed(1, "p1", 2));
  }
  SECTION("the same seed gives the same form") {
    for (std::uint64_t seed : {0ull, 7ull, 18446744073709551615ull})
      REQUIRE(delivery::draw_form(a, seed) == delivery::draw_form(a, seed));
  }
  SECTION("different seeds give different forms, always three of the six") {
    std::set<std::vector<std::string>> seen;
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
      auto f = ids(delivery::draw_form(a, seed));
      REQUIRE(f.size() == 4);
      seen.insert(f);
    }
    REQUIRE(seen.size() == 20);  // every 3-of-6 choice appears in 200 draws
  }
}

TEST_CASE("a shuffled section keeps its drawn order", "[delivery][forms]") {
  auto a = pools(true);
  REQUIRE(ids(delivery::draw_form(a, 1)) == std::vector<std::string>{"intro-1", "p3", "p5", "p1"});
  a.sections[1].draw = 0;  // all six, shuffled
  REQUIRE(ids(delivery::draw_form(a, 1)) == std::vector<std::string>{"intro-1", "p3", "p5", "p1", "p6", "p4", "p2"});
  REQUIRE(ids(delivery::draw_form(a, 42)) == std::vector<std::string>{"intro-1", "p3", "p5", "p6", "p4", "p2", "p1"});
}

TEST_CASE("starting an attempt records the form, the digest and the times", "[delivery][attempt]") {
  auto a = pools(false);
  TimePoint t0;
  REQUIRE(parse_time("2026-03-01T09:00:00Z", t0));
  FakeClock clock(t0);
  Attempt at = delivery::start_attempt(a, "att-1", "cand-1", 42, clock);
  REQUIRE(at.assessment_id == "forms");
  REQUIRE(at.assessment_version == "2026.1");
  REQUIRE(at.assessment_sha256 == a.sha256);
  REQUIRE(at.form == delivery::draw_form(a, 42));
  REQUIRE(format_time(*at.started) == "2026-03-01T09:00:00Z");
  REQUIRE(format_time(*at.deadline) == "2026-03-01T09:40:00Z");
  REQUIRE_FALSE(at.submitted.has_value());
  REQUIRE(at.mode == "screening");
}

TEST_CASE("attempts survive a JSON round trip", "[delivery][attempt]") {
  auto a = pools(false);
  TimePoint t0;
  REQUIRE(parse_time("2026-03-01T09:00:00Z", t0));
  FakeClock clock(t0);
  Attempt at = delivery::start_attempt(a, "att-1", "cand-1", 18446744073709551615ull, clock);
  at.answers["p1"] = R"({"answer":["b"]})";
  at.answers["intro-1"] = R"({"value":{"unit":"mA","value":"4.95"}})";
  at.ratings["p3"]["quality"] = "adequate";
  at.submitted = t0 + std::chrono::seconds(600);
  nlohmann::json j = delivery::to_json(at);
  REQUIRE(j["seed"] == "18446744073709551615");
  REQUIRE(j["form"][0]["seed"].is_string());
  REQUIRE(j["answers"]["p1"]["answer"][0] == "b");
  REQUIRE(j["submitted"] == "2026-03-01T09:10:00Z");
  auto back = delivery::try_attempt_from_json(nlohmann::json::parse(j.dump()));
  REQUIRE(back.ok());
  REQUIRE(back.value() == at);
  REQUIRE(delivery::to_json(back.value()).dump() == j.dump());
}

TEST_CASE("a malformed attempt names every problem by key path", "[delivery][attempt]") {
  auto j = nlohmann::json::parse(R"({
    "attempt": 1, "attempt_id": "a", "candidate_id": 7,
    "assessment": {"id": "x", "version": "1"},
    "seed": 12,
    "form": [{"item": "p1", "seed": "18446744073709551616"}, {"seed": "1"}],
    "started": "yesterday", "mode": "exam"
  })");
  auto r = delivery::try_attempt_from_json(j);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error() == std::vector<std::string>{
                           "candidate_id: expected a string, found 7",
                           "assessment.sha256: missing",
                           "seed: expected a decimal string of an unsigned 64-bit seed, found 12",
                           "form[0].seed: expected a decimal string of an unsigned 64-bit seed, found "
                           "\"18446744073709551616\"",
                           "form[1].item: missing",
                           "started: expected an RFC 3339 UTC time (\"2026-03-01T09:00:00Z\"), found \"yesterday\"",
                           "mode: expected \"screening\" or \"practice\", found \"exam\"",
                       });
}

TEST_CASE("seeds are unsigned 64-bit decimal strings", "[delivery]") {
  REQUIRE(delivery::parse_seed("0") == 0u);
  REQUIRE(delivery::parse_seed("18446744073709551615") == 18446744073709551615ull);
  REQUIRE_FALSE(delivery::parse_seed("18446744073709551616"));
  REQUIRE_FALSE(delivery::parse_seed("-1"));
  REQUIRE_FALSE(delivery::parse_seed("01"));
  REQUIRE_FALSE(delivery::parse_seed(""));
  REQUIRE_FALSE(delivery::parse_seed("1e3"));
}
