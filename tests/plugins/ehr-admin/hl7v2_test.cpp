// The HL7 v2 parser on hand-written messages; every expected value is read off the message text.
#include <catch2/catch.hpp>

#include "hl7_generate.hpp"
#include "hl7v2.hpp"

using namespace assay::ehr::hl7;
using Catch::Matchers::Contains;

namespace {

// DOMAIN.md §2.1's example header plus a PID with two identifiers and an OBX.
const char* kOru =
    "MSH|^~\\&|LAB|HOSP|EHR|HOSP|20240105083000||ORU^R01^ORU_R01|MSG001|P|2.5.1\r"
    "PID|1||7654321^^^HOSP^MR~E100200300^^^EMPI^PI||Dawson^Nora^J||19670412|F|||12 Oak Street^^Riverton^^04512\r"
    "OBX|1|NM|2951-2^Sodium^LN||139|mmol/L|136-145|N|||F\r"
    "OBX|2|NM|2823-3^Potassium^LN||5.9|mmol/L|3.5-5.1|H|||F\r";

std::string at(const Message& m, const std::string& path) {
  std::string err;
  auto p = parse_path(path, &err);
  INFO(err);
  REQUIRE(p.has_value());
  auto v = value(m, *p);
  return v ? *v : std::string("<absent>");
}

}  // namespace

TEST_CASE("the MSH segment is numbered from its field separator", "[ehr][hl7v2]") {
  auto m = parse(kOru);
  auto [path, expected] =
      GENERATE(table<std::string, std::string>({{"MSH-1", "|"},
                                                {"MSH-2", "^~\\&"},
                                                {"MSH-3", "LAB"},
                                                {"MSH-4", "HOSP"},
                                                {"MSH-7", "20240105083000"},
                                                {"MSH-8", ""},
                                                {"MSH-9", "ORU^R01^ORU_R01"},  // not a leaf: returned as written
                                                {"MSH-9.1", "ORU"},
                                                {"MSH-9.2", "R01"},
                                                {"MSH-9.3", "ORU_R01"},
                                                {"MSH-10", "MSG001"},
                                                {"MSH-11", "P"},
                                                {"MSH-12", "2.5.1"}}));
  CAPTURE(path);
  REQUIRE(at(m, path) == expected);
}

TEST_CASE("other segments count fields from the segment id", "[ehr][hl7v2]") {
  auto m = parse(kOru);
  auto [path, expected] =
      GENERATE(table<std::string, std::string>({{"PID-1", "1"},
                                                {"PID-3.1", "7654321"},           // first repetition by default
                                                {"PID-3(2).1", "E100200300"},     // second repetition
                                                {"PID-3(5=PI).1", "E100200300"},  // repetition chosen by its identifier type
                                                {"PID-3(5=MR).4", "HOSP"},
                                                {"PID-5.1", "Dawson"},
                                                {"PID-5.2", "Nora"},
                                                {"PID-5.3", "J"},
                                                {"PID-7", "19670412"},
                                                {"PID-8", "F"},
                                                {"PID-11.1", "12 Oak Street"},
                                                {"PID-11.3", "Riverton"},
                                                {"PID-11.5", "04512"},
                                                {"OBX-5", "139"},  // the first OBX
                                                {"OBX(2)-5", "5.9"},
                                                {"OBX(3.1=2823-3)-8", "H"},  // the OBX whose OBX-3.1 is potassium's LOINC code
                                                {"OBX(3.2=Sodium)-7", "136-145"},
                                                {"OBX(2)-11", "F"}}));
  CAPTURE(path);
  REQUIRE(at(m, path) == expected);
}

TEST_CASE("absent segments, fields, repetitions and components are absent, not empty", "[ehr][hl7v2]") {
  auto m = parse(kOru);
  auto path = GENERATE(as<std::string>{}, "PV1-2", "OBX(3)-5", "PID-40", "PID-3(3).1", "PID-3(5=AN).1", "PID-5.9", "PID-5.1.2",
                       "OBX(3.1=9999-9)-5", "MSH-1.1");
  CAPTURE(path);
  REQUIRE(at(m, path) == "<absent>");
}

TEST_CASE("a batch or file header with nothing after its id is a segment without fields", "[ehr][hl7v2]") {
  auto m = parse(std::string(kOru) + "BHS\rFHS\r");
  REQUIRE(m.segments.size() == 6);
  CHECK(m.segments[4].fields == std::vector<std::string>{"BHS"});
  CHECK(at(m, "BHS-1") == "<absent>");
  CHECK(at(m, "FHS-2") == "<absent>");
}

