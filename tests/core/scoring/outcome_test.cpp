// The arithmetic and outcome rules of scoring, on hand-built assessments and plugin credits:
// no plugin is loaded here (engine_test.cpp scores through core-items).
#include <catch2/catch.hpp>

#include "assay/model.hpp"
#include "assay/scoring.hpp"

using namespace assay;
using scoring::ItemStatus;
using scoring::Outcome;

namespace {

model::CriterionSpec crit(std::string id, std::int64_t points, bool critical = false) {
  model::CriterionSpec c;
  c.id = std::move(id);
  c.points = points;
  c.critical = critical;
  return c;
}

model::Item item(std::string id, std::string competency, std::vector<model::CriterionSpec> criteria, bool critical = false) {
  model::Item i;
  i.id = std::move(id);
  i.section = "main";
  i.competency = std::move(competency);
  i.type = "test/type";
  i.criteria = std::move(criteria);
  i.critical = critical;
  return i;
}

model::Assessment assessment(std::vector<model::Item> items, std::int64_t pass = 70) {
  model::Assessment a;
  a.id = "boundary";
  a.title = "Boundary";
  a.version = "1";
  a.sections.push_back({"main", "Main", 0, false, ""});
  a.competencies.push_back({"a", "Competency A", "", std::nullopt});
  a.competencies.push_back({"b", "Competency B", "", std::nullopt});
  a.items = std::move(items);
  a.outcome.pass_percent = model::Decimal(pass);
  return a;
}

// Scores each item of `a` with the given credits (one per criterion, declaration order) and
// finishes the result.
scoring::ScoreResult score(const model::Assessment& a, const std::vector<std::vector<assay_credit>>& credits,
                           const std::map<std::string, std::map<std::string, std::string>>& ratings = {}) {
  scoring::ScoreResult r;
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    std::vector<std::size_t> slots;
    for (std::size_t j = 0; j < a.items[i].criteria.size(); ++j) slots.push_back(j);
    const std::map<std::string, std::string>* rt = nullptr;
    if (auto it = ratings.find(a.items[i].id); it != ratings.end()) rt = &it->second;
    r.items.push_back(scoring::score_item(a.items[i], slots, true, ASSAY_STATUS_OK, credits[i], rt, a.outcome.allow_negative,
                                          r.problems, r.pending));
  }
  scoring::finish(r, a);
  return r;
}

std::vector<std::string> codes(const scoring::ScoreResult& r) {
  std::vector<std::string> out;
  for (const auto& reason : r.reasons) out.push_back(reason.code);
  return out;
}

}  // namespace

TEST_CASE("the pass mark compares exact values: 69.95 % fails a 70 % mark and shows as 69.9", "[scoring][outcome]") {
  auto a = assessment({item("q1", "a", {crit("correct", 2000)})});
  SECTION("1399 of 2000 points is 69.95 %") {
    auto r = score(a, {{{1399, 2000}}});
    REQUIRE(r.points == Fraction(1399));
    REQUIRE(r.max == Fraction(2000));
    REQUIRE(r.percent == Fraction(1399, 20));
    REQUIRE(r.percent.to_decimal(1) == "69.9");
    REQUIRE(r.outcome == Outcome::kFail);
    REQUIRE(r.reasons.size() == 1);
    REQUIRE(r.reasons[0].code == "below_pass_mark");
    REQUIRE(r.reasons[0].text == "scored 69.9%, below the pass mark of 70%");
  }
  SECTION("1400 of 2000 points is exactly 70 % and passes") {
    auto r = score(a, {{{1400, 2000}}});
    REQUIRE(r.percent == Fraction(70));
    REQUIRE(r.outcome == Outcome::kPass);
    REQUIRE(r.reasons.empty());
  }
  SECTION("a decimal pass mark of 69.95 is met by 69.95 %") {
    a.outcome.pass_percent = *model::Decimal::parse("69.95");
    auto r = score(a, {{{1399, 2000}}});
    REQUIRE(r.outcome == Outcome::kPass);
  }
}

