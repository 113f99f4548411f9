#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "hl7_checks.hpp"
#include "hl7_defects.hpp"
#include "hl7v2.hpp"
#include "properties.hpp"

using assay::ehr::Hl7Defects;
using assay::sdk::Credit;
using assay::sdk::json;
namespace hl7 = assay::ehr::hl7;

namespace {

// A clean ADT^A01 and its ACK, written by hand.
const std::vector<std::string> kClean = {
    "MSH|^~\\&|REG|HOSP|EHR|HOSP|20240105083000||ADT^A01^ADT_A01|MSG001|P|2.5.1",
    "EVN|A01|20240105083000",
    "PID|1||7654321^^^HOSP^MR||Dawson^Nora||19670412|F",
    "PV1|1|I|4W^101^A^HOSP",
};
const std::vector<std::string> kAck = {
    "MSH|^~\\&|EHR|HOSP|REG|HOSP|20240105083001||ACK^A01^ACK|ACK001|P|2.5.1",
    "MSA|AA|MSG001",
};

std::string found(const hl7::Exchange& ex, const hl7::DefectRules& rules = {}) {
  std::string out;
  for (auto& [id, kinds] : hl7::find_defects(ex, rules))
    for (auto& k : kinds) out += (out.empty() ? "" : " ") + id + ":" + k;
  return out;
}

std::vector<std::string> with(std::vector<std::string> lines, std::size_t i, const std::string& text) {
  lines[i] = text;
  return lines;
}

}  // namespace

TEST_CASE("HL7 date/times are checked against the DTM format and the calendar", "[ehr][hl7-defects]") {
  auto [value, ok] = GENERATE(table<std::string, bool>({
      {"2024", true},
      {"202401", true},
      {"20240105", true},
      {"2024010508", true},
      {"202401050830", true},
      {"20240105083000", true},
      {"20240105083000.1", true},
      {"20240105083000.1234", true},
      {"20240105083000+0100", true},
      {"202401-0500", true},
      {"20240229", true},   // 2024 is a leap year
      {"20000229", true},   // divisible by 400
      {"19000229", false},  // divisible by 100, not 400
      {"20230229", false},
      {"20240431", false},  // April has 30 days
      {"20241305", false},
      {"20240005", false},
      {"20240100", false},
      {"2024010524", false},
      {"202401050860", false},
      {"20240105083060", false},
      {"2024010", false},  // 7 digits: no precision has that length
      {"20240105083000.12345", false},
      {"202401050830.5", false},  // fractions only after seconds
      {"2024-01-05", false},
      {"01/05/2024", false},
      {"20240105083000+01", false},
      {"20240105+2400", false},
      {"", false},
  }));
  CAPTURE(value);
  REQUIRE(hl7::valid_dtm(value) == ok);
}

TEST_CASE("each hl7-defects rule fires on the line it describes and no other", "[ehr][hl7-defects]") {
  auto [message, ack, expected] = GENERATE(table<std::vector<std::string>, std::vector<std::string>, std::string>({
      {kClean, {}, ""},
      {kClean, kAck, ""},
      // segment order: PID and EVN swapped, both lines out of place
      {{kClean[0], kClean[2], kClean[1], kClean[3]}, {}, "m2:segment-order m3:segment-order"},
      // PV1 before PID
      {{kClean[0], kClean[1], kClean[3], kClean[2]}, {}, "m3:segment-order m4:segment-order"},
      // NTE and Z-segments are not ranked: anywhere is fine
      {{kClean[0], "NTE|1||note", kClean[1], kClean[2], "ZXT|1", kClean[3]}, {}, ""},
      // missing required MSH-9 (empty) and MSH-12 (absent)
      {with(kClean, 0, "MSH|^~\\&|REG|HOSP|EHR|HOSP|20240105083000|||MSG001|P|2.5.1"), {}, "m1:missing-required-field"},
      {with(kClean, 0, "MSH|^~\\&|REG|HOSP|EHR|HOSP|20240105083000||ADT^A01^ADT_A01|MSG001|P"), {}, "m1:missing-required-field"},
      // bad date/times in MSH-7, EVN-2 and PID-7; component 2 of a TS is not read
      {with(kClean, 0, "MSH|^~\\&|REG|HOSP|EHR|HOSP|2024-01-05||ADT^A01^ADT_A01|MSG001|P|2.5.1"), {}, "m1:bad-datetime"},
      {with(kClean, 1, "EVN|A01|20240105253000"), {}, "m2:bad-datetime"},
      {with(kClean, 2, "PID|1||7654321^^^HOSP^MR||Dawson^Nora||19670231|F"), {}, "m3:bad-datetime"},
      {with(kClean, 2, "PID|1||7654321^^^HOSP^MR||Dawson^Nora||19670412^D|F"), {}, ""},
      // an empty date/time is not a format defect
      {with(kClean, 2, "PID|1||7654321^^^HOSP^MR||Dawson^Nora|||F"), {}, ""},
      // wrong separator: the line is reported once and not read further
      {with(kClean, 1, "EVN!A01!2024-01-05"), {}, "m2:wrong-separator"},
      {with(kClean, 3, "PV1^1^I"), {}, "m4:wrong-separator"},
      // a wrong-separator line takes no part in the order check
      {{kClean[0], kClean[3], "EVN#A01", kClean[2]}, {}, "m2:segment-order m3:wrong-separator m4:segment-order"},
      // the ACK: MSA-2 must echo MSH-10
      {kClean, with(kAck, 1, "MSA|AA|MSG002"), "k2:ack-control-id"},
      {kClean, with(kAck, 1, "MSA|AA|"), "k2:missing-required-field"},
      {kClean, with(kAck, 1, "MSA||MSG001"), "k2:missing-required-field"},
      // custom encoding characters: MSH-1 '#' is the separator to expect
      {{"MSH#$*!&#REG#HOSP#EHR#HOSP#20240105083000##ADT$A01#MSG001#P#2.5.1", "EVN#A01#20240105083000", "PID|1||7654321"},
       {},
       "m3:wrong-separator"},
  }));
  CAPTURE(message, ack);
  REQUIRE(found({message, ack}) == expected);
}

