#include <catch2/catch.hpp>

#include <set>

#include "hl7_fields.hpp"
#include "properties.hpp"

using assay::ehr::Hl7Fields;
using assay::sdk::Credit;
using assay::sdk::json;

namespace {

// Field '#', component '$', repetition '*', escape '!', subcomponent '&'.
const char* kFixed =
    "MSH#$*!&#LAB#HOSP#EHR#HOSP#20240105083000##ORU$R01$ORU_R01#MSG001#P#2.5.1\n"
    "PID#1##E100200300$$$EMPI$PI*7654321$$$HOSP$MR##Dawson!T!Hale$Nora##19670412#F\n"
    "PV1#1#I#4W$210$B####0042$Okafor$Grace$$$DR\n"
    "OBX#1#NM#2951-2$Sodium$LN##139#mmol/L#136-145#N###F\n"
    "OBX#2#NM#2823-3$Potassium$LN##5.9#mmol/L#3.5-5.1#H###F\n";

json fixed_params() {
  return json{{"message", kFixed},
              {"fields",
               json::array({json{{"id", "mrn"}, {"name", "patient-mrn"}}, json{{"id", "family"}, {"name", "patient-family-name"}},
                            json{{"id", "event"}, {"name", "trigger-event"}},
                            json{{"id", "attending"}, {"name", "attending-family-name"}},
                            json{{"id", "k-flag"}, {"path", "OBX(3.1=2823-3)-8"}, {"label", "Potassium flag"}}})}};
}

json answers(const std::string& mrn, const std::string& family, const std::string& event, const std::string& att,
             const std::string& flag) {
  return json{{"fields", {{"mrn", mrn}, {"family", family}, {"event", event}, {"attending", att}, {"k-flag", flag}}}};
}

std::string line_of(const std::string& msg, const std::string& start) {
  auto pos = msg.find(start);
  if (pos == std::string::npos) return {};
  auto from = msg[pos] == '\r' ? pos + 1 : pos;
  return msg.substr(from, msg.find('\r', from) - from);
}

std::vector<std::string> split(const std::string& s, char c) {
  std::vector<std::string> out(1);
  for (char x : s) {
    if (x == c)
      out.emplace_back();
    else
      out.back() += x;
  }
  return out;
}

}  // namespace

TEST_CASE("hl7-fields reads the key of a fixed message with its own delimiters", "[ehr][hl7-fields]") {
  auto item = Hl7Fields::prepare(fixed_params());
  // Read off kFixed by hand: the MR repetition is the second; !T! is the escaped subcomponent
  // character '&'; the attending's family name is PV1-7.2.
  REQUIRE(item.key(1) == std::vector<std::string>{"7654321", "Dawson&Hale", "R01", "Okafor", "H"});
  REQUIRE(item.score(1, answers("7654321", "Dawson&Hale", "R01", "Okafor", "H")) == std::vector<Credit>{Credit::full()});
  REQUIRE(item.score(1, answers("E100200300", "Dawson&Hale", "R01", "Okafor", "H")) == std::vector<Credit>{{4, 5}});
  REQUIRE(item.score(1, answers("7654321", "Dawson!T!Hale", "ORU", "Grace", "N")) == std::vector<Credit>{{1, 5}});
  REQUIRE(item.score(1, json::object()) == std::vector<Credit>{Credit::none()});
}

TEST_CASE("hl7-fields normalises case and white space as its params say", "[ehr][hl7-fields]") {
  auto params = fixed_params();
  auto response = answers(" 7654321 ", "dawson&hale", "r01", "OKAFOR", "h");
  SECTION("by default case is ignored and ends are trimmed") {
    REQUIRE(Hl7Fields::prepare(params).score(1, response) == std::vector<Credit>{Credit::full()});
  }
  SECTION("case-sensitive items count the lowercase answers wrong") {
    params["case_sensitive"] = true;
    REQUIRE(Hl7Fields::prepare(params).score(1, response) == std::vector<Credit>{{1, 5}});
  }
  SECTION("untrimmed items count the padded MRN wrong") {
    params["trim"] = false;
    REQUIRE(Hl7Fields::prepare(params).score(1, response) == std::vector<Credit>{{4, 5}});
  }
}

