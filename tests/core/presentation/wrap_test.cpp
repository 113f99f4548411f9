// Word-wrapping of the prose `assay take` shows, and what it must leave alone.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "assay/presentation.hpp"

using assay::presentation::render_presentation;
using assay::presentation::wrap;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

/// The widest line of `text`, in code points.
std::size_t widest(const std::string& text) {
  std::istringstream in(text);
  std::size_t most = 0;
  for (std::string line; std::getline(in, line);) {
    std::size_t n = 0;
    for (char c : line) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    most = std::max(most, n);
  }
  return most;
}

}  // namespace

TEST_CASE("prose wraps at spaces to the width, prefixes included", "[presentation][wrap]") {
  auto [text, width, first, rest, expected] = GENERATE(table<std::string, std::size_t, std::string, std::string, std::string>({
      {"the quick brown fox jumps over the lazy dog", 20, "", "", "the quick brown fox\njumps over the lazy\ndog\n"},
      {"the quick brown fox jumps over the lazy dog", 80, "", "", "the quick brown fox jumps over the lazy dog\n"},
      {"ampere volt kelvin", 16, "  A) ", "     ", "  A) ampere volt\n     kelvin\n"},  // hangs under the option
      {"one two three\nfour", 9, "", "", "one two\nthree\nfour\n"},                     // each paragraph on its own
      {"- alpha beta gamma", 12, "  ", "  ", "  - alpha\n    beta\n    gamma\n"},       // hangs under a bullet
      {"  indented text here", 12, "", "", "  indented\n  text here\n"},                // keeps its own indent
      {"µA µA µA", 5, "", "", "µA µA\nµA\n"},                                           // code points, not bytes
      {"a  b", 80, "", "", "a  b\n"},                                                   // a line that fits is kept
  }));
  CAPTURE(text, width);
  REQUIRE(wrap(text, width, first, rest) == expected);
}

TEST_CASE("a word wider than the line stays whole on a line of its own", "[presentation][wrap]") {
  REQUIRE(wrap("see https://example.org/a/very/long/path now", 12, "", "") == "see\nhttps://example.org/a/very/long/path\nnow\n");
}

TEST_CASE("width 0 does not wrap, as reports and previews print", "[presentation][wrap]") {
  std::string text = "a long explanation that would not fit in twenty columns\nsecond line";
  REQUIRE(wrap(text, 0, "   ", "  ") == assay::presentation::indent(text, "   ", "  "));
}

TEST_CASE("a presentation wraps its prose and folds log and code lines at separators, every character kept",
          "[presentation][wrap]") {
  const std::string log_line = "2026-03-02T01:14:09Z 4625 An account failed to log on. TargetUserName=jdoe IpAddress=10.20.4.17";
  const std::string segment = "PID|1||5512093^^^STMARYS^MR||Moreau\\S\\Larsen^Alice||19900304|F|||Unit 3";
  json p = {
      {"presentation", 1},
      {"prompt", "Triage this Windows Security log from the hospital domain and select what matters."},
      {"material",
       {{{"kind", "text"}, {"text", "Detection policy: brute force is 6 or more failed logons against one account."}},
        {{"kind", "lines"}, {"lines", {{{"id", "l1"}, {"text", log_line}}}}},
        {{"kind", "code"}, {"language", "hl7"}, {"text", segment}},
        {{"kind", "table"},
         {"columns", {"Device", "Reading"}},
         {"rows", json::array({json::array({"Infusion pump, ward 4 east", "412 µA"})})}}}},
      {"interactions",
       {{{"id", "lines"}, {"type", "select-lines"}, {"material", 1}, {"prompt", "Select every line that is part of an attack"}},
        {{"id", "technique"},
         {"type", "choice"},
         {"multiple", true},
         {"min", 0},
         {"options", {{{"id", "t1"}, {"text", "T1110.003 Brute Force: Password Spraying"}}}}}}}};
  const std::string shown = render_presentation(p, false, 30);
  CAPTURE(shown);
  // Prose fits in 30 columns, wrapped under its own prefix.
  REQUIRE_THAT(shown, Contains("Triage this Windows Security\nlog from the hospital domain\nand select what matters.\n"));
  REQUIRE_THAT(shown, Contains("  A) T1110.003 Brute Force:\n     Password Spraying\n"));
  REQUIRE_THAT(shown, Contains("  (choose one or more letters,\n   or '-' for none)\n"));
  // Log and code lines are folded at a space or separator, their continuations marked in the
  // gutter: joined again they are the line, character for character.
  auto joined = [&](const std::string& first, const std::string& more) {
    std::string out;
    std::istringstream in(shown);
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(first, 0) == 0) {
        inside = true;
        out = line.substr(first.size());
      } else if (inside && line.rfind(more, 0) == 0) {
        out += line.substr(more.size());
      } else {
        inside = false;
        if (!out.empty()) break;
      }
    }
    return out;
  };
  REQUIRE(joined("  1  ", "  ↪  ") == log_line);
  REQUIRE(joined("  | ", "  ↪ ") == segment);
  REQUIRE_THAT(shown, Contains("  1  2026-03-02T01:14:09Z \n  ↪  4625 An account failed \n"));
  REQUIRE_THAT(shown, Contains("  | PID|1||5512093^^^STMARYS^\n"));  // broken after a separator, never inside a field
  // A table wider than the room, even of two columns, is shown one record per row.
  REQUIRE_THAT(shown, Contains("  Device Infusion pump, ward 4\n    east\n    Reading  412 µA\n"));
  std::istringstream lines(shown);
  for (std::string line; std::getline(lines, line);) {
    CAPTURE(line);
    CHECK(widest(line) <= 30);
  }
  // Unwrapped, as `assay preview` prints it, the prose stays on one line.
  const std::string flat = render_presentation(p, false);
  REQUIRE_THAT(flat, Contains("Triage this Windows Security log from the hospital domain and select what matters.\n"));
  REQUIRE_THAT(flat, Contains("  (select lines of material 2 by number, or '-' for none)\n"));
}

