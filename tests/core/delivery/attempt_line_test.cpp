// parse_attempt_line must decide every line exactly as the full reader (nlohmann +
// try_attempt_from_json) does: same attempts, same refusals, same messages.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "assay/delivery.hpp"
#include "assay/io.hpp"

using namespace assay;
using delivery::Attempt;
using delivery::AttemptLine;

namespace {

AttemptLine full_read(const io::Line& line) {
  AttemptLine out;
  auto j = io::parse_json_line("attempts.jsonl", line);
  if (!j) {
    out.json_error = j.error();
    return out;
  }
  auto a = delivery::try_attempt_from_json(j.value());
  if (a)
    out.attempt = a.value();
  else
    out.errors = a.error();
  return out;
}

// Responses are compared as JSON values: the fast reader keeps the bytes as sent.
void require_same(const AttemptLine& got, const AttemptLine& want) {
  REQUIRE(got.attempt.has_value() == want.attempt.has_value());
  REQUIRE(got.errors == want.errors);
  REQUIRE(got.json_error.has_value() == want.json_error.has_value());
  if (want.json_error) REQUIRE(got.json_error->format() == want.json_error->format());
  if (!want.attempt) return;
  Attempt a = *got.attempt;
  Attempt b = *want.attempt;
  REQUIRE(a.answers.size() == b.answers.size());
  for (const auto& [item, text] : b.answers) {
    CAPTURE(item);
    REQUIRE(a.answers.count(item) == 1);
    REQUIRE(nlohmann::json::parse(a.answers.at(item)) == nlohmann::json::parse(text));
  }
  a.answers.clear();
  b.answers.clear();
  REQUIRE(a == b);
}

const std::string kHead = R"("attempt":1,"attempt_id":"att-1","candidate_id":"cand-1",)"
                          R"("assessment":{"id":"forms","version":"2026.1","sha256":"ab"},"seed":"42",)"
                          R"("form":[{"item":"p1","seed":"7"},{"item":"p2","seed":"18446744073709551615"}])";

}  // namespace

TEST_CASE("the fast attempt reader decides every line as the full reader does", "[delivery][attempt]") {
  auto [name, text] = GENERATE(table<const char*, std::string>({
      {"compact", "{" + kHead + R"(,"answers":{"p1":{"answer":["b"]}},"mode":"practice"})"},
      {"spaced", "{ " + kHead + R"( , "answers" : { "p1" : { "answer" : [ "b" ] } , "p2" : 5 } })"},
      {"every member", "{" + kHead +
                           R"(,"answers":{"p1":{"answer":["b"]},"p2":"text"},"ratings":{"p2":{"quality":"good"}},)"
                           R"("started":"2026-03-01T09:00:00Z","deadline":null,"submitted":"2026-03-01T09:10:00Z"})"},
      {"unknown members are ignored", "{" + kHead + R"(,"extra":{"deep":[1,2,{"x":null}]}})"},
      {"a duplicate answer keeps the last", "{" + kHead + R"(,"answers":{"p1":{"answer":["a"]},"p1":{"answer":["b"]}}})"},
      {"a duplicate member keeps the last", "{" + kHead + R"(,"mode":"practice","mode":"screening"})"},
      {"escaped item id", "{" + kHead + R"(,"answers":{"p\u0031":{"answer":["b"]}}})"},
      {"escaped member name", "{" + kHead + R"(,"answ\u0065rs":{"p1":{"answer":["b"]}}})"},
      {"unicode and escapes", "{" + kHead + R"(,"answers":{"p1":{"text":"caf\u00e9 \"x\"\n é"}}})"},
      {"a number too big for 64 bits", "{" + kHead + R"(,"answers":{"p1":{"value":123456789012345678901234567890}}})"},
      {"a float response", "{" + kHead + R"(,"answers":{"p1":{"value":1e2}}})"},
      {"a malformed response", "{" + kHead + R"(,"answers":{"p1":{"answer":tru}}})"},
      {"trailing garbage", "{" + kHead + "} x"},
      {"not an object", "[1,2]"},
      {"answers not an object", "{" + kHead + R"(,"answers":[1]})"},
      {"schema version as a float", R"({"attempt":1.0,)" + kHead.substr(12) + "}"},
      {"schema version 2", R"({"attempt":2,)" + kHead.substr(12) + "}"},
      {"a form item without a seed", R"({"attempt":1,"attempt_id":"a","candidate_id":"c",)"
                                     R"("assessment":{"id":"x","version":"1","sha256":"s"},"seed":"1","form":[{"item":"p1"}]})"},
      {"a seed out of range", "{" + kHead + R"(,"seed":"18446744073709551616"})"},
      {"a rating that is not a name", "{" + kHead + R"(,"ratings":{"p2":{"quality":3}}})"},
      {"a bad time", "{" + kHead + R"(,"started":"yesterday"})"},
      {"a bad mode", "{" + kHead + R"(,"mode":"exam"})"},
      {"invalid UTF-8", "{" + kHead + ",\"answers\":{\"p1\":{\"text\":\"\xff\"}}}"},
      {"truncated", "{" + kHead + R"(,"answers":{"p1":)"},
  }));
  CAPTURE(name, text);
  io::Line line{3, text};
  require_same(delivery::parse_attempt_line("attempts.jsonl", line), full_read(line));
}

