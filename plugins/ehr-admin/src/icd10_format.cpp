#include "icd10_format.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "common.hpp"

namespace assay::ehr {

using sdk::json;

namespace icd10 {

namespace {

bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string bare(std::string_view code) {
  std::string out;
  for (char c : code)
    if (c != '.') out += c;
  return out;
}

std::optional<std::string> format_error(std::string_view code, Dots dots) {
  for (char c : code)
    if (!upper(c) && !digit(c) && c != '.') return "'" + std::string(1, c) + "' is not a capital letter, digit or dot";
  auto dot = code.find('.');
  if (dot != std::string_view::npos) {
    if (code.find('.', dot + 1) != std::string_view::npos) return std::string("more than one dot");
    if (dots == Dots::kOmitted) return std::string("a dot, where these codes are written without one");
    if (dot != 3) return std::string("the dot must follow the 3rd character");
    if (dot + 1 == code.size()) return std::string("a dot with nothing after it");
  }
  std::string b = bare(code);
  if (b.size() < 3 || b.size() > 7) return "expected 3 to 7 characters, found " + std::to_string(b.size());
  if (dot == std::string_view::npos && b.size() > 3 && dots == Dots::kRequired)
    return std::string("no dot after the 3rd character");
  if (!upper(b[0])) return std::string("the 1st character must be a letter");
  if (!digit(b[1])) return std::string("the 2nd character must be a digit");
  return std::nullopt;  // the 3rd to 7th are letters or digits, checked above
}

}  // namespace icd10

namespace {

const char* kFormatPrompt =
    "Check each ICD-10-CM code below. Judge its format: 3 to 7 characters, a letter, a digit, then digits or letters, with "
    "a dot after the 3rd character.";

std::string row_id(std::size_t i) { return "c" + std::to_string(i + 1); }

std::string written(const std::string& bare_code, icd10::Dots dots) {
  if (dots == icd10::Dots::kOmitted || bare_code.size() <= 3) return bare_code;
  return bare_code.substr(0, 3) + "." + bare_code.substr(3);
}

char alnum(sdk::Rng& rng) {
  static const std::string kChars = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  return kChars[rng.below(kChars.size())];
}

// A code that is well-formed in shape; it need not exist.
std::string random_code(sdk::Rng& rng) {
  std::string b;
  b += static_cast<char>('A' + rng.below(26));
  b += static_cast<char>('0' + rng.below(10));
  b += rng.chance(1, 8) ? static_cast<char>('A' + rng.below(26)) : static_cast<char>('0' + rng.below(10));
  auto extra = rng.below(5);
  for (std::uint64_t i = 0; i < extra; ++i) b += alnum(rng);
  return b;
}

// A malformed version of a well-formed bare code, as written under `dots`.
std::string malform(const std::string& b, icd10::Dots dots, sdk::Rng& rng) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::string w = written(b, dots), out;
    switch (rng.below(6)) {
      case 0:
        out = std::string(1, static_cast<char>('0' + rng.below(10))) + w.substr(1);
        break;
      case 1:
        out = w.substr(0, 1) + static_cast<char>('A' + rng.below(26)) + w.substr(2);
        break;
      case 2: {
        std::string longer = b;
        while (longer.size() < 8) longer += alnum(rng);
        out = written(longer, dots);
        break;
      }
      case 3:
        out = b.substr(0, 2);
        break;
      case 4:
        out = b.size() >= 4 ? b.substr(0, 2) + "." + b.substr(2) : b.substr(0, 2) + "." + b.substr(2) + "0";
        break;
      default:
        out = w.substr(0, 3) + "-" + w.substr(3);
        break;
    }
    if (icd10::format_error(out, dots)) return out;
  }
  return b.substr(0, 2);  // always too short
}

}  // namespace