TEST_CASE("hl7-fields accepts the further answers its secret params list", "[ehr][hl7-fields]") {
  auto params = fixed_params();
  params["accept"] = {{"event", {"ORU^R01"}}};
  auto item = Hl7Fields::prepare(params);
  REQUIRE(item.score(1, answers("7654321", "Dawson&Hale", "ORU^R01", "Okafor", "H")) == std::vector<Credit>{Credit::full()});
  REQUIRE(item.score(1, answers("7654321", "Dawson&Hale", "R01", "Okafor", "H")) == std::vector<Credit>{Credit::full()});
  auto shown = item.present(1).dump();
  REQUIRE(shown.find("accept") == std::string::npos);
}

TEST_CASE("hl7-fields decodes escapes under the default delimiters", "[ehr][hl7-fields]") {
  json params = {{"message", "MSH|^~\\&|A|B|C|D|20240101||ADT^A08^ADT_A01|X1|P|2.5.1\rPID|1||9^^^H^MR||O\\T\\Brien^Ann\r"},
                 {"fields", json::array({json{{"id", "family"}, {"name", "patient-family-name"}}})}};
  auto item = Hl7Fields::prepare(params);
  REQUIRE(item.key(5) == std::vector<std::string>{"O&Brien"});
}

TEST_CASE("hl7-fields reads the surviving and the prior identifiers of a fixed ADT^A40", "[ehr][hl7-fields]") {
  // Hand-written merge under field '#', component '$', repetition '*', escape '!', subcomponent
  // '&'. PID-3 holds the surviving identifiers; MRG-1 the prior ones, its MR repetition second;
  // MRG-2 to MRG-6 are empty, so MRG-7 (prior patient name) follows six separators, and its
  // !T! decodes to the subcomponent character '&'.
  const char* merge =
      "MSH#$*!&#REGADT#NORTHGEN#EMPI#NORTHGEN#20260214101500##ADT$A40$ADT_A39#MRG0091#P#2.5.1\r"
      "EVN#A40#20260214101500\r"
      "PID#1##6613300$$$NORTHGEN$MR*E300400500$$$EMPI$PI##Okafor$Grace$A##19720118#F\r"
      "MRG#E300499999$$$EMPI$PI*6613377$$$NORTHGEN$MR######Bello!T!Okafor$Grace\r";
  json params = {
      {"message", merge},
      {"fields", json::array({json{{"id", "survivor"}, {"name", "patient-mrn"}}, json{{"id", "prior"}, {"name", "prior-mrn"}},
                              json{{"id", "prior-name"}, {"name", "prior-family-name"}},
                              json{{"id", "structure"}, {"name", "message-structure"}},
                              json{{"id", "prior-empi"}, {"path", "MRG-1(5=PI).1"}, {"label", "Prior EMPI"}}})}};
  auto item = Hl7Fields::prepare(params);
  REQUIRE(item.key(1) == std::vector<std::string>{"6613300", "6613377", "Bello&Okafor", "ADT_A39", "E300499999"});
  json swapped = {{"fields",
                   {{"survivor", "6613377"},
                    {"prior", "6613300"},
                    {"prior-name", "Bello&Okafor"},
                    {"structure", "ADT_A39"},
                    {"prior-empi", "E300499999"}}}};
  REQUIRE(item.score(1, swapped) == std::vector<Credit>{Credit::fraction(3, 5)});
}

