#include <fmt/format.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include <random>

#include "assay/stats.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::VectorContains;
namespace stats = assay::stats;
namespace scoring = assay::scoring;

namespace {

bool flagged(const stats::ItemStats& item, const std::string& flag) {
  return std::find(item.flags.begin(), item.flags.end(), flag) != item.flags.end();
}

// A cohort answering `items` four-option single-choice items ("a" to "d"; "a" is right) by the
// Rasch model, with difficulties spread from -1.5 to 1.5; a wrong answer is one of the three
// others at random. Scored by `key` per item: an item whose key is not "a" is miskeyed.
std::vector<scoring::ScoreResult> cohort(std::size_t persons, const std::vector<std::string>& key, unsigned seed,
                                         double decoy_share = 1.0 / 3) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> ability(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<scoring::ScoreResult> out;
  const std::size_t k = key.size();
  for (std::size_t p = 0; p < persons; ++p) {
    scoring::ScoreResult r;
    r.candidate_id = "c" + std::to_string(p);
    r.assessment_id = "synthetic";
    r.pass_percent = 60;
    const double theta = ability(rng);
    for (std::size_t i = 0; i < k; ++i) {
      const double b = -1.5 + 3.0 * static_cast<double>(i) / static_cast<double>(k - 1);
      std::string chosen = "a";
      if (u(rng) >= 1 / (1 + std::exp(b - theta))) {
        // "d" draws decoy_share of wrong answers, "b" and "c" the rest evenly.
        const double v = u(rng);
        chosen = v < decoy_share ? "d" : (v < (1 + decoy_share) / 2 ? "b" : "c");
      }
      scoring::ItemResult it;
      it.id = "q" + std::to_string(i);
      it.response = R"({"answer":[")" + chosen + R"("]})";
      it.max = 1;
      it.points = chosen == key[i] ? 1 : 0;
      r.items.push_back(it);
    }
    out.push_back(r);
  }
  return out;
}

stats::Analysis analyse(const std::vector<scoring::ScoreResult>& results, stats::Options options = {}) {
  std::vector<const scoring::ScoreResult*> ptrs;
  for (const auto& r : results) ptrs.push_back(&r);
  return stats::analyse(stats::results_matrix(ptrs), options);
}

}  // namespace

TEST_CASE("an item whose key was swapped is flagged as a possible miskey, and no other", "[stats][distractors]") {
  std::vector<std::string> key(12, "a");
  key[5] = "c";  // the item's right answer is "a"; it is scored as if "c" were
  auto an = analyse(cohort(600, key, 42));
  for (std::size_t i = 0; i < key.size(); ++i) {
    CAPTURE(an.items[i].id, an.items[i].flags);
    CHECK(flagged(an.items[i], "possible_miskey") == (i == 5));
  }
  const auto& options = an.items[5].options;
  REQUIRE(options.size() == 4);
  auto key_option = std::find_if(options.begin(), options.end(), [](const auto& o) { return o.key; });
  REQUIRE(key_option != options.end());
  CHECK(key_option->id == "c");  // the key is what earns the points
  CHECK(flagged(an.items[5], "negative_discrimination"));
}

TEST_CASE("a distractor almost no one chooses is non-functioning", "[stats][distractors]") {
  std::vector<std::string> key(8, "a");
  auto an = analyse(cohort(800, key, 5, 0.01));
  const auto& item = an.items[6];  // a hard item: many wrong answers, "d" among 1 % of them
  CHECK(flagged(item, "non_functioning_distractor"));
  auto d = std::find_if(item.options.begin(), item.options.end(), [](const auto& o) { return o.id == "d"; });
  REQUIRE(d != item.options.end());
  CHECK_FALSE(d->functioning);
  CHECK(d->share < 0.05);
}

