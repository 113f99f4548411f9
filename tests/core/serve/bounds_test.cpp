// assay serve refusing what candidates send wrong: bad requests, answers past their bounds and
// an attempt's answers past their total, each a clear 4xx that changes nothing.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace serve_test;
using Catch::Matchers::Contains;

TEST_CASE("bad candidate requests get a clear 4xx and change nothing", "[serve]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto c = invite(manager, campaign, "c");
  server.clock.advance(std::chrono::hours(1));
  auto b = server.browser();
  REQUIRE(b.post("/api/c/" + c.token + "/start").status == 200);
  REQUIRE(b.put("/api/c/" + c.token + "/answers/1", R"({"answer": ["ohm"]})").status == 200);
  auto [n, body, status, message] = GENERATE(table<std::string, std::string, int, std::string>({
      {"1", R"({"answer": ["ohm")", 400, "the body is not valid JSON: it ends before the value is complete"},
      {"1", R"({"answer": ["ohm"]]})", 400, "the body is not valid JSON (at byte 19)"},
      {"1", "", 400, "the body is empty: expected JSON"},
      {"1", "{\"answer\": [\"\xC0\x80\"]}", 400, "the body is not UTF-8: found bytes 0xC0 0x80 (at byte 14)"},
      {"1", "{\"answer\": [\"\xED\xA0\x80\"]}", 400, "the body is not UTF-8: found bytes 0xED 0xA0 0x80 (at byte 14)"},
      {"1", "{\"answer\": [\"\xE2\x82\"]}", 400, "the body is not UTF-8: found bytes 0xE2 0x82 (at byte 14)"},
      {"1", "{\"answer\": [\"\xF4\x90\x80\x80\"]}", 400, "the body is not UTF-8: found bytes 0xF4 0x90 0x80 0x80 (at byte 14)"},
      {"1", R"({"answer": [1e400]})", 400, "the body is not valid JSON: a number is too large"},
      {"1", R"(["ohm"])", 400, "an answer is a JSON object with one member per interaction"},
      {"1", R"({"verdict": ["ohm"]})", 400, "this item has no interaction 'verdict'"},
      {"1", R"({"answer": "ohm"})", 400, "interaction 'answer' (choice): #: expected an array, found a string"},
      {"99", R"({"answer": ["ohm"]})", 404, "there is no item 99 in this attempt (it has 7)"},
      {"x", R"({"answer": ["ohm"]})", 404, "there is no item 'x' in this attempt"},
  }));
  CAPTURE(n, body);
  auto r = b.put("/api/c/" + c.token + "/answers/" + n, body);
  REQUIRE(r.status == status);
  REQUIRE(r.body["message"] == message);
  REQUIRE(server.store->attempts_of(c.id).at(0).attempt.answers.at("single") == R"({"answer":["ohm"]})");

  SECTION("an oversized body is refused before it is read") {
    auto big = R"({"answer": ")" + std::string(300 * 1024, 'x') + R"("})";
    auto r2 = b.put("/api/c/" + c.token + "/answers/7", big);
    REQUIRE(r2.status == 413);
    REQUIRE(server.store->attempts_of(c.id).at(0).attempt.answers.size() == 1);
  }
}

TEST_CASE("answers past their bounds are refused with a 4xx and the server keeps serving", "[serve][bounds]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto a = invite(manager, campaign, "a");
  auto other = invite(manager, campaign, "other");
  server.clock.advance(std::chrono::hours(1));
  auto b = server.browser();
  auto started = b.post("/api/c/" + a.token + "/start");
  REQUIRE(started.status == 200);
  // The item numbers of the numeric and the text-entry items in this candidate's form.
  std::size_t numeric = 0, text = 0, n = 0;
  for (const auto& item : started.body.at("items")) {
    ++n;
    auto type = item.at("presentation").at("interactions").at(0).at("type").get<std::string>();
    if (type == "numeric" && numeric == 0) numeric = n;
    if (type == "text") text = n;
  }
  REQUIRE(numeric != 0);
  REQUIRE(text != 0);
  auto put = [&](std::size_t item, const json& answer) {
    return b.put(fmt::format("/api/c/{}/answers/{}", a.token, item), json{{"answer", answer}}.dump());
  };
  // 30,000 digits once made the server's pattern matcher recurse until the process died.
  auto digits = put(numeric, {{"value", std::string(30'000, '7')}, {"unit", "mA"}});
  CHECK(digits.status == 400);
  CHECK(digits.body["error"] == "bad_response");
  CHECK_THAT(digits.body["message"].get<std::string>(), Contains("expected at most 200 characters, found 30000"));
  auto words = put(text, std::string(10'001, 'w'));
  CHECK(words.status == 400);
  CHECK_THAT(words.body["message"].get<std::string>(), Contains("expected at most 10000 characters, found 10001"));
  auto huge = b.put(fmt::format("/api/c/{}/answers/{}", a.token, text), std::string(10 * 1024 * 1024, 'x'));
  CHECK(huge.status == 413);
  CHECK(server.store->attempts_of(a.id).at(0).attempt.answers.empty());
  // The server still serves this candidate and the next one.
  CHECK(put(numeric, {{"value", "5"}, {"unit", "mA"}}).status == 200);
  auto b2 = server.browser();
  REQUIRE(b2.post("/api/c/" + other.token + "/start").status == 200);
  CHECK(b2.put("/api/c/" + other.token + "/answers/1", R"({"answer": "x"})").status != 500);
}

TEST_CASE("one attempt's answers together are bounded", "[serve][bounds]") {
  TestServer server(false, {}, 4096);
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto a = invite(manager, campaign, "a");
  server.clock.advance(std::chrono::hours(1));
  auto b = server.browser();
  auto started = b.post("/api/c/" + a.token + "/start");
  REQUIRE(started.status == 200);
  std::vector<std::size_t> texts;
  std::size_t n = 0;
  for (const auto& item : started.body.at("items")) {
    ++n;
    auto type = item.at("presentation").at("interactions").at(0).at("type").get<std::string>();
    if (type == "text" || type == "extended-text") texts.push_back(n);
  }
  REQUIRE(texts.size() >= 2);
  auto put = [&](std::size_t item, std::size_t length) {
    return b.put(fmt::format("/api/c/{}/answers/{}", a.token, item), json{{"answer", std::string(length, 'w')}}.dump());
  };
  REQUIRE(put(texts[0], 3000).status == 200);
  REQUIRE(put(texts[0], 3500).status == 200);  // replacing an answer counts it once
  auto over = put(texts[1], 1000);
  CHECK(over.status == 413);
  CHECK(over.body["error"] == "too_large");
  CHECK_THAT(over.body["message"].get<std::string>(), Contains("more than the 4096 an attempt may hold"));
  CHECK(server.store->attempts_of(a.id).at(0).attempt.answers.size() == 1);
  CHECK(put(texts[1], 100).status == 200);
}