TEST_CASE("hl7-fields refuses bad params with the key path", "[ehr][hl7-fields]") {
  auto base = fixed_params();
  auto gen = json{{"fields", json::array({json{{"id", "e"}, {"name", "trigger-event"}}})}};
  auto with = [](json p, const std::string& ptr, json v) {
    p[json::json_pointer(ptr)] = std::move(v);
    return p;
  };
  auto [params, pointer, message] = GENERATE_COPY(table<json, std::string, std::string>(
      {{with(base, "/message", "PID|1\r"), "/message",
        "not a readable HL7 v2 message: segment 1: expected 'MSH' to start the message, found 'PID'"},
       {with(base, "/fields/4/path", "OBX(3.1=2823-3)-9"), "/fields/4/path", "'OBX(3.1=2823-3)-9' holds no value in the message"},
       {with(base, "/fields/4/path", "OBX-x"), "/fields/4/path", "not a field path: expected a field number from 1 in 'OBX-x'"},
       {with(base, "/fields/1/name", "patient-nickname"), "/fields/1/name", ""},
       {with(base, "/fields/1/id", "mrn"), "/fields/1/id", "duplicate field id \"mrn\""},
       {with(base, "/fields/1/id", "Family Name"), "/fields/1/id",
        "expected an id of lowercase letters, digits, '-' and '_', found \"Family Name\""},
       {with(base, "/events", json::array({"ADT^A01"})), "/events",
        "'events' shapes generated messages; remove it or remove 'message'"},
       {with(base, "/accept", json{{"nope", json::array({"x"})}}), "/accept/nope", "no field with id \"nope\""},
       {with(base, "/colour", "red"), "/colour", "unknown parameter 'colour'"},
       {with(gen, "/events", json::array({"ADT^A99"})), "/events/0",
        "expected one of 'ADT^A01', 'ADT^A03', 'ADT^A04', 'ADT^A08', 'ADT^A40', 'ORU^R01', found \"ADT^A99\""},
       {with(gen, "/fields/0", json{{"id", "p"}, {"name", "prior-mrn"}}), "/fields/0/name",
        "\"prior-mrn\" is only in ADT^A40: set events = [\"ADT^A40\"]"},
       {with(with(gen, "/events", json::array({"ADT^A08", "ADT^A40"})), "/fields/0",
             json{{"id", "p"}, {"name", "prior-family-name"}}),
        "/fields/0/name", "\"prior-family-name\" is only in ADT^A40: set events = [\"ADT^A40\"]"},
       {with(with(gen, "/events", json::array({"ADT^A04", "ADT^A40"})), "/fields/0",
             json{{"id", "c"}, {"name", "patient-class"}}),
        "/fields/0/name",
        "\"patient-class\" is read from PV1, which ADT^A40 messages do not carry: remove \"ADT^A40\" from events"},
       {with(with(gen, "/events", json::array({"ADT^A40"})), "/fields/0", json{{"id", "d"}, {"name", "discharge-datetime"}}),
        "/fields/0/name", "\"discharge-datetime\" is only in ADT^A03: set events = [\"ADT^A03\"]"},
       {with(gen, "/encodings", json::array({"|^~\\^"})), "/encodings/0",
        "expected MSH-1 and the four MSH-2 characters, five distinct delimiters, found \"|^~\\^\""},
       {with(gen, "/fields/0", json{{"id", "k"}, {"name", "obx-flag:2823-3"}}), "/fields/0/name",
        "\"obx-flag:2823-3\" is only in ORU^R01: set events = [\"ORU^R01\"]"},
       {with(with(gen, "/events", json::array({"ORU^R01"})), "/fields/0", json{{"id", "k"}, {"name", "obx-flag:1234-5"}}),
        "/fields/0/name", "no analyte with code \"1234-5\" in the panel"},
       {with(gen, "/fields/0", json{{"id", "k"}, {"path", "PID-3.1"}, {"label", "MRN"}}), "/fields/0/path",
        "a 'path' needs a fixed 'message'; generated messages take a catalogue 'name'"},
       {with(gen, "/fields/0", json{{"id", "k"}}), "/fields/0", "expected exactly one of 'name' and 'path'"},
       {json::object(), "", "missing required key 'fields'"}}));
  CAPTURE(params.dump());
  auto [ptr, msg] = ehr_test::refusal<Hl7Fields>(params);
  REQUIRE(ptr == pointer);
  if (message.empty())
    REQUIRE_THAT(msg, Catch::Matchers::StartsWith("unknown field name \"patient-nickname\"; known: message-type, trigger-event"));
  else
    REQUIRE(msg == message);
}