TEST_CASE("hl7-defects checks the required and date/time fields the item lists", "[ehr][hl7-defects]") {
  hl7::DefectRules rules;
  auto no_mrn = with(kClean, 2, "PID|1||||Dawson^Nora||19670412|F");
  REQUIRE(found({no_mrn, {}}, rules).empty());
  rules.required.push_back({"PID", 3});
  REQUIRE(found({no_mrn, {}}, rules) == "m3:missing-required-field");
  // PV1-44 (admit date/time): 41 separators after PV1-3 reach field 44.
  const std::string pv1 = "PV1|1|I|4W^101^A^HOSP" + std::string(41, '|');
  auto bad_admit = with(kClean, 3, pv1 + "2024010507");
  REQUIRE(found({bad_admit, {}}, rules).empty());  // PV1-44 holds a valid hour precision
  rules.datetimes.push_back({"PV1", 44});
  REQUIRE(found({bad_admit, {}}, rules).empty());
  bad_admit = with(kClean, 3, pv1 + "202401050");
  REQUIRE(found({bad_admit, {}}, rules) == "m4:bad-datetime");
  rules.datetimes.clear();
  REQUIRE(found({bad_admit, {}}, rules).empty());
}

TEST_CASE("hl7-defects scores precision, recall and naming on the hand-checked example", "[ehr][hl7-defects]") {
  auto ex = Hl7Defects::examples()[0];
  auto item = Hl7Defects::prepare(ex.params);
  auto key = item.key(ex.seed);
  std::string k;
  for (auto& [id, kinds] : key)
    for (auto& x : kinds) k += (k.empty() ? "" : " ") + id + ":" + x;
  REQUIRE(k ==
          "k2:ack-control-id m1:missing-required-field m2:segment-order m3:segment-order m4:wrong-separator m5:bad-datetime");
  auto score = [&](json r) { return item.score(ex.seed, r); };
  // Two right lines, one clean line: precision 2/3, recall 2/6, one named right of 6.
  REQUIRE(score({{"flagged", {"m2", "m4", "k1"}}, {"defects", {{"m2", {{"defect", "segment-order"}}}}}}) ==
          std::vector<Credit>{{2, 3}, {2, 6}, {1, 6}});
  // Naming a defect selects the line.
  REQUIRE(score({{"defects", {{"m5", {{"defect", "bad-datetime"}}}}}}) == std::vector<Credit>{{1, 1}, {1, 6}, {1, 6}});
  REQUIRE(score(json::object()) == std::vector<Credit>{{0, 1}, {0, 6}, {0, 6}});
  REQUIRE_THROWS_AS(score({{"flagged", "m1"}}), assay::sdk::ResponseError);
  REQUIRE_THROWS_AS(score({{"defects", {{"m1", "segment-order"}}}}), assay::sdk::ResponseError);
  auto fb = item.feedback(ex.seed, {{"flagged", {"k1"}}, {"defects", {{"m2", {{"defect", "bad-datetime"}}}}}});
  // Each explanation says what the line was checked for: a false alarm what is in order, a
  // defect what it means.
  REQUIRE_THAT(fb, Catch::Matchers::Contains("k1 (MSH): selected, but the line has none of the defects checked: its required "
                                             "fields (MSH-9"));
  REQUIRE_THAT(fb, Catch::Matchers::Contains("(over-cautious)"));
  REQUIRE_THAT(fb, Catch::Matchers::Contains("m2 (PID): selected, but its defect is segment-order (a segment out of the order "
                                             "its message structure gives), not bad-datetime"));
  REQUIRE_THAT(fb, Catch::Matchers::Contains("k2 (MSA): missed; its defect is ack-control-id (the acknowledgment's MSA-2 does "
                                             "not echo the message's MSH-10)\n  note: MSA-2 echoes MSH-10 of the message "
                                             "acknowledged"));
  SECTION("a clean fixed exchange: selecting nothing is right") {
    std::string msg, ack;
    for (auto& l : kClean) msg += l + "\r";
    for (auto& l : kAck) ack += l + "\n";  // LF-terminated files are read too
    auto clean = Hl7Defects::prepare({{"message", msg}, {"ack", ack}});
    REQUIRE(clean.key(1).empty());
    REQUIRE(clean.score(1, json::object()) == std::vector<Credit>{{1, 1}, {1, 1}, {1, 1}});
    REQUIRE(clean.score(1, {{"flagged", {"m1"}}}) == std::vector<Credit>{{0, 1}, {1, 1}, {0, 1}});
  }
}

