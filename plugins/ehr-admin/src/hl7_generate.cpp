#include "hl7_generate.hpp"

#include <algorithm>
#include <optional>

#include "synth.hpp"

namespace assay::ehr::hl7 {

using synth::two;

const std::vector<Analyte>& default_panel() {
  static const std::vector<Analyte> v = {
      {"2823-3", "Potassium", "LN", "mmol/L", sdk::Decimal(35).scaled(-1), sdk::Decimal(51).scaled(-1), 1},
      {"NA", "Sodium", "99LAB", "mmol/L", sdk::Decimal(136), sdk::Decimal(145), 0},
      {"CL", "Chloride", "99LAB", "mmol/L", sdk::Decimal(98), sdk::Decimal(107), 0},
      {"GLU", "Glucose", "99LAB", "mg/dL", sdk::Decimal(70), sdk::Decimal(99), 0},
      {"CREA", "Creatinine", "99LAB", "mg/dL", sdk::Decimal(6).scaled(-1), sdk::Decimal(12).scaled(-1), 2},
  };
  return v;
}

const std::vector<std::string>& supported_events() {
  static const std::vector<std::string> v = {"ADT^A01", "ADT^A03", "ADT^A04", "ADT^A08", "ADT^A40", "ORU^R01"};
  return v;
}

const std::vector<std::string>& visit_events() {
  static const std::vector<std::string> v = {"ADT^A01", "ADT^A03", "ADT^A04", "ADT^A08", "ORU^R01"};
  return v;
}

namespace {

struct Stamp {
  synth::Date date;
  int hour, minute, second;
  std::string hl7() const { return date.hl7() + two(hour) + two(minute) + two(second); }
};

Stamp random_stamp(sdk::Rng& rng) {
  return {synth::random_date(rng, 2024, 2026), static_cast<int>(rng.between(0, 23)), static_cast<int>(rng.between(0, 59)),
          static_cast<int>(rng.between(0, 59))};
}

// A value between low×0.7 and high×1.3 at `decimals` places, as decimal text.
// A value within a quarter of the reference range's width beyond either end: about a third of
// results are flagged, all of them values a laboratory reports. Drawing from 70 % of the low
// end to 130 % of the high end gave panels no patient has (sodium 101 beside chloride 137).
sdk::Decimal draw_value(sdk::Rng& rng, const Analyte& a) {
  sdk::Decimal margin = ((a.high - a.low) * sdk::Decimal(25).scaled(-2)).rounded(a.decimals);
  sdk::Decimal lo = a.low - margin;
  sdk::Decimal hi = a.high + margin;
  sdk::Decimal step = sdk::Decimal(1).scaled(-a.decimals);
  // Count the steps between lo and hi exactly.
  std::int64_t steps = 0;
  for (sdk::Decimal x = lo; x < hi && steps < 100000; x = x + step) ++steps;
  return lo + step * sdk::Decimal(rng.between(0, steps));
}

std::string lowered(std::string s) {
  for (auto& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

// Sodium and chloride drawn each on its own made panels no patient has: the anion gap
// Na − (Cl + HCO3) is about 3-11 mmol/L by ion-selective electrodes and 8-16 by older methods,
// above 16 elevated (University of Iowa pathology handbook; GlobalRPh), with bicarbonate about
// 22-29 mmol/L. So Na − Cl (the gap plus bicarbonate) is kept within 3 + 22 = 25 and
// 16 + 29 = 45 mmol/L: chloride is drawn again inside that window and its own draw range.
void keep_consistent(sdk::Rng& rng, const std::vector<Analyte>& panel, std::vector<sdk::Decimal>& values) {
  std::optional<std::size_t> na, cl;
  for (std::size_t i = 0; i < panel.size(); ++i) {
    if (lowered(panel[i].units) != "mmol/l") continue;
    if (lowered(panel[i].name) == "sodium") na = i;
    if (lowered(panel[i].name) == "chloride") cl = i;
  }
  if (!na || !cl) return;
  const Analyte& c = panel[*cl];
  sdk::Decimal margin = ((c.high - c.low) * sdk::Decimal(25).scaled(-2)).rounded(c.decimals);
  sdk::Decimal lo = std::max(c.low - margin, values[*na] - sdk::Decimal(45));
  sdk::Decimal hi = std::min(c.high + margin, values[*na] - sdk::Decimal(25));
  if (hi < lo) return;  // a panel whose ranges cannot meet: keep the independent draw
  sdk::Decimal step = sdk::Decimal(1).scaled(-c.decimals);
  std::int64_t steps = 0;
  for (sdk::Decimal x = lo; x < hi && steps < 100000; x = x + step) ++steps;
  values[*cl] = lo + step * sdk::Decimal(rng.between(0, steps));
}

}  // namespace

std::string generate(const Options& opt, sdk::Rng& rng) {
  const std::string& event = rng.pick(opt.events);
  std::string encoding = rng.pick(opt.encodings);
  Encoding enc{encoding[0], encoding[1], encoding[2], encoding[3], encoding[4]};
  auto e = [&](const std::string& s) { return escape(s, enc); };
  const char F = enc.field, C = enc.component, R = enc.repetition;
  auto f = [&](std::initializer_list<std::string> parts) {
    std::string out;
    bool first = true;
    for (auto& p : parts) {
      if (!first) out += F;
      out += p;
      first = false;
    }
    return out;
  };
  auto c = [&](std::initializer_list<std::string> parts) {
    std::string out;
    bool first = true;
    for (auto& p : parts) {
      if (!first) out += C;
      out += p;
      first = false;
    }
    return out;
  };

  bool oru = event == "ORU^R01";
  std::string type = event.substr(0, 3), trigger = event.substr(4);
  bool merge = event == "ADT^A40";
  std::string structure = oru ? "ORU_R01" : (trigger == "A03" ? "ADT_A03" : (merge ? "ADT_A39" : "ADT_A01"));
  static const std::vector<std::string> kApps = {"REGADT", "PASCORE", "LABSYS", "LISLAB"};
  static const std::vector<std::string> kFacilities = {"NORTHGEN", "STMARYS", "RIVERHOSP", "VALLEYMC"};
  std::string app = oru ? kApps[2 + rng.below(2)] : kApps[rng.below(2)];
  std::string fac = rng.pick(kFacilities);
  Stamp now = random_stamp(rng);
  std::string control = "MSG" + synth::digits(rng, 8);
  std::string processing = rng.chance(4, 5) ? "P" : "T";

  bool female = rng.chance(1, 2);
  std::string family = rng.pick(synth::family_names());
  if (rng.chance(1, 5)) family += "-" + rng.pick(synth::family_names());
  std::string given = rng.pick(female ? synth::given_names_female() : synth::given_names_male());
  std::string middle = std::string(1, static_cast<char>('A' + rng.below(26)));
  synth::Date dob = synth::random_date(rng, 1930, 2020);
  std::string mrn = synth::digits(rng, 7);
  std::string empi = "E" + synth::digits(rng, 9);
  std::string street_no = std::to_string(rng.between(1, 240));
  std::string street = street_no + " " + rng.pick(synth::streets());
  if (rng.chance(1, 3))
    street = "Unit " + std::to_string(rng.between(1, 9)) + " & " + std::to_string(rng.between(10, 19)) + ", " + street;
  std::string city = rng.pick(synth::cities());
  std::string zip = synth::digits(rng, 5);

  std::string id_mr = c({mrn, "", "", fac, "MR"});
  std::string id_pi = c({empi, "", "", "EMPI", "PI"});
  std::string pid3 = rng.chance(1, 2) ? id_mr + R + id_pi : id_pi + R + id_mr;

  std::vector<std::string> segs;
  segs.push_back(f({"MSH", encoding.substr(1), app, fac, "EHR", fac, now.hl7(), "", c({type, trigger, structure}), control,
                    processing, "2.5.1"}));
  if (!oru) segs.push_back(f({"EVN", trigger, now.hl7()}));
  segs.push_back(f({"PID", "1", "", pid3, "", c({e(family), e(given), middle}), "", dob.hl7(), female ? "F" : "M", "", "",
                    c({e(street), "", e(city), "", zip})}));
  auto text = [&] {
    std::string out;
    for (auto& s : segs) out += s + "\r";
    return out;
  };

  if (merge) {
    // The duplicate record being merged away: an MRN of the same type and assigning authority as
    // the surviving one (the A40 merges identifiers of the same identifier type code), filed under
    // the same name or another family name (a maiden name, a misspelling at registration).
    std::string prior_mrn = synth::digits(rng, 7);
    while (prior_mrn == mrn) prior_mrn = synth::digits(rng, 7);
    std::string prior_family = family;
    if (rng.chance(1, 2)) {
      while (prior_family == family) prior_family = rng.pick(synth::family_names());
    }
    std::vector<std::string> mrg = {"MRG", c({prior_mrn, "", "", fac, "MR"}), "", "", "", "", "", c({e(prior_family), e(given)})};
    std::string mrg_text;
    for (std::size_t i = 0; i < mrg.size(); ++i) mrg_text += (i ? std::string(1, F) : "") + mrg[i];
    segs.push_back(mrg_text);
    return text();
  }

  static const std::vector<std::string> kUnits = {"4W", "3B", "ICU", "CARD", "ORTHO"};
  std::string pclass = trigger == "A04" ? (rng.chance(1, 2) ? "O" : "E") : (oru ? (rng.chance(1, 2) ? "O" : "I") : "I");
  std::string loc =
      c({rng.pick(kUnits), std::to_string(rng.between(100, 450)), std::string(1, static_cast<char>('A' + rng.below(2))), fac});
  std::string att_family = rng.pick(synth::family_names());
  std::string att_given = rng.pick(rng.chance(1, 2) ? synth::given_names_female() : synth::given_names_male());
  std::string att = c({synth::digits(rng, 6), e(att_family), e(att_given), "", "", "DR"});
  std::string visit = "V" + synth::digits(rng, 8);
  std::vector<std::string> pv1 = {"PV1", "1", pclass, loc, "", "", "", att};
  pv1.resize(46);
  pv1[10] = oru ? "MED" : rng.pick(std::vector<std::string>{"MED", "SUR", "CAR"});
  pv1[19] = visit;
  pv1[44] = now.hl7().substr(0, 8) + "0700";
  if (trigger == "A03") pv1[45] = now.hl7().substr(0, 12);
  while (pv1.size() > 8 && pv1.back().empty()) pv1.pop_back();
  std::string pv1_text;
  for (std::size_t i = 0; i < pv1.size(); ++i) pv1_text += (i ? std::string(1, F) : "") + pv1[i];
  segs.push_back(pv1_text);

  if (oru) {
    std::string placer = "PL" + synth::digits(rng, 6), filler = "FL" + synth::digits(rng, 6);
    segs.push_back(f({"ORC", "RE", placer, filler}));
    segs.push_back(f({"OBR", "1", placer, filler, c({"BMP", "Basic metabolic panel", "99LAB"}), "", "", now.hl7()}));
    std::vector<std::size_t> order(opt.panel.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    rng.shuffle(order);
    std::vector<sdk::Decimal> values(opt.panel.size());
    for (auto idx : order) values[idx] = draw_value(rng, opt.panel[idx]);
    keep_consistent(rng, opt.panel, values);
    std::size_t set_id = 0;
    for (auto idx : order) {
      const Analyte& a = opt.panel[idx];
      sdk::Decimal v = values[idx];
      std::string flag = v < a.low ? "L" : (v > a.high ? "H" : "N");
      std::string range = a.low.to_fixed(a.decimals) + "-" + a.high.to_fixed(a.decimals);
      segs.push_back(f({"OBX", std::to_string(++set_id), "NM", c({e(a.code), e(a.name), e(a.system)}), "", v.to_fixed(a.decimals),
                        e(a.units), range, flag, "", "", "F", "", "", now.hl7()}));
      if (flag != "N" && rng.chance(1, 2)) {
        segs.push_back(
            f({"NTE", "1", "L", e("Result phoned to ward " + loc.substr(0, loc.find(C)) + "; read back & confirmed")}));
      }
    }
  }
  return text();
}

namespace {

struct ObxField {
  const char* prefix;
  const char* label;
  const char* tail;
};

// The OBX fields, named per result code: `obx-value:2823-3` reads the OBX whose OBX-3.1 is 2823-3.
constexpr ObxField kObxFields[] = {{"obx-value:", "Result value of ", "-5"},
                                   {"obx-flag:", "Abnormal flag of ", "-8"},
                                   {"obx-units:", "Units of ", "-6.1"},
                                   {"obx-status:", "Result status of ", "-11"}};

}  // namespace

const std::vector<NamedField>& named_fields() {
  static const std::vector<NamedField> kFields = {
      {"message-type", "Message type", "MSH-9.1"},
      {"trigger-event", "Trigger event", "MSH-9.2"},
      {"message-structure", "Message structure", "MSH-9.3"},
      {"control-id", "Message control ID", "MSH-10"},
      {"sending-application", "Sending application", "MSH-3.1"},
      {"sending-facility", "Sending facility", "MSH-4.1"},
      {"message-datetime", "Date/time of message", "MSH-7.1"},
      {"processing-id", "Processing ID", "MSH-11.1"},
      {"version", "Version ID", "MSH-12.1"},
      {"patient-mrn", "Patient's medical record number", "PID-3(5=MR).1"},
      {"patient-family-name", "Patient's family name", "PID-5.1.1"},
      {"patient-given-name", "Patient's given name", "PID-5.2"},
      {"birth-date", "Date of birth", "PID-7.1"},
      {"sex", "Administrative sex", "PID-8"},
      {"street", "Street address", "PID-11.1.1"},
      {"city", "City", "PID-11.3"},
      {"patient-class", "Patient class", "PV1-2", "", true},
      {"point-of-care", "Assigned location: point of care", "PV1-3.1", "", true},
      {"room", "Assigned location: room", "PV1-3.2", "", true},
      {"attending-id", "Attending physician's identifier", "PV1-7.1", "", true},
      {"attending-family-name", "Attending physician's family name", "PV1-7.2.1", "", true},
      {"visit-number", "Visit number", "PV1-19.1", "", true},
      {"discharge-datetime", "Discharge date/time", "PV1-45.1", "ADT^A03", true},
      {"prior-mrn", "Prior medical record number being merged away", "MRG-1(5=MR).1", "ADT^A40"},
      {"prior-family-name", "Family name on the prior record", "MRG-7.1.1", "ADT^A40"},
  };
  return kFields;
}

std::optional<NamedField> named_field(const std::string& name) {
  for (auto& f : named_fields())
    if (f.name == name) return f;
  for (auto& o : kObxFields) {
    std::string prefix = o.prefix;
    if (name.compare(0, prefix.size(), prefix) == 0 && name.size() > prefix.size()) {
      std::string code = name.substr(prefix.size());
      if (code.find_first_of("()") != std::string::npos) return std::nullopt;
      return NamedField{name, std::string(o.label) + code, "OBX(3.1=" + code + ")" + o.tail, "ORU^R01"};
    }
  }
  return std::nullopt;
}

std::vector<std::string> catalogue_names() {
  std::vector<std::string> out;
  for (auto& f : named_fields()) out.push_back(f.name);
  for (auto& o : kObxFields) out.push_back(std::string(o.prefix) + "CODE");
  return out;
}

void read_events_and_encodings(const sdk::Params& p, Options& opt, const std::vector<std::string>& allowed) {
  if (auto ev = p.find("events")) {
    opt.events.clear();
    for (auto& e : ev->items()) opt.events.push_back(e.one_of(allowed));
    if (opt.events.empty()) ev->fail("expected at least one event");
  }
  if (auto en = p.find("encodings")) {
    opt.encodings.clear();
    for (auto& e : en->items()) {
      auto s = e.str();
      bool ok = s.size() == 5;
      try {
        if (ok) (void)parse("MSH" + s + "X");
      } catch (const ParseError&) {
        ok = false;
      }
      if (!ok) e.fail("expected MSH-1 and the four MSH-2 characters, five distinct delimiters, found \"" + s + "\"");
      opt.encodings.push_back(s);
    }
    if (opt.encodings.empty()) en->fail("expected at least one encoding");
  }
}

}  // namespace assay::ehr::hl7