TEST_CASE("generated hl7-fields keys agree with a plain reading of the message", "[ehr][hl7-fields][property]") {
  json params = {
      {"events", json::array({"ADT^A01", "ADT^A03", "ADT^A04", "ADT^A08", "ORU^R01"})},
      {"fields", json::array({json{{"id", "event"}, {"name", "trigger-event"}}, json{{"id", "mrn"}, {"name", "patient-mrn"}},
                              json{{"id", "street"}, {"name", "street"}}, json{{"id", "class"}, {"name", "patient-class"}}})}};
  auto item = Hl7Fields::prepare(params);
  std::set<std::string> events;
  int escaped = 0;
  for (auto seed : ehr_test::seeds(400)) {
    CAPTURE(seed);
    auto msg = item.message(seed);
    auto key = item.key(seed);
    auto msh = split(line_of(msg, "MSH|"), '|');
    REQUIRE(msh.size() >= 12);
    auto type = split(msh[8], '^');  // MSH-9 is the 9th element after "MSH": index 8
    REQUIRE(key[0] == type[1]);
    events.insert(type[0] + "^" + type[1]);
    auto pid = split(line_of(msg, "\rPID|"), '|');
    bool mr_found = false;
    for (auto& rep : split(pid[3], '~')) {
      auto cx = split(rep, '^');
      if (cx.size() >= 5 && cx[4] == "MR") mr_found = key[1] == cx[0];
    }
    REQUIRE(mr_found);
    auto street_raw = split(split(pid[11], '^')[0], '&')[0];
    if (street_raw.find("\\T\\") != std::string::npos) {
      ++escaped;
      REQUIRE(key[2].find('&') != std::string::npos);
      REQUIRE(key[2].find('\\') == std::string::npos);
    } else {
      REQUIRE(key[2] == street_raw);
    }
    auto pv1 = split(line_of(msg, "\rPV1|"), '|');
    REQUIRE(key[3] == pv1[2]);
    if (type[1] == "A01" || type[1] == "A03" || type[1] == "A08") REQUIRE(key[3] == "I");
  }
  REQUIRE(events == std::set<std::string>{"ADT^A01", "ADT^A03", "ADT^A04", "ADT^A08", "ORU^R01"});
  REQUIRE(escaped > 20);
}

TEST_CASE("generated ADT^A40 keys agree with a plain reading of PID and MRG", "[ehr][hl7-fields][property]") {
  json params = {
      {"events", json::array({"ADT^A40"})},
      {"fields",
       json::array({json{{"id", "event"}, {"name", "trigger-event"}}, json{{"id", "structure"}, {"name", "message-structure"}},
                    json{{"id", "mrn"}, {"name", "patient-mrn"}}, json{{"id", "prior"}, {"name", "prior-mrn"}},
                    json{{"id", "prior-name"}, {"name", "prior-family-name"}}})}};
  auto item = Hl7Fields::prepare(params);
  int renamed = 0, same_name = 0;
  for (auto seed : ehr_test::seeds(400)) {
    CAPTURE(seed);
    auto msg = item.message(seed);
    REQUIRE(msg == item.message(seed));
    auto key = item.key(seed);
    REQUIRE(key[0] == "A40");
    REQUIRE(key[1] == "ADT_A39");
    // ADT_A39: MSH, EVN, then PID and MRG; this generator writes no PD1 or PV1.
    std::vector<std::string> ids;
    for (auto& line : split(msg, '\r'))
      if (!line.empty()) ids.push_back(line.substr(0, 3));
    REQUIRE(ids == std::vector<std::string>{"MSH", "EVN", "PID", "MRG"});
    auto msh = split(line_of(msg, "MSH|"), '|');
    REQUIRE(msh[8] == "ADT^A40^ADT_A39");
    REQUIRE(split(line_of(msg, "\rEVN|"), '|')[1] == "A40");
    auto pid = split(line_of(msg, "\rPID|"), '|');
    auto mrg = split(line_of(msg, "\rMRG|"), '|');
    std::vector<std::string> survivor_cx;
    for (auto& rep : split(pid[3], '~')) {
      auto cx = split(rep, '^');
      if (cx.size() >= 5 && cx[4] == "MR") survivor_cx = cx;
    }
    REQUIRE(survivor_cx.size() == 5);
    REQUIRE(key[2] == survivor_cx[0]);
    auto prior_cx = split(mrg[1], '^');
    REQUIRE(prior_cx.size() == 5);
    REQUIRE(prior_cx[4] == "MR");
    REQUIRE(prior_cx[3] == survivor_cx[3]);  // the same assigning authority: one facility's MRNs merge
    REQUIRE(key[3] == prior_cx[0]);
    REQUIRE(key[3] != key[2]);
    REQUIRE(mrg.size() == 8);
    REQUIRE(key[4] == split(mrg[7], '^')[0]);
    auto pid_family = split(pid[5], '^')[0];
    REQUIRE(split(mrg[7], '^')[1] == split(pid[5], '^')[1]);  // the same given name
    (key[4] == pid_family ? same_name : renamed) += 1;
    // The answers reach the candidate only inside the message, never in the fields asked for.
    auto shown = item.present(seed);
    REQUIRE(shown.dump().find(key[3]) != std::string::npos);
    auto asked = shown;
    asked.erase("material");
    for (auto& k : key) REQUIRE(asked.dump().find(k) == std::string::npos);
  }
  REQUIRE(renamed > 100);
  REQUIRE(same_name > 100);
}