TEST_CASE("hl7-defects refuses bad params with the key path", "[ehr][hl7-defects]") {
  auto fixed = Hl7Defects::examples()[0].params;
  auto set = [](json p, const std::string& ptr, json v) {
    p[json::json_pointer(ptr)] = std::move(v);
    return p;
  };
  auto [params, pointer, message] = GENERATE_COPY(table<json, std::string, std::string>({
      {set(fixed, "/message", "PID|1"), "/message",
       "not a checkable HL7 v2 message: message: segment 1: expected 'MSH' to start the message, found 'PID'"},
      {set(fixed, "/message", ""), "/message", "not a checkable HL7 v2 message: the message is empty"},
      {set(fixed, "/message", "MSH|^~\\&|A\rpid|1"), "/message",
       "not a checkable HL7 v2 message: message: segment 2: expected a segment id of 3 capitals or digits, found 'pid'"},
      {set(fixed, "/message", "MSH|^~\\&|A\rPID|1\rPID|2"), "/message",
       "not a checkable HL7 v2 message: message: segment 3: a second PID: the checks read one patient per message"},
      {set(fixed, "/ack", "MSH|^~\\&|A\rMSH|^~\\&|B"), "/ack",
       "not a checkable HL7 v2 message: ack: segment 2: a second MSH: one message per exchange"},
      {set(fixed, "/ack", "MSH|^~\\&|A\rERR|1"), "/ack", "an acknowledgment needs an MSA segment"},
      {set(fixed, "/kinds", {"segment-order"}), "/kinds", "'kinds' shapes generated messages; remove it or remove 'message'"},
      {set(fixed, "/required", {"MSH-9", "PID3"}), "/required/1",
       "expected a field as \"SEG-n\", e.g. \"PID-7\", found \"PID3\""},
      {set(fixed, "/required", {"MSH-9", "MSH-9"}), "/required/1", "duplicate field \"MSH-9\""},
      {set(fixed, "/datetime_fields", {"MSH-1"}), "/datetime_fields/0",
       "MSH-1 and MSH-2 hold the delimiters and are always present"},
      {json{{"ack", "MSH|^~\\&|A\rMSA|AA|1"}}, "/ack", "'ack' goes with a fixed 'message'; generated messages carry their own"},
      {json{{"kinds", {"bad-date"}}}, "/kinds/0",
       "expected one of 'segment-order', 'missing-required-field', 'bad-datetime', 'wrong-separator', 'ack-control-id', "
       "found \"bad-date\""},
      {json{{"kinds", {"bad-datetime", "bad-datetime"}}}, "/kinds/1", "duplicate kind \"bad-datetime\""},
      {json{{"defects", {{"min", 0}, {"max", 2}}}}, "/defects/min", "expected 1 to 6, found 0"},
      {json{{"defects", {{"min", 3}, {"max", 2}}}}, "/defects/max", "expected 'min' to 6, found 2"},
      {json{{"kinds", {"ack-control-id"}}, {"defects", {{"min", 2}, {"max", 2}}}}, "/defects",
       "an exchange has one acknowledgment: at most 1 ack-control-id defect"},
      {json{{"kinds", {"bad-datetime"}}, {"datetime_fields", json::array()}}, "/datetime_fields",
       "bad-datetime defects need at least one date/time field"},
      {json{{"encodings", {"|^~\\"}}}, "/encodings/0",
       "expected MSH-1 and the four MSH-2 characters, five distinct delimiters, found \"|^~\\\""},
      {json{{"events", {"ADT^A99"}}}, "/events/0",
       "expected one of 'ADT^A01', 'ADT^A03', 'ADT^A04', 'ADT^A08', 'ORU^R01', found \"ADT^A99\""},
      {json{{"events", {"ADT^A01", "ADT^A40"}}}, "/events/1",
       "expected one of 'ADT^A01', 'ADT^A03', 'ADT^A04', 'ADT^A08', 'ORU^R01', found \"ADT^A40\""},
      {json{{"colour", 1}}, "/colour", "unknown parameter 'colour'"},
  }));
  CAPTURE(params.dump());
  auto [ptr, msg] = ehr_test::refusal<Hl7Defects>(params);
  REQUIRE(ptr == pointer);
  REQUIRE(msg == message);
}

