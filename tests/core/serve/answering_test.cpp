// A saved answer the item cannot read (ABI 1.1's malformed response) is kept, and the save reply
// says why beside the part it concerns; a readable answer, right or wrong, gets no word on it.
// Saves carry a revision: a late or repeated one never replaces a newer answer.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "assay/json_schema.hpp"
#include "harness.hpp"

using namespace serve_test;
using Catch::Matchers::Contains;

namespace {

/// A candidate of a fresh campaign of fixture-take-screening, started in `b`; their token and the
/// position of the numeric item.
std::pair<std::string, std::size_t> started_candidate(TestServer& server, Browser& b) {
  server.staff();
  auto manager = server.browser();
  manager.login("manager", "password-manager");
  auto created = manager.post("/api/campaigns", {{"title", "March intake"},
                                                 {"assessment", "fixture-take-screening"},
                                                 {"opens", "2026-03-01T07:00:00Z"},
                                                 {"closes", "2026-03-01T17:00:00Z"}});
  REQUIRE(created.status == 201);
  auto invited = manager.post(fmt::format("/api/campaigns/{}/candidates", created.body.at("id").get<std::int64_t>()),
                              {{"name", "Ada"}, {"email", ""}});
  REQUIRE(invited.status == 201);
  auto token = token_of(invited.body.at("link").get<std::string>());
  auto started = b.post("/api/c/" + token + "/start");
  REQUIRE(started.status == 200);
  std::size_t n = 0, numeric = 0;
  for (const auto& item : started.body.at("items")) {
    ++n;
    if (item.at("presentation").at("prompt").get<std::string>().rfind("A 10 V source drives a 2 kilohm", 0) == 0) numeric = n;
  }
  REQUIRE(numeric > 0);
  return {token, numeric};
}

}  // namespace

TEST_CASE("a saved answer the item cannot read is kept and the reply says why, never whether it is right", "[serve][malformed]") {
  TestServer server;
  auto b = server.browser();
  auto [token, numeric] = started_candidate(server, b);
  auto path = fmt::format("/api/c/{}/answers/{}", token, numeric);
  const json answer_saved = {{"$ref", "urn:assay:schema:candidate:1#/$defs/answer-saved"}};

  auto unreadable = b.put(path, R"({"answer":{"value":"5","unit":"months"}})");
  REQUIRE(unreadable.status == 200);
  CHECK(unreadable.body.at("saved") == true);
  REQUIRE(unreadable.body.at("problems").contains("answer"));
  CHECK_THAT(unreadable.body.at("problems").at("answer").get<std::string>(), Contains("months"));
  CHECK(assay::validate_json(answer_saved, unreadable.body).empty());
  // Kept as typed: nothing is lost at a deadline.
  auto state = b.get("/api/c/" + token + "/attempt");
  CHECK(state.body.at("items").at(numeric - 1).at("answer") == json::parse(R"({"answer":{"value":"5","unit":"months"}})"));

  for (const char* readable : {R"({"answer":{"value":"50","unit":"mA"}})", R"({"answer":{"value":"5","unit":"mA"}})"}) {
    auto r = b.put(path, readable);
    CAPTURE(readable);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("problems") == json::object());  // wrong or right: the same reply
    CHECK(assay::validate_json(answer_saved, r.body).empty());
  }
}

TEST_CASE("a late or repeated save never replaces a newer answer", "[serve][revision]") {
  TestServer server;
  auto b = server.browser();
  const auto [token, numeric] = started_candidate(server, b);
  auto path = fmt::format("/api/c/{}/answers/{}", token, numeric);
  const json answer_saved = {{"$ref", "urn:assay:schema:candidate:1#/$defs/answer-saved"}};
  const json error = {{"$ref", "urn:assay:schema:candidate:1#/$defs/error"}};
  const auto five = R"({"answer":{"value":"5","unit":"mA"}})", fifty = R"({"answer":{"value":"50","unit":"mA"}})";
  auto stored = [&] { return b.get("/api/c/" + token + "/attempt").body.at("items").at(numeric - 1); };
  CHECK(stored().at("revision") == 0);

  auto first = b.put(path + "?revision=1", fifty);
  REQUIRE(first.status == 200);
  CHECK(first.body.at("revision") == 1);
  CHECK(assay::validate_json(answer_saved, first.body).empty());
  auto second = b.put(path + "?revision=2", five);
  REQUIRE(second.status == 200);
  CHECK(second.body.at("revision") == 2);

  // The first save, retried after a timeout, arrives after the second: refused, naming the
  // revision that stays.
  auto late = b.put(path + "?revision=1", fifty);
  REQUIRE(late.status == 409);
  CHECK(late.body.at("error") == "stale_revision");
  CHECK(late.body.at("revision") == 2);
  CHECK(assay::validate_json(error, late.body).empty());
  CHECK(stored().at("answer") == json::parse(five));
  CHECK(stored().at("revision") == 2);

  // The second, repeated: acknowledged again, nothing changes.
  auto repeat = b.put(path + "?revision=2", five);
  REQUIRE(repeat.status == 200);
  CHECK(repeat.body.at("revision") == 2);
  // Another answer under a revision already stored is stale too.
  CHECK(b.put(path + "?revision=2", fifty).status == 409);
  CHECK(stored().at("answer") == json::parse(five));

  // A save without a revision is the next one.
  auto plain = b.put(path, fifty);
  REQUIRE(plain.status == 200);
  CHECK(plain.body.at("revision") == 3);

  for (const char* bad : {"0", "-1", "x", "1.5", "99999999999999999999", ""}) {
    CAPTURE(bad);
    auto r = b.put(path + "?revision=" + bad, five);
    if (std::string(bad).empty()) {
      CHECK(r.status == 200);  // an empty value is no revision
      continue;
    }
    CHECK(r.status == 400);
    CHECK(r.body.at("error") == "bad_revision");
    CHECK(assay::validate_json(error, r.body).empty());
  }
}