TEST_CASE("criterion points times exact credit, item weight and totals", "[scoring][outcome]") {
  auto a = assessment({item("q1", "a", {crit("verdict", 4), crit("limit-cited", 2)}), item("q2", "b", {crit("correct", 3)})});
  a.items[1].weight = *model::Decimal::parse("1.5");
  // q1: 4 × 1/3 + 2 × 1 = 10/3 of 6; q2: 3 × 1/2 × 1.5 = 9/4 of 9/2. Total 67/12 of 21/2.
  auto r = score(a, {{{1, 3}, {1, 1}}, {{1, 2}}});
  REQUIRE(r.items[0].points == Fraction(10, 3));
  REQUIRE(r.items[0].max == Fraction(6));
  REQUIRE(r.items[1].points == Fraction(9, 4));
  REQUIRE(r.items[1].max == Fraction(9, 2));
  REQUIRE(r.points == Fraction(67, 12));
  REQUIRE(r.max == Fraction(21, 2));
  REQUIRE(r.percent == Fraction(6700, 126));  // 53.17...
  REQUIRE(r.percent.to_decimal(1) == "53.1");
  REQUIRE(r.competencies.size() == 2);
  REQUIRE(r.competencies[0].percent == Fraction(500, 9));  // 10/3 of 6
  REQUIRE(r.competencies[1].percent == Fraction(50));
  REQUIRE(r.sections.size() == 1);
  REQUIRE(r.sections[0].points == r.points);
}

TEST_CASE("negative criteria: an item floors at 0 unless negative marking is allowed", "[scoring][outcome]") {
  auto a = assessment({item("q1", "a", {crit("correct", 2), crit("wrong-pick", -3)}), item("q2", "a", {crit("correct", 2)})});
  // q1: nothing right and the penalty applies: 0 - 3 = -3; q2 full: 2.
  std::vector<std::vector<assay_credit>> credits = {{{0, 1}, {1, 1}}, {{1, 1}}};
  SECTION("floored") {
    auto r = score(a, credits);
    REQUIRE(r.items[0].points == Fraction(0));
    REQUIRE(r.points == Fraction(2));
    REQUIRE(r.max == Fraction(4));
    REQUIRE(r.percent == Fraction(50));
  }
  SECTION("negative marking") {
    a.outcome.allow_negative = true;
    auto r = score(a, credits);
    REQUIRE(r.items[0].points == Fraction(-3));
    REQUIRE(r.points == Fraction(-1));
    REQUIRE(r.percent == Fraction(-25));
    REQUIRE(r.percent.to_decimal(1) == "-25.0");
  }
  SECTION("half the penalty") {
    auto r = score(a, {{{1, 1}, {1, 2}}, {{1, 1}}});
    REQUIRE(r.items[0].points == Fraction(1, 2));  // 2 - 3/2
  }
}

