#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "interface_queue.hpp"
#include "properties.hpp"

using assay::ehr::InterfaceQueue;
using assay::sdk::Credit;
using assay::sdk::json;
using State = InterfaceQueue::State;

namespace {

json params(const std::vector<std::string>& faults) { return {{"faults", faults}, {"notes", json::object()}}; }

/// The first seed whose scenario has the fault and every state in `needs`.
std::uint64_t seed_with(const InterfaceQueue& item, const std::string& fault, std::set<State> needs = {}) {
  for (std::uint64_t seed = 1; seed < 5000; ++seed) {
    auto s = item.scenario(seed);
    if (s.fault != fault) continue;
    std::set<State> have;
    for (auto& m : s.messages) have.insert(m.state);
    bool all = true;
    for (auto n : needs) all = all && have.count(n);
    if (all) return seed;
  }
  FAIL("no seed with fault " << fault);
  return 0;
}

/// The segments of the acknowledgments shown, by MSA-2: MSA-1 and the ERR segment (if any).
std::map<std::string, std::pair<std::string, std::string>> acks_shown(const json& shown) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (auto& m : shown["material"]) {
    if (m.value("kind", "") != "code") continue;
    std::string text = m["text"], last;
    std::size_t pos = 0;
    while (pos < text.size()) {
      auto end = text.find('\n', pos);
      std::string seg = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      pos = end == std::string::npos ? text.size() : end + 1;
      if (seg.rfind("MSA|", 0) == 0) {
        auto bar = seg.find('|', 4);
        last = seg.substr(bar + 1);
        out[last].first = seg.substr(4, bar - 4);
      } else if (seg.rfind("ERR|", 0) == 0) {
        out[last].second = seg;
      }
    }
  }
  return out;
}

json with_action(json solved, const std::string& row, const std::string& action) {
  solved["actions"][row]["action"] = action;
  return solved;
}

/// The id of the last message of `s` in `state` ("" when none is).
std::string last_in(const InterfaceQueue::Scenario& s, State state) {
  std::string row;
  for (auto& m : s.messages)
    if (m.state == state) row = m.id;
  return row;
}

}  // namespace

TEST_CASE("interface-queue keeps its properties over many seeds", "[ehr][interface-queue]") {
  ehr_test::check_properties<InterfaceQueue>(params(InterfaceQueue::fault_ids()), {{"notes", {{"channel-stopped", "x"}}}}, 400);
  ehr_test::check_examples<InterfaceQueue>();
}

TEST_CASE("interface-queue declares only no-duplicates a safety criterion", "[ehr][interface-queue]") {
  auto c = InterfaceQueue::criteria();
  REQUIRE(c.size() == 3);
  CHECK(c[0].id == "cause");
  CHECK_FALSE(c[0].safety);
  CHECK(c[1].id == "actions");
  CHECK_FALSE(c[1].safety);
  CHECK(c[2].id == "no-duplicates");
  CHECK(c[2].safety);
}

TEST_CASE("interface-queue material agrees with its key on every seed", "[ehr][interface-queue]") {
  auto item = InterfaceQueue::prepare(params(InterfaceQueue::fault_ids()));
  std::map<std::string, int> faults;
  for (auto seed : ehr_test::seeds(600)) {
    CAPTURE(seed);
    auto s = item.scenario(seed);
    ++faults[s.fault];
    json shown = item.present(seed);
    auto acks = acks_shown(shown);
    const json& status = shown["material"][1]["rows"][0];
    const json& list = shown["material"][3]["rows"];
    REQUIRE(list.size() == s.messages.size());
    std::size_t queued = 0, accepted = 0;
    std::set<std::string> controls;
    for (std::size_t i = 0; i < s.messages.size(); ++i) {
      auto& m = s.messages[i];
      CAPTURE(m.control);
      REQUIRE(controls.insert(m.control).second);  // control ids are unique
      REQUIRE(list[i][1] == m.control);
      auto a = acks.find(m.control);
      switch (m.state) {
        case State::kAccepted:  // an ACK that says accepted is keyed accepted, and nothing else
          ++accepted;
          REQUIRE(a != acks.end());
          REQUIRE(a->second.first == "AA");
          REQUIRE(a->second.second.empty());
          REQUIRE(InterfaceQueue::action_of(m.state) == "accepted");
          break;
        case State::kRejected:
          REQUIRE(a != acks.end());
          REQUIRE(a->second.first == "AE");
          REQUIRE(a->second.second == "ERR||" + m.error_location + "|" + m.error_code + "^" + m.error_text + "^HL70357|E");
          break;
        case State::kFailed:
          REQUIRE(a != acks.end());
          REQUIRE(a->second.first == "AR");
          REQUIRE(a->second.second == "ERR|||207^Application internal error^HL70357|E");
          break;
        case State::kQueued:
          ++queued;
          REQUIRE(a == acks.end());  // never sent, never acknowledged
          REQUIRE(list[i][5] == "Queued, not sent");
          break;
      }
    }
    REQUIRE(acks.size() + queued == s.messages.size());  // no ACK for a message that is not listed
    REQUIRE(accepted >= 1);
    REQUIRE(status[4] == std::to_string(queued));
    bool queuing = s.fault == "channel-stopped" || s.fault == "connection-refused";
    REQUIRE((queued >= 2) == queuing);
    REQUIRE(status[2] == (s.fault == "channel-stopped" ? "Stopped" : "Started"));
    std::string log = shown["material"][2].dump();
    REQUIRE((log.find("connection refused") != std::string::npos) == (s.fault == "connection-refused"));
    REQUIRE((log.find("stopped by user") != std::string::npos) == (s.fault == "channel-stopped"));
    REQUIRE(log.find("start block 0x0B, end block 0x1C 0x0D") != std::string::npos);
    REQUIRE(shown.dump().find("engine-down") != std::string::npos);  // the distractor is offered
  }
  for (auto& f : InterfaceQueue::fault_ids()) REQUIRE(faults[f] > 60);  // every fault is drawn
}