TEST_CASE("a save made in one step of the database still meets every check, the database having the last word",
          "[serve][revision]") {
  TestServer server;
  auto b = server.browser();
  const auto [token, numeric] = started_candidate(server, b);
  auto path = fmt::format("/api/c/{}/answers/{}", token, numeric);
  const auto five = R"({"answer":{"value":"5","unit":"mA"}})", fifty = R"({"answer":{"value":"50","unit":"mA"}})";
  auto state = [&] { return b.get("/api/c/" + token + "/attempt"); };
  REQUIRE(b.put(path, five).status == 200);

  // Once the server has seen the attempt, a save reads nothing of it: with the attempt's stored
  // form unreadable, a request that reads the link fails and a save does not.
  server.exec_sql("CREATE TABLE kept AS SELECT id, document, browser_hash FROM attempts");
  server.exec_sql("UPDATE attempts SET document = 'damaged'");
  CHECK(state().status >= 500);
  auto saved = b.put(path, fifty);
  CHECK(saved.status == 200);
  CHECK(saved.body.at("revision") == 2);
  server.exec_sql("UPDATE attempts SET document = (SELECT k.document FROM kept k WHERE k.id = attempts.id)");
  CHECK(state().body.at("items").at(numeric - 1).at("answer") == json::parse(fifty));

  // What another server changes in the database holds for the very next save: a deadline moved,
  // then passed; another browser; a revoked link.
  server.exec_sql("UPDATE attempts SET deadline = '2026-03-01T08:30:00Z'");
  saved = b.put(path, five);
  REQUIRE(saved.status == 200);
  CHECK(saved.body.at("remaining") == 30 * 60);
  server.exec_sql("UPDATE attempts SET browser_hash = 'another'");
  CHECK(b.put(path, fifty).body.value("error", "") == "other_browser");
  server.exec_sql("UPDATE attempts SET browser_hash = (SELECT k.browser_hash FROM kept k WHERE k.id = attempts.id)");
  server.exec_sql("UPDATE candidates SET revoked = 1");
  CHECK(b.put(path, fifty).status == 404);
  server.exec_sql("UPDATE candidates SET revoked = 0");
  server.clock.advance(std::chrono::minutes(30));
  auto late = b.put(path, fifty);
  CHECK(late.status == 409);
  CHECK(late.body.value("error", "") == "time_up");
  CHECK(state().body.at("items").at(numeric - 1).at("answer") == json::parse(five));
}

TEST_CASE("an answer is acknowledged when only the note of the browser's last visit cannot be written", "[serve][revision]") {
  TestServer server;
  auto b = server.browser();
  const auto [token, numeric] = started_candidate(server, b);
  auto path = fmt::format("/api/c/{}/answers/{}", token, numeric);
  const auto five = R"({"answer":{"value":"5","unit":"mA"}})", fifty = R"({"answer":{"value":"50","unit":"mA"}})";
  auto answer = [&] { return b.get("/api/c/" + token + "/attempt").body.at("items").at(numeric - 1).at("answer"); };
  auto errors = [&] {
    std::lock_guard lock(server.errors_mu);
    return server.errors;
  };
  REQUIRE(b.put(path, five).status == 200);  // the server now remembers the attempt: saves take one step

  // The database refuses every write of when the browser was last seen, and nothing else.
  if (server.database)
    server.exec_sql(
        "CREATE FUNCTION seen_refused() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'seen refused'; END $$; "
        "CREATE TRIGGER seen_refused BEFORE UPDATE OF browser_seen ON attempts FOR EACH ROW EXECUTE FUNCTION seen_refused()");
  else
    server.exec_sql(
        "CREATE TRIGGER seen_refused BEFORE UPDATE OF browser_seen ON attempts BEGIN SELECT RAISE(ABORT, 'seen refused'); END");
  server.clock.advance(std::chrono::seconds(31));  // the last visit is due to be written again
  auto saved = b.put(path, fifty);
  CHECK(saved.status == 200);
  CHECK(saved.body.value("revision", 0) == 2);
  CHECK(answer() == json::parse(fifty));  // read through the full path, which notes the visit too
  auto logged = errors();
  REQUIRE(logged.size() >= 2);
  CHECK_THAT(logged.front(), Contains("last seen is not written") && Contains("seen refused"));

  // Written again once the database takes it: nothing more is logged.
  server.exec_sql("DROP TRIGGER seen_refused" + std::string(server.database ? " ON attempts" : ""));
  server.clock.advance(std::chrono::seconds(31));
  CHECK(b.put(path, five).status == 200);
  CHECK(answer() == json::parse(five));
  CHECK(errors().size() == logged.size());
}