json Icd10Format::schema() {
  // Codes to judge can be generated from the item seed.
  return sdk::generated_material(sdk::object_schema(
      {{"prompt", {{"type", "string"}}},
       {"codes", {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 1}, {"maxItems", 40}}},
       {"count",
        {{"type", "object"},
         {"properties", {{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}},
         {"required", {"min", "max"}},
         {"additionalProperties", false}}},
       {"dots", {{"enum", {"required", "omitted", "either"}}}},
       {"code_set",
        {{"type", "string"},
         {"description", "{ file = \"codes.txt\" }: one code per line, optionally followed by its description"}}},
       {"code_set_source", {{"type", "string"}, {"description", "where the code set comes from, with its edition"}}}}));
}

std::vector<sdk::Criterion> Icd10Format::criteria() {
  return {{"correct", "codes sorted right (valid, malformed, not in the code set), out of all codes"}};
}

Icd10Format Icd10Format::prepare(const json& params) {
  sdk::Params p(params);
  Icd10Format item;
  static const std::set<std::string> kKnown = {"prompt", "codes", "count", "dots", "code_set", "code_set_source"};
  for (auto& [k, v] : p.members())
    if (!kKnown.count(k)) v.fail("unknown parameter '" + k + "'");
  item.prompt_ = p.has("prompt") ? p.at("prompt").str() : kFormatPrompt;
  if (auto d = p.find("dots")) {
    auto v = d->one_of({"required", "omitted", "either"});
    item.dots_ = v == "required" ? icd10::Dots::kRequired : v == "omitted" ? icd10::Dots::kOmitted : icd10::Dots::kEither;
  }
  if (auto cs = p.find("code_set")) {
    if (!p.has("code_set_source")) p.fail("missing required key 'code_set_source' (the code set's source and edition)");
    item.set_source_ = p.at("code_set_source").str();
    if (item.set_source_.empty()) p.at("code_set_source").fail("expected the code set's source and edition");
    auto text = cs->str();
    std::size_t line_no = 0, start = 0;
    while (start <= text.size()) {
      auto end = text.find('\n', start);
      std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      start = end == std::string::npos ? text.size() + 1 : end + 1;
      ++line_no;
      auto b = line.find_first_not_of(" \t\r");
      if (b == std::string::npos || line[b] == '#') continue;
      auto e = line.find_first_of(" \t\r", b);
      std::string code = line.substr(b, e == std::string::npos ? std::string::npos : e - b);
      if (auto why = icd10::format_error(code, icd10::Dots::kEither))
        cs->fail("line " + std::to_string(line_no) + ": \"" + code + "\" is not an ICD-10-CM code: " + *why);
      if (item.code_set_.insert(icd10::bare(code)).second) item.set_list_.push_back(icd10::bare(code));
    }
    if (item.code_set_.empty()) cs->fail("expected at least one code");
    item.has_set_ = true;
  } else if (p.has("code_set_source")) {
    p.at("code_set_source").fail("'code_set_source' describes a 'code_set'; add one or remove it");
  }
  if (auto c = p.find("codes")) {
    if (p.has("count")) p.at("count").fail("'count' shapes generated lists; remove it or remove 'codes'");
    for (auto& x : c->items()) {
      auto s = x.str();
      if (s.empty() || s.size() > 12) x.fail("expected a code of 1 to 12 characters, found \"" + s + "\"");
      for (char ch : s)
        if (std::islower(static_cast<unsigned char>(ch))) x.fail("write codes in capitals, found \"" + s + "\"");
      item.fixed_.push_back(s);
    }
    if (item.fixed_.empty()) c->fail("expected at least one code");
  } else if (auto n = p.find("count")) {
    auto mn = n->at("min").integer(), mx = n->at("max").integer();
    if (mn < 2 || mn > 20) n->at("min").fail("expected 2 to 20, found " + std::to_string(mn));
    if (mx < mn || mx > 20) n->at("max").fail("expected 'min' to 20, found " + std::to_string(mx));
    item.min_codes_ = static_cast<int>(mn);
    item.max_codes_ = static_cast<int>(mx);
  }
  return item;
}