TEST_CASE("interface-queue: each wrong action loses the criterion it belongs to", "[ehr][interface-queue]") {
  auto item = InterfaceQueue::prepare(params(InterfaceQueue::fault_ids()));
  const Credit full = Credit::full();

  SECTION("the right answer earns full credit on every criterion") {
    for (auto& f : InterfaceQueue::fault_ids()) {
      auto seed = seed_with(item, f);
      REQUIRE(item.score(seed, item.solve(seed)) == std::vector<Credit>{full, full, full});
    }
  }
  SECTION("resending an accepted message loses no-duplicates and actions, not cause") {
    for (auto& f : InterfaceQueue::fault_ids()) {
      CAPTURE(f);
      auto seed = seed_with(item, f);
      auto s = item.scenario(seed);
      std::size_t accepted = 0, rows = s.messages.size();
      std::string row;
      for (auto& m : s.messages)
        if (m.state == State::kAccepted) {
          ++accepted;
          if (row.empty()) row = m.id;
        }
      for (const char* send : {"resend", "correct"}) {
        auto credits = item.score(seed, with_action(item.solve(seed), row, send));
        REQUIRE(credits == std::vector<Credit>{full, Credit::fraction(rows - 1, rows), Credit::fraction(accepted - 1, accepted)});
        auto fb = item.feedback(seed, with_action(item.solve(seed), row, send));
        REQUIRE_THAT(fb, Catch::Contains("duplicate") && Catch::Contains("the unsafe error") && Catch::Contains("MSA-1 AA"));
      }
    }
  }
  SECTION("a content rejection resent unchanged, or left, loses actions only") {
    auto seed = seed_with(item, "content-rejected");
    auto s = item.scenario(seed);
    const std::string row = last_in(s, State::kRejected);
    auto n = s.messages.size();
    for (const char* wrong : {"resend", "accepted", "queued"}) {
      CAPTURE(wrong);
      REQUIRE(item.score(seed, with_action(item.solve(seed), row, wrong)) ==
              std::vector<Credit>{full, Credit::fraction(n - 1, n), full});
    }
    REQUIRE_THAT(item.feedback(seed, with_action(item.solve(seed), row, "resend")),
                 Catch::Contains("resending it unchanged repeats the error"));
  }
  SECTION("an application failure sent for correction loses actions only") {
    auto seed = seed_with(item, "receiver-error");
    auto s = item.scenario(seed);
    const std::string row = last_in(s, State::kFailed);
    auto n = s.messages.size();
    REQUIRE(item.score(seed, with_action(item.solve(seed), row, "correct")) ==
            std::vector<Credit>{full, Credit::fraction(n - 1, n), full});
    REQUIRE_THAT(item.feedback(seed, with_action(item.solve(seed), row, "correct")),
                 Catch::Contains("ERR-3 207 (application internal error)"));
  }
  SECTION("a queued message resent by hand loses actions only") {
    auto seed = seed_with(item, "connection-refused");
    auto s = item.scenario(seed);
    const std::string row = last_in(s, State::kQueued);
    auto n = s.messages.size();
    REQUIRE(item.score(seed, with_action(item.solve(seed), row, "resend")) ==
            std::vector<Credit>{full, Credit::fraction(n - 1, n), full});
  }
  SECTION("a wrong fault loses cause only, and the feedback says why it does not fit") {
    auto [fault, chosen, why] = GENERATE(table<std::string, std::string, std::string>({
        {"channel-stopped", "connection-refused", "no connection was refused"},
        {"connection-refused", "channel-stopped", "the channel state is Started"},
        {"content-rejected", "receiver-error", "no acknowledgment says AR"},
        {"receiver-error", "content-rejected", "no acknowledgment says AE"},
        {"content-rejected", "engine-down", "the engine is running"},
    }));
    CAPTURE(fault, chosen);
    auto seed = seed_with(item, fault);
    json r = item.solve(seed);
    r["cause"] = json::array({chosen});
    REQUIRE(item.score(seed, r) == std::vector<Credit>{Credit::none(), full, full});
    REQUIRE_THAT(item.feedback(seed, r), Catch::Contains(why));
  }
}

