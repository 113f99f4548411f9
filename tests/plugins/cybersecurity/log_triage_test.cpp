#include "log_triage.hpp"

#include <catch2/catch.hpp>

#include "item_checks.hpp"

using assay::cyber::LogTriage;
using assay::sdk::json;
using Catch::Matchers::Equals;

TEST_CASE("log-triage examples score as declared and survive a key flip", "[cybersecurity][log-triage]") {
  cyber_test::check_examples<LogTriage>();
}

TEST_CASE("log-triage refuses bad params at their key path", "[cybersecurity][log-triage]") {
  auto [params, pointer, message] = GENERATE(table<std::string, std::string, std::string>({
      {R"({"patterns": ["brute-force", "golden-ticket"]})", "/patterns/1",
       "unknown attack pattern 'golden-ticket' (expected one of 'password-spraying', 'brute-force', 'pass-the-hash', "
       "'audit-log-cleared', 'new-local-admin')"},
      {R"({"patterns": ["brute-force", "brute-force"]})", "/patterns/1", "attack pattern 'brute-force' is listed twice"},
      {R"({"patterns": [], "thresholds": {"window_seconds": 5}})", "/thresholds/window_seconds",
       "expected an integer from 60 to 3600, found 5"},
      {R"({"patterns": [], "thresholds": {"brute_force_failures": 2}})", "/thresholds/brute_force_failures",
       "expected an integer from 5 to 100, found 2"},
      {R"({"patterns": [], "background_events": {"min": 50, "max": 10}})", "/background_events/max",
       "expected an integer from min to 400, found 10"},
      {R"({"log": "2026-03-02T08:00:00Z DC01 4625"})", "/log", "line 1: expected EventID=<id> after the host, found '4625'"},
      {R"({"log": "2026-03-02T08:00:00Z DC01 EventID=1102", "patterns": []})", "/patterns",
       "give either 'log' or 'patterns', not both"},
      {R"({})", "", "missing required key 'patterns' (or 'log' for an author's log)"},
  }));
  CAPTURE(params);
  std::string at = "unset";
  REQUIRE_THAT(cyber_test::prepare_error<LogTriage>(json::parse(params), &at), Equals(message));
  REQUIRE(at == pointer);
}

TEST_CASE("log-triage presentations list every line and never the key", "[cybersecurity][log-triage]") {
  auto item = LogTriage::prepare({{"patterns", {"brute-force", "new-local-admin", "pass-the-hash"}}});
  auto benign = LogTriage::prepare({{"patterns", json::array()}});
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    CAPTURE(seed);
    auto shown = item.present(seed);
    auto k = item.key(seed);
    auto events = item.log(seed);
    REQUIRE(shown["material"][1]["lines"].size() == events.size());
    for (const auto& id : k.lines) {
      auto index = std::stoul(id.substr(1)) - 1;
      REQUIRE(index < events.size());
    }
    REQUIRE(k.techniques == std::set<std::string>{"T1110.001", "T1136.001"});
    auto text = shown.dump();
    for (auto word : {"brute-force", "new-local-admin", "pass-the-hash"}) REQUIRE(text.find(word) == std::string::npos);
    // The technique options do not depend on what was injected.
    auto options = [](const json& p) {
      std::set<std::string> ids;
      for (const auto& o : p["interactions"][1]["options"]) ids.insert(o["id"].get<std::string>());
      return ids;
    };
    REQUIRE(options(shown) == options(benign.present(seed)));
    REQUIRE(cyber_test::all_full(item.score(seed, item.solve(seed))));
    REQUIRE(item.present(seed) == shown);
    REQUIRE(benign.key(seed).lines.empty());
  }
}

TEST_CASE("log-triage gives no credit for selecting every line", "[cybersecurity][log-triage]") {
  auto item = LogTriage::prepare({{"patterns", {"audit-log-cleared"}}, {"ask_technique", false}});
  auto events = item.log(9);
  json all = json::array();
  for (std::size_t i = 0; i < events.size(); ++i) all.push_back("l" + std::to_string(i + 1));
  auto credits = item.score(9, {{"lines", all}});
  REQUIRE(credits[0] == assay::sdk::Credit::none());
  REQUIRE(credits[1] == assay::sdk::Credit::full());
  // Over-cautious, but no attack line is missed: the safety criterion is kept.
  REQUIRE(LogTriage::criteria()[2].id == "none-missed");
  REQUIRE(LogTriage::criteria()[2].safety);
  REQUIRE(credits[2] == assay::sdk::Credit::full());
  // Nothing selected misses the attack: the unsafe error.
  REQUIRE(item.score(9, {{"lines", json::array()}})[2] == assay::sdk::Credit::none());
  REQUIRE_THAT(item.feedback(9, {{"lines", all}}), Catch::Matchers::Contains("(over-cautious, not unsafe)"));
  REQUIRE_THAT(item.feedback(9, {{"lines", json::array()}}), Catch::Matchers::Contains("the unsafe error"));
}

TEST_CASE("log-triage feedback explains lines selected wrongly, lines missed and techniques by their text",
          "[cybersecurity][log-triage][feedback]") {
  auto ex = LogTriage::examples()[0];  // brute force on l2-l6 (5 in 300 s), pass-the-hash indicator on l7
  auto item = LogTriage::prepare(ex.params);
  using Catch::Matchers::Contains;
  auto wrong = item.feedback(ex.seed, {{"lines", {"l2", "l3", "l4", "l5", "l6", "l7", "l8"}}, {"technique", {"T1110.003"}}});
  CHECK_THAT(wrong, Contains("selected, but not part of an attack (over-cautious, not unsafe):\n  l8: an anonymous network "
                             "logon, which the pass-the-hash indicator excludes\n"));
  CHECK_THAT(wrong, Contains("you named T1110.003 Brute Force: Password Spraying, which this log does not show: it would take "
                             "failed logons (4625) for 6 or more accounts from one network source within 300 seconds"));
  CHECK_THAT(wrong, Contains("T1110.001 Brute Force: Password Guessing was not named: lines l2, l3, l4, l5, l6 show it"));
  auto missed = item.feedback(ex.seed, {{"lines", {"l2", "l3", "l4", "l5", "l7"}}, {"technique", {"T1110.001"}}});
  CHECK_THAT(missed, Contains("missed l6 (the unsafe error: an attack's trace left unreported)"));
  CHECK_THAT(missed, Contains("why these lines: failed logons (4625) against one account, 5 or more within 300 seconds"));
  auto mistype = item.feedback(ex.seed, {{"lines", {"l2", "l3", "l4", "l5", "l6", "l7", "l9"}}, {"technique", {"T1110.001"}}});
  CHECK_THAT(mistype, Contains("  l9: a failed logon for jsmith that is not part of enough failures"));
}