TEST_CASE("items seen by fewer than the minimum are too few to judge and get no figures", "[stats][flags]") {
  auto an = analyse(cohort(29, std::vector<std::string>(5, "a"), 1));
  for (const auto& item : an.items) {
    CHECK(item.n == 29);
    CHECK_FALSE(item.judged);
    CHECK_FALSE(item.facility);
    CHECK_FALSE(item.r_it);
    CHECK_FALSE(item.discrimination);
    CHECK(item.flags == std::vector<std::string>{"too_few_to_judge"});
  }
  CHECK_FALSE(an.reliability.alpha);
  stats::Options lower;
  lower.min_n = 20;
  CHECK(analyse(cohort(29, std::vector<std::string>(5, "a"), 1), lower).items[0].facility);
}

TEST_CASE("too easy and too hard items are flagged by their facility", "[stats][flags]") {
  // Three columns: everyone right but one in 20; half right; one in ten right.
  std::string csv = "easy,mid,hard\n";
  for (int p = 0; p < 100; ++p) csv += fmt::format("{},{},{}\n", p % 20 ? 1 : 0, p % 2, p % 10 == 0 ? 1 : 0);
  auto m = stats::try_read_matrix("m.csv", csv);
  REQUIRE(m.ok());
  auto an = stats::analyse(*m, {});
  CHECK(*an.items[0].facility == Approx(0.95));
  CHECK(flagged(an.items[0], "too_easy"));
  CHECK_FALSE(flagged(an.items[1], "too_easy"));
  CHECK_FALSE(flagged(an.items[1], "too_hard"));
  CHECK(flagged(an.items[2], "too_hard"));
}

TEST_CASE("pooled forms give no alpha and say why; the Rasch model gives a reliability", "[stats][reliability]") {
  auto results = cohort(400, std::vector<std::string>(10, "a"), 9);
  for (std::size_t p = 0; p < results.size(); ++p)  // each person sees 7 of the 10 items
    for (std::size_t drop = 0; drop < 3; ++drop)
      results[p].items.erase(results[p].items.begin() + static_cast<long>((p + drop * 3) % results[p].items.size()));
  stats::Options options;
  options.model = stats::Model::kRasch;
  auto an = analyse(results, options);
  CHECK_FALSE(an.complete);
  CHECK_FALSE(an.reliability.alpha);
  CHECK_THAT(an.reliability.note, Contains("pooled forms"));
  REQUIRE(an.reliability.person_separation);
  CHECK(*an.reliability.person_separation > 0);
  for (const auto& item : an.items) {
    CHECK(item.n < 400);
    CHECK(item.facility);
    CHECK(item.model);
  }
}

TEST_CASE("stats v1 JSON uses the documented member names", "[stats][json]") {
  stats::Options options;
  options.model = stats::Model::kRasch;
  auto an = analyse(cohort(300, std::vector<std::string>(6, "a"), 3), options);
  CHECK_FALSE(stats::to_json(an).contains("person_estimates"));  // only when asked for
  auto j = stats::to_json(an, true);
  for (const char* key : {"alpha", "alpha_ci", "sem", "csem_at_cut", "decision_consistency", "model", "converged", "items"}) {
    CAPTURE(key);
    CHECK(j.contains(key));
  }
  CHECK(j.at("model") == "rasch");
  CHECK(j.at("converged") == true);
  CHECK(j.at("csem_method") == "lord-binomial");
  CHECK(j.at("decision_consistency_method") == "subkoviak-1976");
  for (const char* key : {"id", "n", "facility", "r_it", "discrimination", "alpha_if_deleted", "flags", "b", "se_b", "a", "se_a",
                          "infit", "outfit", "options"}) {
    CAPTURE(key);
    CHECK(j.at("items")[0].contains(key));
  }
  CHECK(j.at("items")[0].at("a").is_null());
  // Each person's WLE and EAP, with the EAP's prior.
  REQUIRE(j.at("person_estimates").size() == 300);
  const auto& person = j.at("person_estimates")[0];
  for (const char* key : {"id", "wle", "se_wle", "eap", "se_eap"}) {
    CAPTURE(key);
    CHECK_FALSE(person.at(key).is_null());
  }
  CHECK(person.at("id").is_string());
  CHECK(j.at("eap_prior").at("sd").get<double>() > 0);
}

