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

TEST_CASE("phishing-triage: letting phishing through loses not-missed, suspecting a clean message does not",
          "[cybersecurity][phishing-triage][safety]") {
  auto phish = PhishingTriage::prepare({{"organization_domain", "stmarys-hospital.org"}, {"inject", {"dmarc-fail"}}});
  auto clean = PhishingTriage::prepare({{"organization_domain", "stmarys-hospital.org"}, {"inject", json::array()}});
  auto crit = PhishingTriage::criteria();
  REQUIRE(crit.size() == 4);
  CHECK(crit[3].id == "not-missed");
  CHECK(crit[3].safety);
  CHECK_FALSE(crit[1].safety);
  using assay::sdk::Credit;
  auto answer = [](const char* verdict, const char* action) {
    return json{{"indicators", json::array()}, {"verdict", {verdict}}, {"action", {action}}};
  };
  // Over-cautious: a clean message reported as phishing keeps the safety criterion, and
  // reporting it is an accepted action (reporting is never wrong for staff).
  auto c = clean.score(1, answer("phishing", "report"));
  CHECK(c[1] == Credit::none());
  CHECK(c[2] == Credit::full());
  CHECK(c[3] == Credit::full());
  // Unsafe: phishing called legitimate, or opened.
  CHECK(phish.score(1, answer("legitimate", "none"))[3] == Credit::none());
  CHECK(phish.score(1, answer("phishing", "open"))[3] == Credit::none());
  CHECK(phish.score(1, answer("phishing", "report"))[3] == Credit::full());
  CHECK(phish.score(1, json::object())[3] == Credit::full());  // nothing answered lets nothing through
  CHECK_THAT(phish.feedback(1, answer("legitimate", "none")), Catch::Matchers::Contains("the unsafe error"));
  CHECK_THAT(clean.feedback(1, answer("phishing", "report")), Catch::Matchers::Contains("over-cautious, not unsafe"));
}

TEST_CASE("feedback explains every wrong action chosen, naming the actions by their text", "[cybersecurity][phishing-triage]") {
  auto phish = PhishingTriage::prepare({{"organization_domain", "stmarys-hospital.org"}, {"inject", {"lookalike-sender"}}});
  auto clean = PhishingTriage::prepare({{"organization_domain", "stmarys-hospital.org"}, {"inject", json::array()}});
  auto answer = [](const char* verdict, const char* action) {
    return json{{"indicators", json::array()}, {"verdict", {verdict}}, {"action", {action}}};
  };
  auto [action, why] = GENERATE(table<std::string, std::string>({{"verify", "a reply goes to the sender"},
                                                                 {"open", "a private window does not protect you"},
                                                                 {"none", "reporting lets the security team block it"}}));
  CAPTURE(action);
  std::string fb = phish.feedback(1, answer("phishing", action.c_str()));
  CHECK_THAT(fb, Catch::Matchers::Contains(
                     "the hospital's policy for a phishing message is \"Report it with the phishing-report button"));
  CHECK_THAT(fb, Catch::Matchers::Contains(why));
  CHECK_THAT(fb, !Catch::Matchers::Contains("\"" + action + "\""));  // options by text, never by id
  CHECK_THAT(phish.feedback(1, answer("phishing", "report")), Catch::Matchers::Contains("action: you chose \"Report it"));
  CHECK_THAT(clean.feedback(1, answer("phishing", "report")),
             Catch::Matchers::Contains("accepted, reporting a message you doubt"));
  CHECK_THAT(clean.feedback(1, answer("legitimate", "open")),
             Catch::Matchers::Contains("the hospital's policy for a legitimate message is \"No action: it is legitimate\""));
}

TEST_CASE("a generated message without indicators is an ordinary notice, not a credential lure",
          "[cybersecurity][phishing-triage]") {
  // SPF, DKIM and DMARC passing say where mail came from, not that it is safe: a lure keyed
  // "legitimate" would teach the wrong lesson.
  auto clean = PhishingTriage::prepare({{"organization_domain", "stmarys-hospital.org"}, {"inject", json::array()}});
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    CAPTURE(seed);
    auto m = clean.message(seed);
    CHECK(m.body.find("confirm your account") == std::string::npos);
    CHECK(m.body.find("24 hours") == std::string::npos);
    CHECK(m.subject.find("suspended") == std::string::npos);
    CHECK(m.subject.find("password") == std::string::npos);
    CHECK(m.body.find("No action is needed") != std::string::npos);
  }
}
