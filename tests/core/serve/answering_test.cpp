// A saved answer the item cannot read (ABI 1.1's malformed response) is kept, and the save reply
// says why beside the part it concerns; a readable answer, right or wrong, gets no word on it.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "assay/json_schema.hpp"
#include "harness.hpp"

using namespace serve_test;
using Catch::Matchers::Contains;

TEST_CASE("a saved answer the item cannot read is kept and the reply says why, never whether it is right", "[serve][malformed]") {
  TestServer server;
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
  auto b = server.browser();
  auto started = b.post("/api/c/" + token + "/start");
  REQUIRE(started.status == 200);
  std::size_t n = 0, numeric = 0;
  for (const auto& item : started.body.at("items")) {
    ++n;
    if (item.at("presentation").at("prompt").get<std::string>().rfind("A 10 V source drives a 2 kilohm", 0) == 0) numeric = n;
  }
  REQUIRE(numeric > 0);
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
