// Detection rules on hand-written logs, and the generator checked against them over many seeds.
#include "winlog.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <utility>

#include "../sdk/seed_count.hpp"

using namespace assay::cyber::winlog;

namespace {

std::vector<Event> parse(const std::string& text) {
  std::string error;
  auto log = try_parse_log(text, &error);
  INFO(error);
  REQUIRE(log);
  return *log;
}

std::string fail_line(const std::string& time, const std::string& user, const std::string& ip) {
  return time + " DC01 EventID=4625 TargetUserName=" + user + " TargetDomainName=HOSP LogonType=3 IpAddress=" + ip +
         " Status=0xC000006D SubStatus=0xC000006A\n";
}

std::vector<std::size_t> lines_of(const std::vector<Finding>& findings, Pattern p) {
  for (const auto& f : findings) {
    if (f.pattern == p) return f.lines;
  }
  return {};
}

}  // namespace

TEST_CASE("times read and print as UTC ISO 8601", "[cybersecurity][winlog]") {
  REQUIRE(parse_time("1970-01-01T00:00:00Z") == 0);
  REQUIRE(parse_time("2026-03-02T09:14:07Z") == 1772442847);  // date -u -d 2026-03-02T09:14:07Z +%s
  REQUIRE(format_time(1772442847) == "2026-03-02T09:14:07Z");
  REQUIRE_FALSE(parse_time("2026-13-02T09:14:07Z"));
  REQUIRE_FALSE(parse_time("2026-03-02 09:14:07"));
}

TEST_CASE("brute force needs the threshold of failures on one account inside the window", "[cybersecurity][winlog]") {
  Thresholds t{5, 6, 300};
  std::string log;
  for (auto s : {"10", "20", "30", "40"})
    log += fail_line(std::string("2026-03-02T08:01:") + s + "Z", "pacs.admin", "10.30.7.44");
  SECTION("four failures are not enough") { REQUIRE(detect(parse(log), t).empty()); }
  SECTION("a fifth inside the window is") {
    auto found = detect(parse(log + fail_line("2026-03-02T08:05:59Z", "pacs.admin", "10.30.7.44")), t);
    REQUIRE(lines_of(found, Pattern::kBruteForce) == std::vector<std::size_t>{0, 1, 2, 3, 4});
  }
  SECTION("a fifth outside the window is not") {
    REQUIRE(detect(parse(log + fail_line("2026-03-02T08:06:11Z", "pacs.admin", "10.30.7.44")), t).empty());
  }
  SECTION("account names compare case-insensitively, as Windows does") {
    auto found = detect(parse(log + fail_line("2026-03-02T08:02:00Z", "PACS.Admin", "10.30.7.44")), t);
    REQUIRE(lines_of(found, Pattern::kBruteForce).size() == 5);
  }
}

TEST_CASE("password spraying counts distinct accounts from one network source", "[cybersecurity][winlog]") {
  Thresholds t{10, 3, 600};
  std::string three = fail_line("2026-03-02T08:00:00Z", "jsmith", "10.30.9.201") +
                      fail_line("2026-03-02T08:01:00Z", "akhan", "10.30.9.201") +
                      fail_line("2026-03-02T08:02:00Z", "lchen", "10.30.9.201");
  REQUIRE(lines_of(detect(parse(three), t), Pattern::kPasswordSpraying) == std::vector<std::size_t>{0, 1, 2});
  SECTION("the same accounts from the console are not a network source") {
    std::string local = fail_line("2026-03-02T08:00:00Z", "jsmith", "127.0.0.1") +
                        fail_line("2026-03-02T08:01:00Z", "akhan", "127.0.0.1") + fail_line("2026-03-02T08:02:00Z", "lchen", "-");
    REQUIRE(detect(parse(local), t).empty());
  }
  SECTION("repeats of one account from one source are not spraying") {
    std::string repeats = fail_line("2026-03-02T08:00:00Z", "jsmith", "10.30.9.201") +
                          fail_line("2026-03-02T08:01:00Z", "jsmith", "10.30.9.201") +
                          fail_line("2026-03-02T08:02:00Z", "akhan", "10.30.9.201");
    REQUIRE(detect(parse(repeats), t).empty());
  }
}

TEST_CASE("pass-the-hash indicators follow CAR-2016-04-004", "[cybersecurity][winlog]") {
  auto log = parse(
      "2026-03-02T08:05:00Z FILE01 EventID=4624 TargetUserName=Administrator TargetDomainName=FILE01 LogonType=3 "
      "IpAddress=10.20.4.14 AuthenticationPackageName=NTLM\n"
      "2026-03-02T08:06:00Z FILE01 EventID=4624 TargetUserName=\"ANONYMOUS LOGON\" TargetDomainName=FILE01 LogonType=3 "
      "IpAddress=10.20.4.14 AuthenticationPackageName=NTLM\n"
      "2026-03-02T08:07:00Z FILE01 EventID=4624 TargetUserName=jsmith TargetDomainName=HOSP LogonType=3 "
      "IpAddress=10.20.4.14 AuthenticationPackageName=NTLM\n"
      "2026-03-02T08:08:00Z FILE01 EventID=4624 TargetUserName=Administrator TargetDomainName=FILE01 LogonType=3 "
      "IpAddress=10.20.4.14 AuthenticationPackageName=Kerberos\n"
      "2026-03-02T08:09:00Z FILE01 EventID=4624 TargetUserName=Administrator TargetDomainName=FILE01 LogonType=2 "
      "IpAddress=127.0.0.1 AuthenticationPackageName=NTLM\n");
  // Only the first: the others are anonymous, a domain logon, Kerberos, and interactive.
  REQUIRE(lines_of(detect(log, {}), Pattern::kPassTheHash) == std::vector<std::size_t>{0});
}

