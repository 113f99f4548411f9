// xAPI statements from results: each statement of every shipped sample cohort follows the rules of
// the xAPI 1.0.3 specification (Data, section 2.4, checked by xapi::check_statement), says what
// the result says, and is the same statement every time; and the checker itself catches each rule
// broken on its own.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "assay/catalog.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/scoring.hpp"
#include "assay/xapi.hpp"
#include "core/shipped_cohorts.hpp"

using namespace assay;
namespace fs = std::filesystem;
using json = nlohmann::json;
using Catch::Matchers::Contains;

namespace {

// The simple statement of the xAPI specification's own examples (Data, section 2.6), the
// reference every check starts from.
json valid() {
  return json::parse(R"({
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "timestamp": "2015-11-18T12:17:00+00:00",
    "actor": {"objectType": "Agent", "name": "Project Tin Can API", "mbox": "mailto:user@example.com"},
    "verb": {"id": "http://example.com/xapi/verbs#sent-a-statement", "display": {"en-US": "sent"}},
    "object": {"id": "http://example.com/xapi/activity/simplestatement",
               "definition": {"name": {"en-US": "simple statement"},
                              "description": {"en-US": "A simple Experience API statement."}}}
  })");
}

std::vector<std::string> broken(const std::function<void(json&)>& edit) {
  json s = valid();
  edit(s);
  return xapi::check_statement(s);
}

}  // namespace

TEST_CASE("name-based UUIDs are RFC 4122 version 5", "[xapi]") {
  // uuid5(NAMESPACE_DNS, "www.example.com") as Python's uuid module gives it.
  REQUIRE(xapi::uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com") == "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  REQUIRE(xapi::uuid_v5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "urn:assay:xapi") == "231d9e8f-2787-5f2d-ac7d-e621bc64f052");
  REQUIRE_THROWS(xapi::uuid_v5("not-a-uuid", "x"));
}

TEST_CASE("the statement checker accepts the specification's example and catches each rule broken", "[xapi]") {
  REQUIRE(xapi::check_statement(valid()).empty());
  for (const char* d : {"PT1H0M0S", "P1DT12H", "PT0.5S", "P3W", "PT37M30S"}) {
    CAPTURE(d);
    REQUIRE(broken([&](json& s) { s["result"] = {{"duration", d}}; }).empty());
  }
  REQUIRE(broken([](json& s) { s["timestamp"] = "2015-11-18T12:17:00.123Z"; }).empty());

  CHECK_THAT(broken([](json& s) { s.erase("actor"); })[0], Contains("actor: is required"));
  CHECK_THAT(broken([](json& s) { s.erase("verb"); })[0], Contains("verb: is required"));
  CHECK_THAT(broken([](json& s) { s["id"] = "12345"; })[0], Contains("id: must be a UUID"));
  CHECK_THAT(broken([](json& s) { s["actor"]["openid"] = "http://openid.example.org/1"; })[0],
             Contains("exactly one inverse functional identifier"));
  CHECK_THAT(broken([](json& s) { s["actor"].erase("mbox"); })[0], Contains("exactly one inverse functional identifier"));
  CHECK_THAT(broken([](json& s) { s["actor"]["mbox"] = "user@example.com"; })[0], Contains("mailto:"));
  CHECK_THAT(broken([](json& s) {
               s["actor"].erase("mbox");
               s["actor"]["account"] = {{"homePage", "careers.example.org"}, {"name", "c-1"}};
             })[0],
             Contains("homePage: must be an IRL"));
  CHECK_THAT(broken([](json& s) { s["verb"]["id"] = "sent"; })[0], Contains("verb.id: must be an IRI"));
  CHECK_THAT(broken([](json& s) { s["verb"]["display"] = {{"e", "sent"}}; })[0], Contains("language tag"));
  CHECK_THAT(broken([](json& s) { s["object"]["id"] = "simple statement"; })[0], Contains("object.id: must be an IRI"));
  CHECK_THAT(broken([](json& s) { s["result"] = {{"score", {{"scaled", 1.5}}}}; })[0], Contains("between -1 and 1"));
  CHECK_THAT(broken([](json& s) {
               s["result"] = {{"score", {{"raw", 11}, {"min", 0}, {"max", 10}}}};
             })[0],
             Contains("must not be above max"));
  CHECK_THAT(broken([](json& s) {
               s["result"] = {{"score", {{"min", 5}, {"max", 5}}}};
             })[0],
             Contains("min must be less than max"));
  CHECK_THAT(broken([](json& s) { s["result"] = {{"score", {{"raw", "7"}}}}; })[0], Contains("must be a number"));
  CHECK_THAT(broken([](json& s) { s["result"] = {{"success", "true"}}; })[0], Contains("true or false"));
  for (const char* d : {"PT", "P1H", "PT1D", "1H", "PT1.5M", "PTS"}) {
    CAPTURE(d);
    CHECK_THAT(broken([&](json& s) { s["result"] = {{"duration", d}}; })[0], Contains("ISO 8601 duration"));
  }
  CHECK_THAT(broken([](json& s) {
               s["context"] = {{"registration", "attempt-1"}};
             })[0],
             Contains("registration: must be a UUID"));
  CHECK_THAT(broken([](json& s) {
               s["context"] = {{"extensions", {{"level", "Competent"}}}};
             })[0],
             Contains("extension's key must be an IRI"));
  CHECK_THAT(broken([](json& s) {
               s["object"] = {{"objectType", "Agent"}, {"mbox", "mailto:a@example.com"}};
               s["context"] = {{"revision", "2"}};
             })[0],
             Contains("only when the object is an Activity"));
  CHECK_THAT(broken([](json& s) { s["timestamp"] = "2015-11-18T12:17:00"; })[0], Contains("time zone"));
  CHECK_THAT(broken([](json& s) { s["score"] = 5; })[0], Contains("not a property the specification defines"));
  CHECK_THAT(broken([](json& s) {
               s["context"] = {{"contextActivities", {{"parent", json::array({{{"id", "x y"}}})}}}};
             })[0],
             Contains("contextActivities.parent[0].id: must be an IRI"));
}

