#include <catch2/catch.hpp>

#include "assay/io.hpp"

using assay::io::CsvWriter;
using Records = std::vector<std::vector<std::string>>;

namespace {

/// The fields of each record of a text that must be UTF-8.
Records parse_csv(std::string_view text) {
  auto records = assay::io::try_parse_csv(text);
  REQUIRE(records.ok());
  Records out;
  for (auto& r : *records) out.push_back(r.fields);
  return out;
}

}  // namespace

TEST_CASE("CSV fields are quoted per RFC 4180", "[io][csv]") {
  auto [value, written] = GENERATE(table<std::string, std::string>({
      {"plain", "plain"},
      {"", ""},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      {"cr\rhere", "\"cr\rhere\""},
      {"José Müller", "José Müller"},  // UTF-8 passes through
  }));
  CAPTURE(value);
  REQUIRE(CsvWriter::field(value) == written);
}

TEST_CASE("CSV fields that a spreadsheet would run as formulas are neutralised", "[io][csv]") {
  auto [value, written] = GENERATE(table<std::string, std::string>({
      {"=1+1", "'=1+1"},
      {"+SUM(A1)", "'+SUM(A1)"},
      {"-2+3", "'-2+3"},
      {"@cmd", "'@cmd"},
      {"\tx", "'\tx"},
      {"=HYPERLINK(\"http://x\",\"a,b\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\""},
      {"-2.5", "-2.5"},  // a plain number is not a formula
      {"+7", "+7"},
      {"-", "'-"},
      {"a=b", "a=b"},
  }));
  CAPTURE(value);
  REQUIRE(CsvWriter::field(value) == written);
}

TEST_CASE("CSV records end with CRLF and the file starts with the UTF-8 BOM", "[io][csv]") {
  CsvWriter csv;
  csv.row({"candidate", "percent"});
  csv.row({"c-01, night shift", "69.9"});
  REQUIRE(csv.text() ==
          "\xEF\xBB\xBF"
          "candidate,percent\r\n\"c-01, night shift\",69.9\r\n");
  CsvWriter bare(false);
  bare.row({"a"});
  REQUIRE(bare.text() == "a\r\n");
}

TEST_CASE("CSV text reads back as records per RFC 4180", "[io][csv]") {
  auto [text, records] = GENERATE(table<std::string, Records>({
      {"name,email\nAda,ada@example.org\n", {{"name", "email"}, {"Ada", "ada@example.org"}}},
      {"a,b\r\nc,d\r\n", {{"a", "b"}, {"c", "d"}}},         // CRLF
      {"a,b\nc,d", {{"a", "b"}, {"c", "d"}}},               // no final line break
      {"\"Hopper, Grace\",x\n", {{"Hopper, Grace", "x"}}},  // a quoted comma
      {"\"say \"\"hi\"\"\"\n", {{"say \"hi\""}}},           // doubled quotes
      {"\"two\nlines\",x\n", {{"two\nlines", "x"}}},        // a line break inside quotes
      {"\"two\r\nlines\"\r\n", {{"two\r\nlines"}}},         // kept as it is inside quotes
      {"a,,c\n,,\n", {{"a", "", "c"}, {"", "", ""}}},       // empty fields
      {"a,\n", {{"a", ""}}},                                // a trailing comma: one more field
      {"a,", {{"a", ""}}},
      {"\"\"\n", {{""}}},                                    // only "": one empty field
      {"\xEF\xBB\xBFname\r\nAda\r\n", {{"name"}, {"Ada"}}},  // the BOM is dropped
      {"José,Müller\n", {{"José", "Müller"}}},               // UTF-8 passes through
  }));
  CAPTURE(text);
  REQUIRE(parse_csv(text) == records);
}

TEST_CASE("CSV lines with nothing on them are no records", "[io][csv]") {
  REQUIRE(parse_csv("").empty());
  REQUIRE(parse_csv("\n\r\n\n").empty());
  REQUIRE(parse_csv("a\n\n\r\nb\n") == Records{{"a"}, {"b"}});
  REQUIRE(parse_csv("a\rb\n") == Records{{"ab"}});  // a CR outside quotes is dropped
}

TEST_CASE("CSV reading refuses nothing else: callers check each record", "[io][csv]") {
  // Records keep the fields they have; the staff import refuses a record whose count differs
  // from the header's, naming its line.
  REQUIRE(parse_csv("name,email\nAda\n") == Records{{"name", "email"}, {"Ada"}});
  // A quote left open runs to the end of the text.
  REQUIRE(parse_csv("a,\"b\nc,d\n") == Records{{"a", "b\nc,d\n"}});
  // A quote inside an unquoted field opens a quoted part there.
  REQUIRE(parse_csv("a\"b,c\"d\n") == Records{{"ab,cd"}});
}

TEST_CASE("CSV records carry the line they start on, counting lines inside quotes", "[io][csv]") {
  auto records = assay::io::try_parse_csv(
      "\xEF\xBB\xBFname,note\r\n"
      "Ada,\"two\r\nlines\"\r\n"
      "\r\n"
      "Grace,\"three\nshort\nlines\"\n"
      "Linus,x");
  REQUIRE(records.ok());
  std::vector<std::size_t> lines;
  for (const auto& r : *records) lines.push_back(r.line);
  CHECK(lines == std::vector<std::size_t>{1, 2, 5, 8});
}

TEST_CASE("CSV reading refuses text that is not UTF-8, naming the line, column and field", "[io][csv][utf8]") {
  auto [text, line, column, message] = GENERATE(table<std::string, int, int, std::string>({
      {std::string("name\nA\xC0\x80\n"), 2, 2, "expected UTF-8 text in field 1, found bytes 0xC0 0x80"},         // overlong
      {"name,email\nAda,\xED\xA0\x80@x\n", 2, 5, "expected UTF-8 text in field 2, found bytes 0xED 0xA0 0x80"},  // surrogate
      {"name,email\nAda,a@x\nGr\xE2\x82", 3, 3, "expected UTF-8 text in field 1, found bytes 0xE2 0x82"},        // truncated
      {"name,email\nAda,a@x,\xF4\x90\x80\x80\n", 2, 9,
       "expected UTF-8 text in field 3, found bytes 0xF4 0x90 0x80 0x80"},                              // above U+10FFFF
      {"name,note\nAda,\"one\ntwo \xFF\"\n", 3, 5, "expected UTF-8 text in field 2, found byte 0xFF"},  // inside quotes
      {"\xEF\xBB\xBFn\xE9\n", 1, 2, "expected UTF-8 text in field 1, found byte 0xE9"},                 // Latin-1 after the BOM
      {"name\n\"\xC3\xA9t\xC3\xA9\",\xC0\xAF\n", 2, 7,
       "expected UTF-8 text in field 2, found bytes 0xC0 0xAF"},  // columns count characters
  }));
  CAPTURE(text);
  auto records = assay::io::try_parse_csv(text);
  REQUIRE_FALSE(records.ok());
  CHECK(records.error().line == line);
  CHECK(records.error().column == column);
  CHECK(records.error().message == message);
  CHECK(records.error().hints == std::vector<std::string>{"save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\")"});
}