TEST_CASE("generated ORU flags agree with the value and the range in the same OBX", "[ehr][hl7-fields][property]") {
  json params = {{"events", json::array({"ORU^R01"})},
                 {"fields", json::array({json{{"id", "flag"}, {"name", "obx-flag:2823-3"}},
                                         json{{"id", "value"}, {"name", "obx-value:2823-3"}}})}};
  auto item = Hl7Fields::prepare(params);
  std::set<std::string> flags;
  for (auto seed : ehr_test::seeds(300)) {
    CAPTURE(seed);
    auto key = item.key(seed);
    auto v = *assay::sdk::Decimal::parse(key[1]);
    std::string expected = v < assay::sdk::Decimal(35).scaled(-1) ? "L" : (v > assay::sdk::Decimal(51).scaled(-1) ? "H" : "N");
    REQUIRE(key[0] == expected);
    flags.insert(key[0]);
  }
  REQUIRE(flags == std::set<std::string>{"H", "L", "N"});
}

TEST_CASE("hl7-fields keeps its properties over many seeds", "[ehr][hl7-fields][property]") {
  // Every catalogue field the default events all carry; the event-specific ones are checked below.
  json fields = json::array();
  for (auto& f : assay::ehr::hl7::named_fields())
    if (f.only_event.empty()) fields.push_back(json{{"id", f.name}, {"name", f.name}});
  REQUIRE(fields.size() > 20);  // 22 today; a filter that kept a few would prove little
  json params = {{"encodings", json::array({"|^~\\&", "#$*!@"})}, {"fields", fields}, {"accept", json::object()}};
  ehr_test::check_properties<Hl7Fields>(params, json{{"accept", json{{"sex", json::array({"X"})}}}});
  json oru = {
      {"events", json::array({"ORU^R01"})},
      {"fields", json::array({json{{"id", "f"}, {"name", "obx-flag:GLU"}}, json{{"id", "u"}, {"name", "obx-units:2823-3"}},
                              json{{"id", "s"}, {"name", "obx-status:CREA"}}})}};
  ehr_test::check_properties<Hl7Fields>(oru, json::object());
  json a03 = {{"events", json::array({"ADT^A03"})}, {"fields", json::array({json{{"id", "d"}, {"name", "discharge-datetime"}}})}};
  ehr_test::check_properties<Hl7Fields>(a03, json::object());
  json a40 = {{"events", json::array({"ADT^A40"})},
              {"encodings", json::array({"|^~\\&", "#$*!@"})},
              {"fields", json::array({json{{"id", "p"}, {"name", "prior-mrn"}}, json{{"id", "n"}, {"name", "prior-family-name"}},
                                      json{{"id", "m"}, {"name", "patient-mrn"}}})},
              {"accept", json::object()}};
  ehr_test::check_properties<Hl7Fields>(a40, json{{"accept", json{{"p", json::array({"0000000"})}}}});
  json mixed = {
      {"events", json::array({"ADT^A04", "ADT^A40"})},
      {"fields", json::array({json{{"id", "e"}, {"name", "trigger-event"}}, json{{"id", "m"}, {"name", "patient-mrn"}}})}};
  ehr_test::check_properties<Hl7Fields>(mixed, json::object());
}

TEST_CASE("hl7-fields examples earn the credits they declare", "[ehr][hl7-fields]") { ehr_test::check_examples<Hl7Fields>(); }

TEST_CASE("hl7-fields feedback names the neighbouring field or component a wrong answer came from",
          "[ehr][hl7-fields][feedback]") {
  auto params = Hl7Fields::examples()[0].params;
  params["fields"] = json::array({json{{"id", "app"}, {"path", "MSH-3"}, {"label", "Sending application"}},
                                  json{{"id", "event"}, {"name", "trigger-event"}}});
  auto item = Hl7Fields::prepare(params);
  auto text = item.feedback(7, {{"fields", {{"app", "HOSP"}, {"event", "ORU"}}}});
  using Catch::Matchers::Contains;
  CHECK_THAT(text, Contains("'HOSP' is not what MSH-3 holds: 'LAB' ('HOSP' is what MSH-4 holds: MSH-1 is the field separator "
                            "itself, so MSH fields are counted from it)"));
  CHECK_THAT(text, Contains("'ORU' is what MSH-9.1 holds: components count from 1)"));
}