TEST_CASE("stats v1 JSON gives 2PL persons their EAP and no WLE", "[stats][json][2pl]") {
  stats::Options options;
  options.model = stats::Model::k2pl;
  auto j = stats::to_json(analyse(cohort(300, std::vector<std::string>(6, "a"), 3), options), true);
  REQUIRE(j.at("person_estimates").size() == 300);
  CHECK(j.at("person_estimates")[0].at("wle").is_null());
  CHECK(j.at("person_estimates")[0].at("eap").is_number());
  CHECK(j.at("eap_prior") == nlohmann::json({{"mean", 0.0}, {"sd", 1.0}}));
  options.model = stats::Model::kNone;
  auto none = stats::to_json(analyse(cohort(300, std::vector<std::string>(6, "a"), 3), options), true);
  CHECK(none.at("person_estimates").empty());
  CHECK(none.at("eap_prior").is_null());
}

TEST_CASE("criteria of a performance task get their own figures against the rest without the task", "[stats][criteria]") {
  // Ten one-point items by ability, and a task with three criteria: "method" by ability, "units"
  // earned by everyone, "report" rated and awaiting a rating for every fourth candidate, whose
  // task is then pending and counts for none of its criteria.
  std::mt19937 rng(8);
  std::normal_distribution<double> ability(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<scoring::ScoreResult> results;
  for (int p = 0; p < 400; ++p) {
    scoring::ScoreResult r;
    r.candidate_id = "c" + std::to_string(p);
    const double theta = ability(rng);
    for (int i = 0; i < 10; ++i) {
      scoring::ItemResult it;
      it.id = "q" + std::to_string(i);
      it.max = 1;
      it.points = u(rng) < 1 / (1 + std::exp(-theta)) ? 1 : 0;
      it.criteria.push_back({"correct", 1, false, false, assay::Fraction(it.points), "", it.points});
      r.items.push_back(it);
    }
    scoring::ItemResult task;
    task.id = "task";
    const bool method = u(rng) < 1 / (1 + std::exp(-theta));
    task.criteria.push_back({"method", 2, false, false, assay::Fraction(method ? 1 : 0), "", method ? 2 : 0});
    task.criteria.push_back({"units", 1, false, false, assay::Fraction(1), "", 1});
    if (p % 4)
      task.criteria.push_back({"report", 1, false, true, assay::Fraction(1, 2), "fair", assay::Fraction(1, 2)});
    else
      task.criteria.push_back({"report", 1, false, true, std::nullopt, "", 0});
    task.max = 4;
    task.pending = p % 4 == 0;  // as scoring marks an item with a rating to come
    task.points = (method ? 2 : 0) + 1 + (p % 4 ? assay::Fraction(1, 2) : assay::Fraction(0));
    r.items.push_back(task);
    results.push_back(r);
  }
  auto an = analyse(results);
  REQUIRE(an.criteria.size() == 3);  // one-criterion items have no criterion rows
  const auto& method = an.criteria[0];
  CHECK(method.item == "task");
  CHECK(method.id == "method");
  CHECK(method.n == 300);
  CHECK(method.max == 2);
  CHECK(*method.r_it > 0.3);
  CHECK(*method.discrimination > 0.3);
  const auto& units = an.criteria[1];
  CHECK(*units.facility == Approx(1));
  CHECK(units.flags == std::vector<std::string>{"too_easy"});
  CHECK_FALSE(units.r_it);  // no variance: no correlation
  const auto& report = an.criteria[2];
  CHECK(report.n == 300);
  CHECK(*report.facility == Approx(0.5));
  auto j = stats::to_json(an);
  CHECK(j.at("criteria")[0].at("id") == "method");
}