std::vector<std::string> Icd10Format::codes(std::uint64_t seed) const {
  if (!fixed_.empty()) return fixed_;
  sdk::Rng rng(seed);
  auto n = rng.between(min_codes_, max_codes_);
  std::vector<std::string> out;
  for (std::int64_t i = 0; i < n; ++i) {
    std::string b = has_set_ ? rng.pick(set_list_) : random_code(rng);
    auto kind = rng.below(has_set_ ? 3 : 2);
    if (kind == 1) {
      out.push_back(malform(b, dots_, rng));
    } else if (kind == 2) {
      // Well-formed but absent: drop placeholder X's, or change the last character.
      std::string absent = b;
      for (int attempt = 0; attempt < 10 && code_set_.count(absent); ++attempt) {
        if (attempt == 0 && b.size() == 7 && b.find('X', 3) != std::string::npos) {
          absent.erase(std::remove(absent.begin() + 3, absent.end() - 1, 'X'), absent.end() - 1);
        } else {
          absent = b;
          absent.back() = alnum(rng);
        }
      }
      out.push_back(written(absent, dots_));
    } else {
      out.push_back(written(b, dots_));
    }
  }
  return out;
}

std::vector<std::string> Icd10Format::key(std::uint64_t seed) const {
  std::vector<std::string> out;
  for (auto& c : codes(seed)) {
    if (icd10::format_error(c, dots_))
      out.push_back("malformed");
    else if (has_set_ && !code_set_.count(icd10::bare(c)))
      out.push_back("not-in-code-set");
    else
      out.push_back("valid");
  }
  return out;
}

json Icd10Format::present(std::uint64_t seed) const {
  auto cs = codes(seed);
  std::string rules =
      "Format rules (ICD-10-CM Official Guidelines, Section I.A): 3 to 7 characters; the 1st a letter, the 2nd "
      "a digit, the 3rd to 7th digits or letters; ";
  rules += dots_ == icd10::Dots::kRequired  ? "a dot after the 3rd character when more follow."
           : dots_ == icd10::Dots::kOmitted ? "written without a dot, as in claim files."
                                            : "a dot after the 3rd character may be written or left out.";
  if (has_set_)
    rules += "\nA well-formed code is valid only if the code set below lists it (" + set_source_ +
             "). A code that needs a 7th character keeps it in position 7, with the placeholder X filling empty positions.";
  json material = json::array({json{{"kind", "text"}, {"text", rules}}});
  if (has_set_) {
    json rows = json::array();
    for (auto& c : set_list_) rows.push_back(json::array({written(c, dots_)}));
    material.push_back({{"kind", "table"}, {"columns", {"Code set"}}, {"rows", rows}});
  }
  json rows = json::array();
  for (std::size_t i = 0; i < cs.size(); ++i) rows.push_back({{"id", row_id(i)}, {"label", row_id(i) + "  " + cs[i]}});
  std::vector<std::string> verdicts = {"valid", "malformed"};
  if (has_set_) verdicts.push_back("not-in-code-set");
  json columns = json::array({json{{"id", "verdict"}, {"label", "Verdict"}, {"options", options_of(verdicts)}}});
  return presentation(prompt_, material, json::array({table_interaction("codes", rows, columns)}));
}

std::vector<sdk::Credit> Icd10Format::score(std::uint64_t seed, const json& response) const {
  const json shown = present(seed);
  const json checked = checked_response(shown, response);
  require_column(shown, checked, "codes", "verdict");  // every code gets a verdict
  auto k = key(seed);
  auto a = table_column(checked, "codes", "verdict", "an option id");
  std::uint64_t right = 0;
  for (std::size_t i = 0; i < k.size(); ++i) {
    auto it = a.find(row_id(i));
    right += it != a.end() && it->second == k[i] ? 1 : 0;
  }
  return {sdk::Credit::fraction(right, k.size())};
}

