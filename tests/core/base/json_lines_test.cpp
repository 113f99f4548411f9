#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "assay/io.hpp"

TEST_CASE("JSON Lines: a bad line is reported with its number and the rest are read", "[io][jsonl]") {
  std::string text =
      "{\"a\": 1}\n"
      "\n"
      "{\"a\": 2,}\r\n"
      "[1, 2]\n"
      "   \n"
      "{\"a\": 3}";  // no final newline
  auto r = assay::io::read_json_lines("attempts.jsonl", text);
  REQUIRE(r.values.size() == 2);
  CHECK(r.values[0].first == 1);
  CHECK(r.values[0].second["a"] == 1);
  CHECK(r.values[1].first == 6);
  CHECK(r.values[1].second["a"] == 3);
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].format() ==
        "attempts.jsonl:3:9: error: invalid JSON: syntax error while parsing object key - unexpected '}'; "
        "expected string literal");
  CHECK(r.errors[1].format() ==
        "attempts.jsonl:4:1: error: invalid line: expected a JSON object, found array\n"
        "  hint: each line of a JSON Lines file holds one object");
}

TEST_CASE("JSON Lines: a number too large for a double is an error at that number", "[io][jsonl]") {
  auto r = assay::io::read_json_lines("attempts.jsonl", "{\"a\": 1}\n{\"seed\": 7e555}\n{\"a\": 3}\n");
  REQUIRE(r.values.size() == 2);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].format() == "attempts.jsonl:2:10: error: invalid JSON: number overflow parsing '7e555'");
}

TEST_CASE("JSON Lines: lines keep their numbers, blank ones are skipped", "[io][jsonl]") {
  auto lines = assay::io::split_lines("a\r\n\n  \nb\n");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].number == 1);
  CHECK(lines[0].text == "a");
  CHECK(lines[1].number == 4);
  CHECK(lines[1].text == "b");
}

TEST_CASE("JSON Lines: a truncated last line is an error at its end", "[io][jsonl]") {
  auto r = assay::io::read_json_lines("x.jsonl", "{\"a\": 1}\n{\"a\": ");
  REQUIRE(r.values.size() == 1);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 2);
  CHECK(r.errors[0].column == 7);
}