TEST_CASE("critical items fail on any shortfall, critical criteria on less than full credit", "[scoring][outcome]") {
  SECTION("a critical item one criterion short") {
    auto a = assessment(
        {item("es-leakage-01", "a", {crit("verdict", 4), crit("limit-cited", 1)}, true), item("q2", "b", {crit("correct", 20)})});
    auto r = score(a, {{{1, 1}, {0, 1}}, {{1, 1}}});
    REQUIRE(r.percent == Fraction(2400, 25));  // 24 of 25
    REQUIRE(r.outcome == Outcome::kFail);
    REQUIRE(r.reasons.size() == 1);
    REQUIRE(r.reasons[0].code == "critical_missed");
    REQUIRE(r.reasons[0].item == "es-leakage-01");
    REQUIRE(r.reasons[0].criterion.empty());
    REQUIRE(r.reasons[0].text == "critical item 'es-leakage-01' was not fully correct (4 of 5 points)");
  }
  SECTION("a critical criterion with partial credit") {
    auto a =
        assessment({item("q1", "a", {crit("verdict", 4, true), crit("limit-cited", 1)}), item("q2", "b", {crit("correct", 20)})});
    auto r = score(a, {{{1, 2}, {1, 1}}, {{1, 1}}});
    REQUIRE(r.outcome == Outcome::kFail);
    REQUIRE(codes(r) == std::vector<std::string>{"critical_missed"});
    REQUIRE(r.reasons[0].criterion == "verdict");
    REQUIRE(r.reasons[0].text == "critical criterion 'verdict' of item 'q1' was not fully met");
  }
  SECTION("a shortfall on a non-critical criterion of an item with a critical criterion passes") {
    auto a =
        assessment({item("q1", "a", {crit("verdict", 4, true), crit("limit-cited", 1)}), item("q2", "b", {crit("correct", 20)})});
    auto r = score(a, {{{1, 1}, {0, 1}}, {{1, 1}}});
    REQUIRE(r.outcome == Outcome::kPass);
  }
  SECTION("every reason is given, in order, an item and its criterion both critical counting once") {
    auto a = assessment({item("q1", "a", {crit("verdict", 4, true)}, true), item("q2", "b", {crit("correct", 4)})});
    a.competencies[0].min_percent = model::Decimal(60);
    auto r = score(a, {{{0, 1}}, {{1, 1}}});
    REQUIRE(codes(r) == std::vector<std::string>{"below_pass_mark", "competency_below_minimum", "critical_missed"});
    REQUIRE(r.reasons[2].criterion == "verdict");
    REQUIRE(r.reasons[2].item == "q1");
  }
  SECTION("a critical item short on a criterion that is not critical gives the item's reason") {
    auto a = assessment(
        {item("q1", "a", {crit("verdict", 4, true), crit("limit-cited", 1)}, true), item("q2", "b", {crit("correct", 20)})});
    auto r = score(a, {{{1, 1}, {0, 1}}, {{1, 1}}});
    REQUIRE(codes(r) == std::vector<std::string>{"critical_missed"});
    REQUIRE(r.reasons[0].criterion.empty());
  }
  SECTION("two critical criteria of a critical item missed: one reason each, none for the item") {
    auto a = assessment({item("q1", "a", {crit("verdict", 4, true), crit("limit-cited", 1, true)}, true),
                         item("q2", "b", {crit("correct", 20)})});
    auto r = score(a, {{{0, 1}, {0, 1}}, {{1, 1}}});
    REQUIRE(codes(r) == std::vector<std::string>{"critical_missed", "critical_missed"});
    REQUIRE(r.reasons[0].criterion == "verdict");
    REQUIRE(r.reasons[1].criterion == "limit-cited");
  }
}

TEST_CASE("a competency below its minimum fails whatever the total", "[scoring][outcome]") {
  auto a = assessment(
      {item("q1", "a", {crit("correct", 2)}), item("q2", "a", {crit("correct", 2)}), item("q3", "b", {crit("correct", 16)})});
  a.competencies[0].min_percent = model::Decimal(60);
  SECTION("50 % on the competency, 90 % overall") {
    auto r = score(a, {{{1, 1}}, {{0, 1}}, {{1, 1}}});
    REQUIRE(r.percent == Fraction(90));
    REQUIRE(r.outcome == Outcome::kFail);
    REQUIRE(r.reasons.size() == 1);
    REQUIRE(r.reasons[0].code == "competency_below_minimum");
    REQUIRE(r.reasons[0].competency == "a");
    REQUIRE(r.reasons[0].text == "competency 'a' (Competency A): 50.0%, below its minimum of 60%");
  }
  SECTION("exactly at the minimum passes") {
    auto r = score(a, {{{1, 1}}, {{1, 5}}, {{1, 1}}});  // 2.4 of 4 = 60 %
    REQUIRE(r.competencies[0].percent == Fraction(60));
    REQUIRE(r.outcome == Outcome::kPass);
  }
}

TEST_CASE("performance levels: the highest reached, and on a fail only those below the pass mark", "[scoring][outcome]") {
  auto a = assessment({item("q1", "a", {crit("correct", 100)}, true), item("q2", "b", {crit("correct", 100)})});
  a.outcome.levels = {{"Proficient", model::Decimal(85)}, {"Competent", model::Decimal(70)}, {"Developing", model::Decimal(40)}};
  auto [c1, c2, outcome, level] = GENERATE(table<std::uint64_t, std::uint64_t, Outcome, std::string>({
      {100, 100, Outcome::kPass, "Proficient"},
      {100, 70, Outcome::kPass, "Proficient"},  // 85 % exactly
      {100, 69, Outcome::kPass, "Competent"},   // 84.5 %
      {99, 100, Outcome::kFail, "Developing"},  // 99.5 % but the critical item is short
      {50, 20, Outcome::kFail, ""},             // 35 %
  }));
  CAPTURE(c1, c2);
  auto r = score(a, {{{c1, 100}}, {{c2, 100}}});
  REQUIRE(r.outcome == outcome);
  REQUIRE(r.level == level);
}

