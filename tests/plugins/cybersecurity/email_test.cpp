// DMARC alignment (RFC 7489 §3.1) on Authentication-Results (RFC 8601), the heuristics, and the
// generator checked against the analysis over many seeds.
#include "email.hpp"

#include <catch2/catch.hpp>

using namespace assay::cyber::email;

namespace {

Policy policy(Alignment spf = Alignment::kRelaxed, Alignment dkim = Alignment::kRelaxed) {
  Policy p;
  p.organization_domain = "stmarys-hospital.org";
  p.aspf = spf;
  p.adkim = dkim;
  p.multi_label_suffixes = {"nhs.uk"};
  return p;
}

}  // namespace

TEST_CASE("organizational domains take the last two labels, or three under a listed suffix", "[cybersecurity][email]") {
  REQUIRE(organizational_domain("mail.stmarys-hospital.org", {}) == "stmarys-hospital.org");
  REQUIRE(organizational_domain("Mail.StMarys-Hospital.ORG", {}) == "stmarys-hospital.org");
  REQUIRE(organizational_domain("trust.nhs.uk", {"nhs.uk"}) == "trust.nhs.uk");
  REQUIRE(organizational_domain("mail.trust.nhs.uk", {"nhs.uk"}) == "trust.nhs.uk");
  REQUIRE(organizational_domain("mail.trust.nhs.uk", {}) == "nhs.uk");
}

TEST_CASE("DMARC passes only on an aligned passing identifier", "[cybersecurity][email]") {
  auto results = [](const char* text) {
    auto r = parse_auth_results(text);
    REQUIRE(r);
    return *r;
  };
  SECTION("a third party's DKIM and SPF pass, but DMARC fails") {
    auto r = results(
        "mx.stmarys-hospital.org; spf=pass smtp.mailfrom=bounce@mailercloud.example; dkim=pass header.d=mailercloud.example");
    REQUIRE(r.spf_domain == "mailercloud.example");
    REQUIRE_FALSE(dmarc_pass(r, "stmarys-hospital.org", policy()));
  }
  SECTION("a subdomain's DKIM aligns when relaxed, not when strict") {
    auto r = results("mx.stmarys-hospital.org; spf=fail smtp.mailfrom=x.example; dkim=pass header.d=mail.stmarys-hospital.org");
    REQUIRE(dmarc_pass(r, "stmarys-hospital.org", policy()));
    REQUIRE_FALSE(dmarc_pass(r, "stmarys-hospital.org", policy(Alignment::kRelaxed, Alignment::kStrict)));
  }
  SECTION("an aligned SPF pass is enough") {
    auto r = results("mx.stmarys-hospital.org; spf=pass smtp.mailfrom=stmarys-hospital.org; dkim=none");
    REQUIRE(dmarc_pass(r, "stmarys-hospital.org", policy(Alignment::kStrict)));
  }
  SECTION("an aligned identifier that did not pass is not enough") {
    auto r = results(
        "mx.stmarys-hospital.org; spf=softfail smtp.mailfrom=stmarys-hospital.org; dkim=fail header.d=stmarys-hospital.org");
    REQUIRE_FALSE(dmarc_pass(r, "stmarys-hospital.org", policy()));
  }
  SECTION("a header without an authserv-id is not read") {
    REQUIRE_FALSE(parse_auth_results("spf=pass smtp.mailfrom=a.example"));
  }
}

TEST_CASE("link text naming another host than the target is a mismatch", "[cybersecurity][email]") {
  REQUIRE(host_of("https://Portal.StMarys-Hospital.org/reset?x=1") == "portal.stmarys-hospital.org");
  REQUIRE(host_of("portal.stmarys-hospital.org/reset") == "portal.stmarys-hospital.org");
  REQUIRE(host_of("Click here") == "");
  Message m;
  m.from = "IT <it@stmarys-hospital.org>";
  m.authentication_results = "mx.stmarys-hospital.org; spf=pass smtp.mailfrom=stmarys-hospital.org";
  m.links = {{"Click here", "https://anywhere.example/"}};
  REQUIRE(analyse(m, policy()).empty());  // text that names no host cannot mismatch
  m.links.push_back({"https://portal.stmarys-hospital.org", "https://portal-login.example/"});
  REQUIRE(analyse(m, policy()) == std::vector<Indicator>{Indicator::kLinkMismatch});
}

TEST_CASE("lookalike senders are within the edit distance of the hospital's domain", "[cybersecurity][email]") {
  REQUIRE(edit_distance("stmarys-hospita1.org", "stmarys-hospital.org") == 1);
  REQUIRE(edit_distance("stmarsy-hospital.org", "stmarys-hospital.org") == 2);
  Message m;
  m.authentication_results = "mx.stmarys-hospital.org; spf=pass smtp.mailfrom=stmarys-hospita1.org";
  m.from = "IT <it@stmarys-hospita1.org>";
  REQUIRE(analyse(m, policy()) == std::vector<Indicator>{Indicator::kLookalikeSender});
  m.from = "IT <it@stmarys-hospital.org>";
  m.authentication_results = "mx.stmarys-hospital.org; spf=pass smtp.mailfrom=mail.stmarys-hospital.org";
  REQUIRE(analyse(m, policy()).empty());  // a subdomain of the real domain is not a lookalike
}

TEST_CASE("generated messages show exactly the injected indicators, over many seeds", "[cybersecurity][email]") {
  std::vector<std::vector<Indicator>> sets = {
      {},
      {Indicator::kDmarcFail},
      {Indicator::kReplyToMismatch},
      {Indicator::kLookalikeSender},
      {Indicator::kLinkMismatch},
      {Indicator::kDmarcFail, Indicator::kLookalikeSender},
      {Indicator::kDmarcFail, Indicator::kReplyToMismatch, Indicator::kLookalikeSender, Indicator::kLinkMismatch}};
  for (auto strict : {false, true}) {
    auto p = strict ? policy(Alignment::kStrict, Alignment::kStrict) : policy();
    for (const auto& inject : sets) {
      for (std::uint64_t seed = 1; seed <= 150; ++seed) {
        CAPTURE(strict, inject.size(), seed);
        auto m = generate(inject, p, seed);
        REQUIRE(analyse(m, p) == inject);  // inject lists are in indicators() order
      }
    }
  }
}