TEST_CASE("custom encoding characters from MSH-2 drive every split and escape", "[ehr][hl7v2]") {
  // Field '#', component '$', repetition '*', escape '!', subcomponent '@'.
  const char* text =
      "MSH#$*!@#LAB#HOSP#EHR#HOSP#20240105083000##ADT$A01$ADT_A01#C42#P#2.5.1\r"
      "PID#1##111$$$HOSP$MR*222$$$EMPI$PI##O!S!Neil@Van$Ann##19800101#F\r";
  auto m = parse(text);
  REQUIRE(m.encoding.field == '#');
  REQUIRE(m.encoding.component == '$');
  REQUIRE(m.encoding.repetition == '*');
  REQUIRE(m.encoding.escape == '!');
  REQUIRE(m.encoding.subcomponent == '@');
  REQUIRE(at(m, "MSH-1") == "#");
  REQUIRE(at(m, "MSH-2") == "$*!@");
  REQUIRE(at(m, "MSH-9.2") == "A01");
  REQUIRE(at(m, "MSH-10") == "C42");
  REQUIRE(at(m, "PID-3(2).1") == "222");
  REQUIRE(at(m, "PID-5.1.1") == "O$Neil");  // !S! is the component character, '$' here
  REQUIRE(at(m, "PID-5.1.2") == "Van");
  REQUIRE(at(m, "PID-5.2") == "Ann");
  REQUIRE(at(m, "PID-5.1") == "O!S!Neil@Van");  // not a leaf: as written
}

TEST_CASE("escape sequences decode to the delimiters they stand for", "[ehr][hl7v2]") {
  Encoding enc;
  auto [raw, decoded] =
      GENERATE(table<std::string, std::string>({{"A\\F\\B", "A|B"},
                                                {"A\\S\\B", "A^B"},
                                                {"A\\T\\B", "A&B"},
                                                {"A\\R\\B", "A~B"},
                                                {"A\\E\\B", "A\\B"},
                                                {"\\X41\\", "A"},
                                                {"\\X4142\\x", "ABx"},
                                                {"caf\\XC3A9\\", "caf\xC3\xA9"},
                                                {"\\E\\F\\E\\", "\\F\\"},              // an escaped escape is not re-read
                                                {"line\\.br\\two", "line\\.br\\two"},  // formatting escapes are kept as written
                                                {"a\\Xzz\\b", "a\\Xzz\\b"},            // not hex: kept
                                                {"trailing\\", "trailing\\"},          // a lone escape: kept
                                                {"plain", "plain"}}));
  CAPTURE(raw);
  REQUIRE(unescape(raw, enc) == decoded);
}

TEST_CASE("escaping then unescaping gives the value back", "[ehr][hl7v2]") {
  Encoding enc{'#', '$', '*', '!', '@'};
  std::string v = "Unit 4 & 5 # $ * ! @ | ^ ~ \\";
  auto e = escape(v, enc);
  REQUIRE(e.find_first_of("#$*@") == std::string::npos);
  REQUIRE(unescape(e, enc) == v);
}

TEST_CASE("an escaped delimiter does not split a field", "[ehr][hl7v2]") {
  auto m = parse("MSH|^~\\&|A|B|C|D|20240101||ADT^A08|X1|P|2.5.1\rNTE|1|L|Smith \\T\\ Sons\\S\\ltd \\F\\ ok\\R\\\r");
  REQUIRE(at(m, "NTE-3") == "Smith & Sons^ltd | ok~");
  REQUIRE(at(m, "NTE-4") == "<absent>");
}

TEST_CASE("segment terminators may be CR, LF or CR LF, with or without MLLP framing", "[ehr][hl7v2]") {
  std::string body = "MSH|^~\\&|A|B|C|D|20240101||ADT^A04|X1|P|2.5.1{}PID|1||9^^^H^MR{}PV1|1|E{}";
  auto with = [&](const std::string& term) {
    std::string s = body;
    for (auto pos = s.find("{}"); pos != std::string::npos; pos = s.find("{}")) s.replace(pos, 2, term);
    return s;
  };
  auto text = GENERATE_COPY(with("\r"), with("\n"), with("\r\n"), "\x0b" + with("\r") + "\x1c\r");
  auto m = parse(text);
  REQUIRE(m.segments.size() == 3);
  REQUIRE(at(m, "PV1-2") == "E");
  REQUIRE(at(m, "PID-3.1") == "9");
}

TEST_CASE("unreadable messages are refused with the segment and the reason", "[ehr][hl7v2]") {
  auto [text, message] = GENERATE(table<std::string, std::string>(
      {{"", "the message is empty"},
       {"PID|1||9\r", "segment 1: expected 'MSH' to start the message, found 'PID'"},
       {"MSH|^~\r", "segment 1: MSH is too short to hold MSH-1 and MSH-2"},
       {"MSH|^~|A|B\r",
        "segment 1: MSH-2 must hold 4 encoding characters (component, repetition, escape, subcomponent), found '^~'"},
       {"MSH|^~\\^|A\r", "segment 1: MSH-1 and MSH-2 repeat the delimiter '^'"},
       {"MSH|^~A&|A\r", "segment 1: MSH-2 '^~A&' holds a letter, digit or space"},
       {"MSH|^~\\&|A\rpid|1\r", "segment 2: expected a segment id of capitals and digits, found 'pid'"},
       {"MSH|^~\\&|A\rPID#1\r", "segment 2: expected the field separator '|' after 'PID', found '#'"},
       {"MSH|^~\\&|A\rMSH|^~\\&|B\r", "segment 2: a second MSH: one message per item"},
       {"MSH|^~\\&|A\rMSH\r", "segment 2: a second MSH: one message per item"}}));
  CAPTURE(text);
  try {
    parse(text);
    FAIL("accepted");
  } catch (const ParseError& e) {
    REQUIRE(std::string(e.what()) == message);
  }
}