json Icd10Format::solve(std::uint64_t seed) const {
  auto k = key(seed);
  json rows = json::object();
  for (std::size_t i = 0; i < k.size(); ++i) rows[row_id(i)] = {{"verdict", k[i]}};
  return json{{"codes", rows}};
}

std::string Icd10Format::feedback(std::uint64_t seed, const json& response) const {
  const json shown = present(seed);
  const json checked = checked_response(shown, response);
  require_column(shown, checked, "codes", "verdict");  // every code gets a verdict
  auto cs = codes(seed);
  auto k = key(seed);
  auto a = table_column(checked, "codes", "verdict", "an option id");
  std::string out;
  for (std::size_t i = 0; i < k.size(); ++i) {
    auto it = a.find(row_id(i));
    std::string why;
    if (auto e = icd10::format_error(cs[i], dots_))
      why = "malformed: " + *e;
    else if (k[i] == "not-in-code-set")
      why = "well-formed, but not in the code set";
    else
      why = "valid";
    out += row_id(i) + " " + cs[i] + ": ";
    if (it == a.end())
      out += "not answered; " + why + "\n";
    else if (it->second == k[i])
      out += "correct (" + why + ")\n";
    else
      out += "'" + it->second + "' is wrong; " + why + "\n";
  }
  return out;
}

std::vector<sdk::Example> Icd10Format::examples() {
  // A made-up five-code set: the plugin never embeds real codes, and an example need not be real.
  std::string set =
      "# example set, not a real code-set edition\nA00.0  first\nB01.1  second\nC2A.34  third\nD03.4XXA  fourth\nE05\n";
  sdk::Example fixed;
  fixed.name = "fixed codes against a small code set";
  fixed.params = {{"codes", {"A00.0", "B1.11", "D03.4A", "C2A.34", "E05", "E05.1", "D034XXA"}},
                  {"code_set", set},
                  {"code_set_source", "example set for plugin-check"}};
  fixed.seed = 1;
  auto row = [](const char* v) { return json{{"verdict", v}}; };
  // By hand: A00.0 listed; B1.11 has its dot after the 2nd character; D03.4A is well-formed but
  // the set lists D03.4XXA (placeholder X dropped); C2A.34 and E05 listed; E05.1 well-formed,
  // not listed; D034XXA has no dot where dots are required.
  fixed.responses = {{"all sorted right",
                      {{"codes",
                        {{"c1", row("valid")},
                         {"c2", row("malformed")},
                         {"c3", row("not-in-code-set")},
                         {"c4", row("valid")},
                         {"c5", row("valid")},
                         {"c6", row("not-in-code-set")},
                         {"c7", row("malformed")}}}},
                      {sdk::Credit::full()}},
                     {"shape only, the code set ignored",
                      {{"codes",
                        {{"c1", row("valid")},
                         {"c2", row("malformed")},
                         {"c3", row("valid")},
                         {"c4", row("valid")},
                         {"c5", row("valid")},
                         {"c6", row("valid")},
                         {"c7", row("valid")}}}},
                      {sdk::Credit::fraction(4, 7)}}};
  fixed.malformed = {{"the last code left without a verdict",
                      {{"codes",
                        {{"c1", row("valid")},
                         {"c2", row("malformed")},
                         {"c3", row("not-in-code-set")},
                         {"c4", row("valid")},
                         {"c5", row("valid")},
                         {"c6", row("not-in-code-set")}}}}},
                     {"a verdict that is not an option", {{"codes", {{"c1", row("ok")}}}}}};
  sdk::Example gen;
  gen.name = "generated codes, format only";
  gen.params = {{"count", {{"min", 6}, {"max", 8}}}, {"dots", "either"}};
  gen.seed = 3;
  gen.responses = {{"nothing answered", json::object(), {sdk::Credit::none()}}};
  return {fixed, gen};
}

}  // namespace assay::ehr