TEST_CASE("a well-formed attempt keeps each response's bytes as sent", "[delivery][attempt]") {
  // The bytes reach the plugin unchanged (without the white space around the value); only a line
  // the fast reader hands to the full reader would come back re-serialised.
  io::Line line{1, "{" + kHead + R"(,"answers":{"p1": { "answer" : [ "b" ] } ,"p2":  5  }})"};
  auto r = delivery::parse_attempt_line("attempts.jsonl", line);
  REQUIRE(r.attempt);
  REQUIRE(r.attempt->answers.at("p1") == R"({ "answer" : [ "b" ] })");
  REQUIRE(r.attempt->answers.at("p2") == "5");
  REQUIRE(r.attempt->form.items.size() == 2);
  REQUIRE(r.attempt->form.items[1].seed == 18446744073709551615ull);
}

TEST_CASE("a malformed response refuses the whole line with the full reader's position", "[delivery][attempt]") {
  io::Line line{9, "{" + kHead + R"(,"answers":{"p1":{"answer":tru}}})"};
  auto r = delivery::parse_attempt_line("attempts.jsonl", line);
  REQUIRE_FALSE(r.attempt);
  REQUIRE(r.json_error);
  REQUIRE(r.json_error->format().rfind("attempts.jsonl:9:", 0) == 0);
  REQUIRE(r.json_error->message.find("invalid JSON") == 0);
}

TEST_CASE("an attempts line that is not UTF-8 is refused at its first bad byte", "[delivery][attempt][utf8]") {
  auto [bytes, found] = GENERATE(table<std::string, std::string>({
      {std::string("\xC0\x80"), "bytes 0xC0 0x80"},       // overlong
      {"\xED\xA0\x80", "bytes 0xED 0xA0 0x80"},           // surrogate
      {"\xE2\x82", "bytes 0xE2 0x82"},                    // truncated
      {"\xF4\x90\x80\x80", "bytes 0xF4 0x90 0x80 0x80"},  // above U+10FFFF
  }));
  CAPTURE(found);
  std::string head = "{" + kHead + R"(,"answers":{"p1":{"text":")";
  io::Line line{4, head + bytes + R"("}}})"};
  auto r = delivery::parse_attempt_line("attempts.jsonl", line);
  REQUIRE_FALSE(r.attempt);
  REQUIRE(r.json_error);
  CHECK(r.json_error->format() == "attempts.jsonl:4:" + std::to_string(head.size() + 1) +
                                      ": error: invalid line: expected UTF-8 text, found " + found +
                                      "\n  hint: write the file as UTF-8");
  require_same(r, full_read(line));
}