TEST_CASE("a table wider than the terminal is shown one record per row", "[presentation][wrap]") {
  json p = {
      {"presentation", 1},
      {"prompt", "Plan the remediation."},
      {"material",
       {{{"kind", "table"},
         {"columns", {"Finding", "Asset", "CVSS v3.1 vector", "Patching"}},
         {"rows",
          json::array({json::array({"F1", "PUMP-W4-07 (infusion pump, ward 4)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
                                    "manufacturer does not allow patching"}),
                       json::array({"F2", "PACS01", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "update available"})})}}}},
      {"interactions", json::array()}};
  SECTION("in 40 columns, each row becomes a record and no value is lost") {
    // 18 columns are left for values: "PUMP-W4-07 (infusion" (20) does not fit; the vector,
    // one word wider than that, goes under its label, folded after a '/', nothing lost.
    const std::string shown = render_presentation(p, false, 40);
    CAPTURE(shown);
    REQUIRE_THAT(shown, Contains("  Finding F1\n"
                                 "    Asset             PUMP-W4-07\n"
                                 "                      (infusion pump,\n"
                                 "                      ward 4)\n"
                                 "    CVSS v3.1 vector\n"
                                 "      CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/\n"
                                 "      C:L/I:N/A:N\n"
                                 "    Patching          manufacturer does\n"
                                 "                      not allow patching\n"
                                 "  Finding F2\n"
                                 "    Asset             PACS01\n"));
  }
  SECTION("where it fits, and without a width, the table keeps its columns") {
    for (std::size_t width : {std::size_t{0}, std::size_t{200}}) {
      CAPTURE(width);
      const std::string shown = render_presentation(p, false, width);
      REQUIRE_THAT(shown, Contains("  F2       PACS01                              CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H  "
                                   "update available\n"));
      REQUIRE_THAT(shown, !Contains("Finding F1"));
    }
  }
}

TEST_CASE("fold breaks evidence after a separator, never inside a code point, and keeps every character",
          "[presentation][wrap]") {
  using assay::presentation::fold;
  auto join = [](const std::vector<std::string>& pieces) {
    std::string out;
    for (const auto& p : pieces) out += p;
    return out;
  };
  SECTION("a line that fits is one piece") { REQUIRE(fold("MSH|^~\\&|LAB", 20) == std::vector<std::string>{"MSH|^~\\&|LAB"}); }
  SECTION("broken after the last separator that fits") {
    auto pieces = fold("OBX|1|NM|2951-2^Sodium^LN||101|mmol/L", 16);
    REQUIRE(pieces.front() == "OBX|1|NM|2951-2^");
    REQUIRE(join(pieces) == "OBX|1|NM|2951-2^Sodium^LN||101|mmol/L");
    for (const auto& p : pieces) CHECK(assay::presentation::text_width(p) <= 16);
  }
  SECTION("a token longer than the room is cut at the room, and nothing is lost") {
    std::string token(50, 'x');
    auto pieces = fold(token, 20);
    REQUIRE(pieces == std::vector<std::string>{std::string(20, 'x'), std::string(20, 'x'), std::string(10, 'x')});
  }
  SECTION("counted in code points") {
    std::string micro;
    for (int i = 0; i < 12; ++i) micro += "µ";
    auto pieces = fold(micro, 5);
    REQUIRE(pieces.size() == 3);
    REQUIRE(pieces[0] == "µµµµµ");
    REQUIRE(join(pieces) == micro);
  }
  SECTION("room 0 does not fold") { REQUIRE(fold(std::string(300, 'y'), 0).size() == 1); }
}

TEST_CASE("cut ends what it shortens with an ellipsis, and only then", "[presentation][wrap]") {
  using assay::presentation::cut;
  REQUIRE(cut("Electrical safety", 40) == "Electrical safety");
  REQUIRE(cut("Electrical safety", 10) == "Electrica…");
  REQUIRE(cut("µµµµ", 3) == "µµ…");
}