TEST_CASE("rated criteria are pending until a rater gives a level", "[scoring][outcome][ratings]") {
  auto rated = crit("quality", 4);
  rated.levels = {{"excellent", 4, "all points covered"}, {"adequate", 3, "most points"}, {"poor", 0, "none"}};
  auto a = assessment({item("essay", "a", {crit("length", 1), rated}), item("q2", "b", {crit("correct", 5)})});
  std::vector<std::vector<assay_credit>> credits = {{{1, 1}, {0, 1}}, {{1, 1}}};
  SECTION("unrated: the outcome is pending and says which criterion waits") {
    auto r = score(a, credits);
    REQUIRE(r.outcome == Outcome::kPending);
    REQUIRE(r.reasons.empty());
    REQUIRE(r.level.empty());
    REQUIRE(r.pending.size() == 1);
    REQUIRE(r.pending[0].text == "item 'essay', criterion 'quality' awaits a rater's level");
    REQUIRE(r.items[0].pending);
    REQUIRE_FALSE(r.items[0].criteria[1].credit.has_value());
  }
  SECTION("rated: the level's points count") {
    auto r = score(a, credits, {{"essay", {{"quality", "adequate"}}}});
    REQUIRE(r.pending.empty());
    REQUIRE(r.items[0].criteria[1].earned == Fraction(3));
    REQUIRE(*r.items[0].criteria[1].credit == Fraction(3, 4));
    REQUIRE(r.points == Fraction(9));
    REQUIRE(r.percent == Fraction(90));
    REQUIRE(r.outcome == Outcome::kPass);
  }
  SECTION("a level the rubric does not have is a problem and the criterion stays pending") {
    auto r = score(a, credits, {{"essay", {{"quality", "great"}}}});
    REQUIRE(r.outcome == Outcome::kPending);
    REQUIRE(r.problems.size() == 1);
    REQUIRE(r.problems[0].code == "unknown_level");
    REQUIRE(r.problems[0].text ==
            "item 'essay', criterion 'quality': rating 'great' is not one of its levels ('excellent', 'adequate', "
            "'poor'); the criterion stays unrated");
  }
}

TEST_CASE("unanswered and refused responses score 0 for that item only", "[scoring][outcome]") {
  auto a = assessment({item("q1", "a", {crit("correct", 2)}), item("q2", "b", {crit("correct", 2)})});
  scoring::ScoreResult r;
  std::vector<assay_credit> full = {{1, 1}};
  r.items.push_back(scoring::score_item(a.items[0], {0}, false, ASSAY_STATUS_OK, full, nullptr, false, r.problems, r.pending));
  r.items.push_back(
      scoring::score_item(a.items[1], {0}, true, ASSAY_STATUS_INVALID_RESPONSE, full, nullptr, false, r.problems, r.pending));
  scoring::finish(r, a);
  REQUIRE(r.items[0].status == ItemStatus::kUnanswered);
  REQUIRE(r.items[0].points == Fraction(0));
  REQUIRE(r.items[1].status == ItemStatus::kInvalid);
  REQUIRE(r.items[1].points == Fraction(0));
  REQUIRE(r.max == Fraction(4));
}

TEST_CASE("excluded items count for no one", "[scoring][outcome][exclusions]") {
  auto a = assessment({item("flawed", "a", {crit("correct", 10)}, true), item("q2", "a", {crit("correct", 10)}),
                       item("q3", "b", {crit("correct", 10)})});
  scoring::ScoreResult r;
  r.items.push_back(scoring::excluded_item(a.items[0], 7, "key was wrong"));
  r.excluded.push_back({"flawed", "key was wrong"});
  for (std::size_t i = 1; i < 3; ++i) {
    std::vector<assay_credit> c = {{i == 1 ? 7u : 10u, 10}};
    r.items.push_back(scoring::score_item(a.items[i], {0}, true, ASSAY_STATUS_OK, c, nullptr, false, r.problems, r.pending));
  }
  scoring::finish(r, a);
  // Without 'flawed' (critical, unanswered): 17 of 20 = 85 %, a pass.
  REQUIRE(r.items[0].status == ItemStatus::kExcluded);
  REQUIRE(r.points == Fraction(17));
  REQUIRE(r.max == Fraction(20));
  REQUIRE(r.percent == Fraction(85));
  REQUIRE(r.competencies[0].max == Fraction(10));
  REQUIRE(r.outcome == Outcome::kPass);
}
