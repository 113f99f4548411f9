// CIDR parsing, the rule grammar and first-match replay with default deny.
#include "firewall.hpp"

#include <catch2/catch.hpp>

using namespace assay::cyber::firewall;

namespace {

const std::map<std::string, Cidr> kNets = {
    {"modalities", {0x0A140600, 24}}, {"pacs", {0x0A141E00, 24}}, {"guest-wifi", {0xAC100000, 16}}};

std::vector<Rule> rules(const std::string& text) {
  std::string error;
  auto r = try_parse_rules(text, kNets, &error);
  INFO(error);
  REQUIRE(r);
  return *r;
}

Flow flow(Proto p, const char* from, const char* to, int port) { return {p, *try_parse_ip(from), *try_parse_ip(to), port}; }

}  // namespace

TEST_CASE("CIDR blocks parse and contain their hosts", "[cybersecurity][firewall]") {
  std::string error;
  auto c = try_parse_cidr("10.20.6.0/24", &error);
  REQUIRE(c);
  REQUIRE(c->contains(*try_parse_ip("10.20.6.255")));
  REQUIRE_FALSE(c->contains(*try_parse_ip("10.20.7.0")));
  REQUIRE(try_parse_cidr("0.0.0.0/0", &error)->contains(*try_parse_ip("8.8.8.8")));
  REQUIRE(try_parse_cidr("10.20.30.5", &error)->prefix == 32);
}

TEST_CASE("invalid CIDR blocks are refused saying why", "[cybersecurity][firewall]") {
  auto [text, message] = GENERATE(table<std::string, std::string>({
      {"10.20.300.0/24", "invalid CIDR '10.20.300.0/24': octet 300 is out of 0-255"},
      {"10.20.6.0/33", "invalid CIDR '10.20.6.0/33': prefix length 33 is out of 0-32"},
      {"10.20.6.5/24", "invalid CIDR '10.20.6.5/24': host bits are set (the network is 10.20.6.0/24)"},
      {"10.20.6/24", "invalid CIDR '10.20.6/24': expected four numbers separated by dots"},
      {"10.20.6.0/", "invalid CIDR '10.20.6.0/': expected a prefix length 0-32"},
      {"10.20.6.0.1/8", "invalid CIDR '10.20.6.0.1/8': expected four numbers separated by dots"},
  }));
  CAPTURE(text);
  std::string error;
  REQUIRE_FALSE(try_parse_cidr(text, &error));
  REQUIRE(error == message);
}

TEST_CASE("the first matching rule decides and no match is a deny", "[cybersecurity][firewall]") {
  auto r = rules(
      "# DICOM from the modalities only\n"
      "allow tcp from modalities to pacs port 104\n"
      "deny any from guest-wifi to any\n"
      "allow tcp from any to pacs port 11112\n");
  SECTION("a flow the first rule opens") { REQUIRE(allows(r, flow(Proto::kTcp, "10.20.6.15", "10.20.30.10", 104))); }
  SECTION("an earlier deny beats a later allow") {
    REQUIRE(first_match(r, flow(Proto::kTcp, "172.16.4.9", "10.20.30.10", 11112)) == 1u);
    REQUIRE_FALSE(allows(r, flow(Proto::kTcp, "172.16.4.9", "10.20.30.10", 11112)));
  }
  SECTION("protocol and port must both match") {
    REQUIRE_FALSE(allows(r, flow(Proto::kUdp, "10.20.6.15", "10.20.30.10", 104)));
    REQUIRE_FALSE(allows(r, flow(Proto::kTcp, "10.20.6.15", "10.20.30.10", 445)));
  }
  SECTION("what no rule matches is denied by default") {
    REQUIRE_FALSE(first_match(r, flow(Proto::kTcp, "10.20.6.15", "10.20.40.10", 443)));
    REQUIRE_FALSE(allows(r, flow(Proto::kTcp, "10.20.6.15", "10.20.40.10", 443)));
  }
  SECTION("an empty rule set denies everything") {
    REQUIRE_FALSE(allows({}, flow(Proto::kTcp, "10.20.6.15", "10.20.30.10", 104)));
  }
  SECTION("port ranges include both ends") {
    auto range = rules("allow tcp from any to any port 2762-2763");
    REQUIRE(allows(range, flow(Proto::kTcp, "1.2.3.4", "5.6.7.8", 2762)));
    REQUIRE(allows(range, flow(Proto::kTcp, "1.2.3.4", "5.6.7.8", 2763)));
    REQUIRE_FALSE(allows(range, flow(Proto::kTcp, "1.2.3.4", "5.6.7.8", 2764)));
  }
}

TEST_CASE("malformed rules are refused with their line", "[cybersecurity][firewall]") {
  auto [text, message] = GENERATE(table<std::string, std::string>({
      {"permit tcp from any to any", "line 1: expected 'allow' or 'deny', found 'permit'"},
      {"# comment\nallow icmp from any to any", "line 2: expected a protocol (tcp, udp, any), found 'icmp'"},
      {"allow tcp to any", "line 1: expected 'from', found 'to'"},
      {"allow tcp from pcas to any", "line 1: unknown network 'pcas'"},
      {"allow tcp from 10.20.6.0/33 to any", "line 1: invalid CIDR '10.20.6.0/33': prefix length 33 is out of 0-32"},
      {"allow any from any to any port 104", "line 1: a port needs a protocol: write tcp or udp instead of any"},
      {"allow tcp from any to any port 70000", "line 1: expected a port 1-65535 or a range n-m, found '70000'"},
      {"allow tcp from any to any dport 104", "line 1: expected 'port' or the end of the rule, found 'dport'"},
  }));
  CAPTURE(text);
  std::string error;
  REQUIRE_FALSE(try_parse_rules(text, kNets, &error));
  REQUIRE(error == message);
}