TEST_CASE("malformed paths are refused with the reason", "[ehr][hl7v2]") {
  auto [path, message] = GENERATE(
      table<std::string, std::string>({{"PID", "expected a path such as 'PID-5.1', found 'PID'"},
                                       {"pid-5", "expected a 3-character segment id in capitals, found 'pid'"},
                                       {"PID5.1", "expected '-' and a field number after 'PID' in 'PID5.1'"},
                                       {"PID-0", "expected a field number from 1 in 'PID-0'"},
                                       {"PID-5.x", "expected a component number from 1 in 'PID-5.x'"},
                                       {"PID-3(5=MR", "unclosed '('"},
                                       {"OBX(0)-5", "expected a position from 1 or 'n=value' in parentheses, found '(0)'"},
                                       {"PID-3(1.2.3=X).1", "expected at most 2 dot-separated numbers before '=' in '(1.2.3=X)'"},
                                       {"PID-5.1.1.1", "unexpected '.1' at the end of 'PID-5.1.1.1'"}}));
  CAPTURE(path);
  std::string err;
  REQUIRE_FALSE(parse_path(path, &err).has_value());
  REQUIRE(err == message);
}

TEST_CASE("generated lab results stay within a quarter of the reference range's width of it", "[ehr][hl7v2][property]") {
  // Drawn from 70 % of the low end to 130 % of the high end, panels showed sodium 101 beside
  // chloride 137: values no patient has.
  namespace hl7 = assay::ehr::hl7;
  hl7::Options opt;
  opt.events = {"ORU^R01"};
  int flagged = 0, results = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    assay::sdk::Rng rng(seed);
    std::string msg = hl7::generate(opt, rng);
    std::size_t at = 0;
    while ((at = msg.find("\rOBX|", at)) != std::string::npos) {
      ++at;
      auto end = msg.find('\r', at);
      std::string seg = msg.substr(at, end - at);
      std::vector<std::string> f;
      std::size_t s = 0;
      for (std::size_t i = 0; i <= seg.size(); ++i)
        if (i == seg.size() || seg[i] == '|') {
          f.push_back(seg.substr(s, i - s));
          s = i + 1;
        }
      REQUIRE(f.size() > 8);
      auto value = *assay::sdk::Decimal::parse(f[5]);
      auto dash = f[7].find('-');
      auto low = *assay::sdk::Decimal::parse(f[7].substr(0, dash)), high = *assay::sdk::Decimal::parse(f[7].substr(dash + 1));
      auto margin = (high - low) * assay::sdk::Decimal(26).scaled(-2);
      CAPTURE(seg);
      CHECK(value >= low - margin);
      CHECK(value <= high + margin);
      ++results;
      flagged += f[8] != "N";
    }
  }
  REQUIRE(results > 500);
  CHECK(flagged * 5 > results);  // abnormal results still occur
}

TEST_CASE("generated sodium and chloride leave an anion gap a patient can have", "[ehr][hl7v2][property]") {
  // Na − Cl is the anion gap plus bicarbonate: 3-16 mmol/L plus 22-29 mmol/L, so 25 to 45. Drawn
  // each on its own, a panel showed sodium 134 beside chloride 109 (a gap of 1 with a normal
  // bicarbonate) or sodium 147 beside chloride 96.
  namespace hl7 = assay::ehr::hl7;
  hl7::Options opt;
  opt.events = {"ORU^R01"};
  int panels = 0;
  for (std::uint64_t seed = 1; seed <= 500; ++seed) {
    assay::sdk::Rng rng(seed);
    std::string msg = hl7::generate(opt, rng);
    auto value_of = [&](const std::string& code) {
      auto at = msg.find("|NM|" + code + "^");
      REQUIRE(at != std::string::npos);
      auto start = msg.find('|', msg.find('|', at + 4) + 1) + 1;  // past OBX-3 and the empty OBX-4
      return *assay::sdk::Decimal::parse(msg.substr(start, msg.find('|', start) - start));
    };
    auto na = value_of("NA"), cl = value_of("CL");
    CAPTURE(seed, na.to_string(), cl.to_string());
    CHECK(na - cl >= assay::sdk::Decimal(25));
    CHECK(na - cl <= assay::sdk::Decimal(45));
    ++panels;
  }
  REQUIRE(panels == 500);
}
