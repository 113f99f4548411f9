// Scoring through a real plugin (core-items) on tests/fixtures/assessments/scoring-screening.toml:
// 1 + 1 + (2 × weight 2) + 4 = 10 points; pass mark 70 %; 'ohm-current' is critical; 'units'
// has a 50 % minimum; 'incident-report' is rated by a person.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/scoring.hpp"
#include "core/test_support.hpp"

using namespace assay;
using scoring::ItemStatus;
using scoring::Outcome;
namespace fs = std::filesystem;
using json = nlohmann::json;
using Catch::Matchers::Contains;

namespace {

using assay::test::test_plugins;

const fs::path kEngineScreening = fs::path(ASSAY_TEST_FIXTURES) / "assessments" / "scoring-screening.toml";

const model::LoadedAssessment& loaded() {
  static model::LoadedAssessment la = [] {
    auto r = model::try_load_and_prepare(kEngineScreening, test_plugins());
    if (!r) FAIL(format_all(r.error()));
    return std::move(r.value());
  }();
  return la;
}

const std::string kRight = R"({"answer":["a"]})";
const std::string kRightCap = R"({"answer":["b"]})";
const std::string kFiveMa = R"({"answer":{"value":"5","unit":"mA"}})";
const std::string kSixMa = R"({"answer":{"value":"6","unit":"mA"}})";
const std::string kReport = R"({"answer":"I would take the device out of use and tell the biomedical team at once."})";

delivery::Attempt attempt(std::string id, std::uint64_t seed = 7) {
  const auto& a = loaded().assessment;
  delivery::Attempt at;
  at.attempt_id = id;
  at.candidate_id = "cand-" + id;
  at.assessment_id = a.id;
  at.assessment_version = a.version;
  at.assessment_sha256 = a.sha256;
  at.seed = seed;
  at.form = delivery::draw_form(a, seed);
  at.answers = {
      {"unit-resistance", kRight}, {"unit-capacitance", kRightCap}, {"ohm-current", kFiveMa}, {"incident-report", kReport}};
  at.ratings["incident-report"]["quality"] = "complete";
  return at;
}

const scoring::ItemResult& item(const scoring::ScoreResult& r, const std::string& id) {
  for (const auto& i : r.items)
    if (i.id == id) return i;
  FAIL("no item " << id);
  throw 0;
}

struct Scratch {
  fs::path dir;
  Scratch() {
    dir = fs::temp_directory_path() / ("assay-score-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "assessments");
    fs::copy_file(kEngineScreening, dir / "assessments" / "scoring-screening.toml");
  }
  ~Scratch() { fs::remove_all(dir); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(dir / name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

}  // namespace

TEST_CASE("a fully correct, rated attempt scores 10 of 10 and passes as Proficient", "[scoring][engine]") {
  auto r = scoring::score_attempt(loaded(), attempt("a1"));
  REQUIRE(r.points == Fraction(10));
  REQUIRE(r.max == Fraction(10));
  REQUIRE(r.percent == Fraction(100));
  REQUIRE(r.outcome == Outcome::kPass);
  REQUIRE(r.level == "Proficient");
  REQUIRE(r.problems.empty());
  REQUIRE(r.assessment_sha256 == loaded().assessment.sha256);
  REQUIRE(r.plugins.size() == 1);
  REQUIRE(r.plugins.at("core-items") == test_plugins().find("core-items")->version());
  REQUIRE(item(r, "ohm-current").points == Fraction(4));
  REQUIRE(item(r, "incident-report").criteria[0].level == "complete");
}

TEST_CASE("a missed critical item fails with both reasons", "[scoring][engine]") {
  auto at = attempt("a2");
  at.answers["ohm-current"] = kSixMa;
  auto r = scoring::score_attempt(loaded(), at);
  REQUIRE(r.points == Fraction(6));
  REQUIRE(r.outcome == Outcome::kFail);
  REQUIRE(r.level.empty());
  REQUIRE(r.reasons.size() == 2);
  REQUIRE(r.reasons[0].text == "scored 60.0%, below the pass mark of 70%");
  REQUIRE(r.reasons[1].code == "critical_missed");
  REQUIRE(r.reasons[1].text == "critical item 'ohm-current' (Current through a resistor) was not fully correct (0 of 2 points)");
}

TEST_CASE("an item's title reaches staff in the full view and reasons, never the candidate view", "[scoring][engine]") {
  auto at = attempt("a2t");
  at.answers["ohm-current"] = kSixMa;
  auto r = scoring::score_attempt(loaded(), at);
  REQUIRE(item(r, "ohm-current").title == "Current through a resistor");
  REQUIRE(item(r, "unit-resistance").title.empty());  // no title: the id alone names it
  json full = scoring::to_json(r);
  REQUIRE(scoring::to_json_text(r) == full.dump());
  bool seen = false;
  for (const auto& i : full["items"]) {
    if (i["id"] == "ohm-current") seen = i.value("title", "") == "Current through a resistor";
    if (i["id"] == "unit-resistance") REQUIRE_FALSE(i.contains("title"));
  }
  REQUIRE(seen);
  auto back = scoring::try_result_from_json(full);
  REQUIRE(back.ok());
  REQUIRE(item(back.value(), "ohm-current").title == "Current through a resistor");
  REQUIRE(scoring::candidate_view_text(r) == scoring::candidate_view(r).dump());
  json view = scoring::candidate_view(r);
  for (const auto& i : view["items"]) REQUIRE_FALSE(i.contains("title"));
}

TEST_CASE("unanswered, malformed and off-form responses cost only their own item", "[scoring][engine]") {
  auto at = attempt("a3");
  at.answers.erase("unit-capacitance");
  at.answers["unit-resistance"] = R"({"answer":"a"})";  // not an array of option ids
  at.answers["not-on-form"] = kRight;
  auto r = scoring::score_attempt(loaded(), at);
  REQUIRE(item(r, "unit-capacitance").status == ItemStatus::kUnanswered);
  REQUIRE(item(r, "unit-resistance").status == ItemStatus::kInvalid);
  REQUIRE(item(r, "unit-resistance").points == Fraction(0));
  REQUIRE(item(r, "ohm-current").points == Fraction(4));
  REQUIRE(r.points == Fraction(8));
  REQUIRE(r.problems.size() == 2);
  REQUIRE(r.problems[0].code == "invalid_response");
  REQUIRE_THAT(r.problems[0].text, Contains("item 'unit-resistance': response refused: ") && Contains("; the item scores 0"));
  REQUIRE(r.problems[1].code == "response_not_on_form");
  REQUIRE(r.problems[1].text == "a response to item 'not-on-form', which is not on this attempt's form, was ignored");
  // 'units' at 0 % is below its 50 % minimum: 80 % overall still fails.
  REQUIRE(r.outcome == Outcome::kFail);
  REQUIRE(r.reasons.size() == 1);
  REQUIRE(r.reasons[0].text == "competency 'units' (SI units): 0.0%, below its minimum of 50%");
}

TEST_CASE("an unrated criterion leaves the result pending until a rating arrives", "[scoring][engine][ratings]") {
  auto at = attempt("a4");
  at.ratings.clear();
  auto r = scoring::score_attempt(loaded(), at);
  REQUIRE(r.outcome == Outcome::kPending);
  REQUIRE(r.pending.size() == 1);
  REQUIRE(r.pending[0].item == "incident-report");
  at.ratings["incident-report"]["quality"] = "partial";
  auto rated = scoring::score_attempt(loaded(), at);
  REQUIRE(rated.outcome == Outcome::kPass);
  REQUIRE(rated.points == Fraction(8));
  REQUIRE(rated.level == "Competent");
}

TEST_CASE("an excluded item counts for no one, and rescoring corrects every result", "[scoring][engine][exclusions]") {
  auto wrong = attempt("a5");
  wrong.answers["ohm-current"] = kSixMa;
  auto right = attempt("a6");
  scoring::Options options;
  options.exclusions = {{"ohm-current", "the key used the wrong resistor value"}};
  std::vector<scoring::Job> jobs = {{&loaded(), &wrong}, {&loaded(), &right}};
  auto rs = scoring::score_all(jobs, options);
  for (const auto& r : rs) {
    CAPTURE(r.attempt_id);
    REQUIRE(r.max == Fraction(6));
    REQUIRE(r.points == Fraction(6));
    REQUIRE(r.outcome == Outcome::kPass);
    REQUIRE(r.excluded.size() == 1);
    REQUIRE(r.excluded[0].reason == "the key used the wrong resistor value");
    REQUIRE(item(r, "ohm-current").status == ItemStatus::kExcluded);
  }
  REQUIRE(rs[0].competencies[1].id == "ohms-law");
  REQUIRE(rs[0].competencies[1].max == Fraction(0));
}

TEST_CASE("batch scoring gives the same bytes on every run and thread count", "[scoring][engine][determinism]") {
  std::vector<delivery::Attempt> attempts;
  for (int i = 0; i < 300; ++i) {
    auto at = attempt("d" + std::to_string(i), static_cast<std::uint64_t>(i));
    if (i % 3 == 0) at.answers["ohm-current"] = kSixMa;
    if (i % 5 == 0) at.answers.erase("unit-capacitance");
    if (i % 7 == 0) at.ratings.clear();
    attempts.push_back(at);
  }
  std::vector<scoring::Job> jobs;
  for (const auto& a : attempts) jobs.push_back({&loaded(), &a});
  auto dump = [&](unsigned threads) {
    scoring::Options o;
    o.threads = threads;
    std::string s;
    for (const auto& r : scoring::score_all(jobs, o)) s += scoring::to_json(r).dump() + "\n";
    return s;
  };
  std::string one = dump(1);
  REQUIRE(dump(4) == one);
  REQUIRE(dump(0) == one);
  // Results stay in input order.
  auto rs = scoring::score_all(jobs, {});
  for (std::size_t i = 0; i < rs.size(); ++i) REQUIRE(rs[i].attempt_id == attempts[i].attempt_id);
  REQUIRE(rs[3].outcome == Outcome::kFail);
  REQUIRE(rs[7].outcome == Outcome::kPending);
}

TEST_CASE("results survive a JSON round trip; the candidate view hides criteria", "[scoring][engine][json]") {
  auto at = attempt("a7");
  at.answers["unit-resistance"] = R"({"answer":"a"})";
  at.answers["ohm-current"] = kSixMa;
  auto r = scoring::score_attempt(loaded(), at, {{{"unit-capacitance", "ambiguous"}}, 0, {}});
  json full = scoring::to_json(r);
  auto back = scoring::try_result_from_json(json::parse(full.dump()));
  REQUIRE(back.ok());
  REQUIRE(scoring::to_json(back.value()).dump() == full.dump());
  // Resistance refused 0 of 1, capacitance excluded, current wrong 0 of 4, report 4 of 4: 4 of 9.
  REQUIRE(full["points"] == "4");
  REQUIRE(full["max"] == "9");
  REQUIRE(full["percent"] == "400/9");
  REQUIRE(full["percent_display"] == "44.4");
  REQUIRE(full["view"] == "full");
  REQUIRE(full["items"][0].contains("criteria"));
  REQUIRE(full.contains("plugins"));

  json view = scoring::candidate_view(r);
  REQUIRE(view["view"] == "candidate");
  REQUIRE_FALSE(view.contains("plugins"));
  for (const auto& i : view["items"]) {
    REQUIRE_FALSE(i.contains("criteria"));
    REQUIRE_FALSE(i.contains("feedback"));
  }
  for (const auto& reason : view["reasons"]) REQUIRE_FALSE(reason.contains("criterion"));
  REQUIRE(view["percent"] == "400/9");
  REQUIRE_FALSE(scoring::try_result_from_json(view).ok());
}