TEST_CASE("generated hl7-defects: the checks find exactly the planted defects", "[ehr][hl7-defects][property]") {
  auto [params, max_lines] = GENERATE(table<json, std::size_t>({
      {json::object(), 8},
      {json{{"events", {"ORU^R01"}}, {"defects", {{"min", 1}, {"max", 6}}}}, 12},
      {json{{"kinds", {"segment-order", "wrong-separator"}}, {"encodings", {"|^~\\&", "#$*!@"}}}, 8},
      {json{{"kinds", {"bad-datetime", "missing-required-field"}},
            {"required", {"MSH-9", "MSH-11", "PID-3", "PID-5", "PV1-2"}},
            {"datetime_fields", {"MSH-7", "EVN-2", "PID-7", "PV1-44", "OBX-14"}}},
       8},
  }));
  CAPTURE(params.dump());
  auto item = Hl7Defects::prepare(params);
  std::set<std::string> allowed;
  for (auto& k : params.value("kinds", hl7::defect_kinds())) allowed.insert(k);
  std::map<std::string, int> seen;
  for (auto seed : ehr_test::seeds(300)) {
    CAPTURE(seed);
    auto m = item.material(seed);
    std::map<std::string, std::set<std::string>> planted;
    for (auto& [id, kind] : m.planted) planted[id].insert(kind);
    auto key = item.key(seed);
    REQUIRE(key == planted);
    REQUIRE_FALSE(key.empty());
    REQUIRE(key.size() <= max_lines);
    for (auto& [id, kinds] : key) {
      REQUIRE(kinds.size() == 1);
      REQUIRE(allowed.count(*kinds.begin()));
      ++seen[*kinds.begin()];
    }
    REQUIRE(m.exchange.ack.empty() == !allowed.count("ack-control-id"));
    // The key is not in the presentation: line texts and row labels name no defect.
    auto shown = item.present(seed);
    for (auto& l : shown["material"][1]["lines"])
      for (auto& k : hl7::defect_kinds()) REQUIRE(l["text"].get<std::string>().find(k) == std::string::npos);
    for (auto& r : shown["interactions"][1]["rows"])
      for (auto& k : hl7::defect_kinds()) REQUIRE(r["label"].get<std::string>().find(k) == std::string::npos);
  }
  for (auto& k : allowed) {
    CAPTURE(k);
    REQUIRE(seen[k] > 30);
  }
}

TEST_CASE("hl7-defects keeps its properties over many seeds", "[ehr][hl7-defects][property]") {
  ehr_test::check_properties<Hl7Defects>(json{{"notes", json::object()}}, json{{"notes", {{"m1", "x"}, {"k2", "y"}}}});
  ehr_test::check_properties<Hl7Defects>(
      json{{"events", {"ORU^R01", "ADT^A03"}}, {"kinds", {"bad-datetime"}}, {"defects", {{"min", 1}, {"max", 2}}}},
      json::object());
}

TEST_CASE("hl7-defects examples earn the credits they declare", "[ehr][hl7-defects]") { ehr_test::check_examples<Hl7Defects>(); }