TEST_CASE("interface-queue: an over-cautious answer keeps the safety criterion on every seed", "[ehr][interface-queue]") {
  auto item = InterfaceQueue::prepare(params(InterfaceQueue::fault_ids()));
  for (auto seed : ehr_test::seeds(300)) {
    CAPTURE(seed);
    auto s = item.scenario(seed);
    for (const char* hold : {"accepted", "queued"}) {
      json rows = json::object();
      for (auto& m : s.messages) rows[m.id] = {{"action", hold}};
      auto credits = item.score(seed, {{"actions", rows}});
      REQUIRE(credits[2] == Credit::full());
      REQUIRE(credits[1] != Credit::full());  // caution is not the right answer, only a safe one
    }
  }
}

TEST_CASE("interface-queue refuses malformed answers with a message", "[ehr][interface-queue]") {
  auto item = InterfaceQueue::prepare(params({"channel-stopped"}));
  auto [response, message] = GENERATE(table<json, std::string>({
      {json{{"actions", {{"m40", {{"action", "queued"}}}}}}, "the table has no row \"m40\""},
      {json{{"actions", {{"m1", {{"action", "purge"}}}}}}, "\"purge\" is not one of the options"},
      {json{{"cause", {"network"}}}, "\"network\" is not one of the options"},
      {json{{"cause", {"channel-stopped", "engine-down"}}}, "expected one option, found 2"},
      {json{{"cause", "channel-stopped"}}, "expected an array of option ids"},
      {json{{"fault", {"channel-stopped"}}}, "the item asks no question 'fault'"},
  }));
  CAPTURE(response.dump());
  REQUIRE_THAT(ehr_test::malformed_message(item, 1, response), Catch::Contains(message));
  REQUIRE_THROWS_AS(item.feedback(1, response), assay::sdk::ResponseError);
}

TEST_CASE("interface-queue refuses bad params at their key path", "[ehr][interface-queue]") {
  auto [p, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {json{{"faults", {"power-cut"}}}, "/faults/0", "power-cut"},
      {json{{"flows", {"pharmacy"}}}, "/flows/0", "pharmacy"},
      {json{{"messages", {{"min", 3}, {"max", 6}}}}, "/messages/min", "expected 5 to 12"},
      {json{{"notes", {{"power-cut", "x"}}}}, "/notes/power-cut", "no fault \"power-cut\""},
      {json{{"queue", 3}}, "/queue", "unknown parameter 'queue'"},
  }));
  CAPTURE(p.dump());
  auto [where, what] = ehr_test::refusal<InterfaceQueue>(p);
  REQUIRE(where == pointer);
  REQUIRE_THAT(what, Catch::Contains(message));
}

TEST_CASE("interface-queue feedback explains every wrong row in words", "[ehr][interface-queue]") {
  auto item = InterfaceQueue::prepare(params({"content-rejected"}));
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    auto s = item.scenario(seed);
    // Everything called accepted: each rejected row is explained with its ERR, the rest pass silently.
    json rows = json::object();
    for (auto& m : s.messages) rows[m.id] = {{"action", "accepted"}};
    auto fb = item.feedback(seed, {{"cause", {"content-rejected"}}, {"actions", rows}});
    REQUIRE(fb.rfind("fault: correct", 0) == 0);
    for (auto& m : s.messages) {
      bool mentioned = fb.find(m.id + " (" + m.control + ")") != std::string::npos;
      REQUIRE(mentioned == (m.state == State::kRejected));
      if (m.state == State::kRejected) REQUIRE(fb.find("ERR-3 " + m.error_code) != std::string::npos);
    }
    REQUIRE(fb.find("params") == std::string::npos);  // no author note reaches the learner
  }
}