TEST_CASE("every shipped cohort's results become valid, faithful, repeatable xAPI statements", "[xapi]") {
  const xapi::Options options{"https://careers.example.org/", "", true};
  std::size_t checked = 0, items = 0;
  std::set<std::string> ids;
  std::set<std::string> verbs;
  assay_test::for_each_shipped_result([&](const scoring::ScoreResult& r, const delivery::Attempt& a) {
    auto statements = xapi::statements(r, a, options);
    CAPTURE(r.attempt_id, statements[0].dump());
    for (const auto& s : statements) {
      INFO(s.dump());
      REQUIRE(xapi::check_statement(s).empty());
      REQUIRE(ids.insert(s["id"].get<std::string>()).second);  // no two statements share an id
    }
    REQUIRE(xapi::statements(r, a, options) == statements);  // the same result, the same statements
    const json& s = statements[0];
    verbs.insert(s["verb"]["id"].get<std::string>());
    REQUIRE(s["verb"]["id"] == std::string("http://adlnet.gov/expapi/verbs/") + (r.outcome == scoring::Outcome::kPass ? "passed"
                                                                                 : r.outcome == scoring::Outcome::kFail
                                                                                     ? "failed"
                                                                                     : "completed"));
    REQUIRE(s["actor"]["account"]["name"] == r.candidate_id);
    REQUIRE(s["actor"]["account"]["homePage"] == "https://careers.example.org/");
    REQUIRE(s["object"]["id"] == "https://careers.example.org/assessments/" + r.assessment_id + "/" + r.assessment_version);
    REQUIRE(s["result"]["score"]["raw"].get<double>() == Approx(std::stod(r.points.to_rounded(6))));
    REQUIRE(s["result"]["score"]["max"].get<double>() == Approx(std::stod(r.max.to_rounded(6))));
    REQUIRE(s["result"]["score"]["scaled"].get<double>() == Approx(std::stod(r.percent.to_rounded(6)) / 100).margin(1e-6));
    REQUIRE(s["result"]["completion"] == a.submitted.has_value());
    if (a.started && a.submitted) {
      auto seconds = (*a.submitted - *a.started).count();
      std::string d = s["result"]["duration"];
      long long h = 0, m = 0, sec = 0;
      if (auto p = d.find('H'); p != std::string::npos) h = std::stoll(d.substr(2, p - 2));
      auto after_h = d.find('H') == std::string::npos ? 2 : d.find('H') + 1;
      if (auto p = d.find('M'); p != std::string::npos) m = std::stoll(d.substr(after_h, p - after_h));
      auto after_m = d.find('M') == std::string::npos ? after_h : d.find('M') + 1;
      if (auto p = d.find('S'); p != std::string::npos) sec = std::stoll(d.substr(after_m, p - after_m));
      REQUIRE(h * 3600 + m * 60 + sec == seconds);
    }
    REQUIRE(s["context"]["extensions"]["urn:assay:xapi:assessment-sha256"] == r.assessment_sha256);
    std::size_t counted = 0;
    for (const auto& it : r.items) counted += it.status == scoring::ItemStatus::kExcluded ? 0 : 1;
    REQUIRE(statements.size() == 1 + counted);
    for (std::size_t k = 1; k < statements.size(); ++k)
      REQUIRE(statements[k]["context"]["registration"] == s["context"]["registration"]);
    items += statements.size() - 1;
    ++checked;
  });
  REQUIRE(checked >= 1000);
  REQUIRE(items >= 10000);
  REQUIRE(verbs.size() >= 2);  // the cohorts hold passes and fails
}