TEST_CASE("a cleared audit log and a new local administrator are found", "[cybersecurity][winlog]") {
  auto log = parse(
      "2026-03-02T08:00:00Z PACS01 EventID=4720 TargetUserName=supp0rt TargetDomainName=PACS01 SubjectUserName=Administrator\n"
      "2026-03-02T08:01:00Z DC01 EventID=4720 TargetUserName=new.jsmith TargetDomainName=HOSP SubjectUserName=adm.tbrown\n"
      "2026-03-02T08:02:00Z DC01 EventID=4732 MemberName=new.jsmith TargetUserName=\"EHR Users\" TargetDomainName=HOSP\n"
      "2026-03-02T08:03:00Z PACS01 EventID=4732 MemberName=supp0rt TargetUserName=Administrators TargetDomainName=Builtin\n"
      "2026-03-02T08:04:00Z PACS01 EventID=1102 SubjectUserName=Administrator SubjectDomainName=PACS01\n");
  auto found = detect(log, {});
  REQUIRE(lines_of(found, Pattern::kNewLocalAdmin) == std::vector<std::size_t>{0, 3});
  REQUIRE(lines_of(found, Pattern::kAuditLogCleared) == std::vector<std::size_t>{4});
  REQUIRE(found.size() == 2);
}

TEST_CASE("malformed author logs are refused with the line number", "[cybersecurity][winlog]") {
  auto [text, message] = GENERATE(table<std::string, std::string>({
      {"2026-03-02T08:00:00Z DC01 EventID=4625\nyesterday DC01 EventID=4625",
       "line 2: expected a time like 2026-03-02T09:14:07Z, found 'yesterday'"},
      {"2026-03-02T08:00:00Z DC01 4625", "line 1: expected EventID=<id> after the host, found '4625'"},
      {"2026-03-02T08:00:00Z DC01 EventID=46x5", "line 1: expected a numeric event id, found '46x5'"},
      {"2026-03-02T08:00:00Z DC01 EventID=4625 TargetUserName", "line 1: expected key=value, found 'TargetUserName'"},
      {"2026-03-02T08:00:00Z DC01 EventID=4625 TargetUserName=\"open", "line 1: unterminated quote"},
      {"\n\n", "the log has no events"},
  }));
  CAPTURE(text);
  std::string error;
  REQUIRE_FALSE(try_parse_log(text, &error));
  REQUIRE(error == message);
}

TEST_CASE("generated logs contain exactly the injected patterns, over many seeds", "[cybersecurity][winlog]") {
  std::vector<std::vector<Pattern>> sets = {
      {},
      {Pattern::kPasswordSpraying},
      {Pattern::kBruteForce, Pattern::kAuditLogCleared},
      {Pattern::kPassTheHash, Pattern::kNewLocalAdmin, Pattern::kPasswordSpraying},
      {Pattern::kPasswordSpraying, Pattern::kBruteForce, Pattern::kPassTheHash, Pattern::kAuditLogCleared,
       Pattern::kNewLocalAdmin},
  };
  for (const auto& inject : sets) {
    GeneratorSpec spec;
    spec.inject = inject;
    spec.background_min = 40;
    spec.background_max = 120;
    for (std::uint64_t seed = 1; seed <= assay::test::seed_count(200); ++seed) {
      CAPTURE(inject.size(), seed);
      auto g = generate(spec, seed);
      auto found = detect(g.log, spec.thresholds);
      REQUIRE(found.size() == inject.size());
      for (const auto& [pattern, lines] : g.injected) {
        CAPTURE(std::string(info(pattern).id));
        REQUIRE_FALSE(lines.empty());
        REQUIRE(lines_of(found, pattern) == lines);
      }
      for (std::size_t i = 1; i < g.log.size(); ++i) REQUIRE(g.log[i - 1].time <= g.log[i].time);
      // Every line reads back as the event it prints.
      std::string text;
      for (const auto& e : g.log) text += e.to_line() + "\n";
      auto reread = parse(text);
      REQUIRE(reread.size() == g.log.size());
      REQUIRE(detect(reread, spec.thresholds).size() == inject.size());
    }
  }
}

TEST_CASE("generated logs create each account at most once", "[cybersecurity][winlog]") {
  // A directory refuses to create an account that exists (4720 is logged once per account), so a
  // log showing the same new starter created twice reads as tampering, not as background.
  GeneratorSpec spec;
  spec.inject = {Pattern::kNewLocalAdmin};
  spec.background_min = 40;
  spec.background_max = 120;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    auto g = generate(spec, seed);
    std::set<std::pair<std::string, std::string>> created;
    std::size_t creations = 0;
    for (const auto& e : g.log) {
      if (e.event_id != 4720) continue;
      ++creations;
      CAPTURE(e.to_line());
      REQUIRE(created.emplace(e.host, std::string(e.field("TargetUserName"))).second);
    }
    REQUIRE(creations >= 1);
  }
}
