#include <catch2/catch.hpp>

#include "assay/io.hpp"

using assay::io::CsvWriter;

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
