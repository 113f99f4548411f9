#include "phishing_triage.hpp"

#include <catch2/catch.hpp>

#include "item_checks.hpp"

using assay::cyber::PhishingTriage;
using assay::sdk::json;
using Catch::Matchers::Equals;

TEST_CASE("phishing-triage examples score as declared and survive a key flip", "[cybersecurity][phishing-triage]") {
  cyber_test::check_examples<PhishingTriage>();
}

TEST_CASE("phishing-triage refuses bad params at their key path", "[cybersecurity][phishing-triage]") {
  auto [params, pointer, message] = GENERATE(table<std::string, std::string, std::string>({
      {R"({"organization_domain": "stmarys-hospital.org", "inject": ["typosquat"]})", "/inject/0",
       "unknown indicator 'typosquat' (expected one of 'dmarc-fail', 'reply-to-mismatch', 'lookalike-sender', 'link-mismatch')"},
      {R"({"organization_domain": "St Marys", "inject": []})", "/organization_domain",
       "expected a domain name like \"stmarys-hospital.org\", found \"St Marys\""},
      {R"({"organization_domain": "stmarys-hospital.org", "inject": [], "alignment": {"spf": "loose"}})", "/alignment/spf",
       "expected one of 'relaxed', 'strict', found \"loose\""},
      {R"({"organization_domain": "stmarys-hospital.org", "message": {"from": "it@stmarys-hospital.org", "authentication_results": "spf=pass", "body": "b"}})",
       "/message/authentication_results", "expected \"authserv-id; method=result property=value; ...\" (RFC 8601)"},
      {R"({"organization_domain": "stmarys-hospital.org", "inject": [], "action_if_phishing": "panic"})", "/action_if_phishing",
       "action_if_phishing: no action has the id 'panic'"},
  }));
  CAPTURE(params);
  std::string at = "unset";
  REQUIRE_THAT(cyber_test::prepare_error<PhishingTriage>(json::parse(params), &at), Equals(message));
  REQUIRE(at == pointer);
}

TEST_CASE("phishing-triage keys follow the generated message across seeds", "[cybersecurity][phishing-triage]") {
  auto phish =
      PhishingTriage::prepare({{"organization_domain", "stmarys-hospital.org"}, {"inject", {"dmarc-fail", "reply-to-mismatch"}}});
  auto clean = PhishingTriage::prepare({{"organization_domain", "stmarys-hospital.org"}, {"inject", json::array()}});
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    CAPTURE(seed);
    REQUIRE(phish.key(seed).size() == 2);
    REQUIRE(clean.key(seed).empty());
    auto shown = phish.present(seed).dump();
    REQUIRE(shown.find("dmarc=") == std::string::npos);  // the candidate evaluates alignment
    REQUIRE(shown.find(phish.message(seed).reply_to) != std::string::npos);
    REQUIRE(cyber_test::all_full(phish.score(seed, phish.solve(seed))));
    REQUIRE(cyber_test::all_full(clean.score(seed, clean.solve(seed))));
    REQUIRE(clean.solve(seed)["verdict"] == json{"legitimate"});
    REQUIRE(phish.present(seed).dump() == shown);
  }
}
