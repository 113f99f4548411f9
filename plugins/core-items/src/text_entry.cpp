#include "text_entry.hpp"

#include <algorithm>

namespace assay::core_items {

namespace {

std::string describe(const NormaliseRules& rules) {
  std::vector<std::string> parts;
  if (!rules.case_sensitive) parts.push_back("case");
  if (rules.collapse_whitespace) parts.push_back("extra spaces");
  if (rules.ignore_punctuation) parts.push_back("punctuation");
  if (parts.empty()) return "";
  std::string out = " (compared ignoring ";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out + ")";
}

// A pattern meets the answer after normalisation, and RE2 ignores case by simple case folding
// only: a character written in another form than normalise() gives ("ß", "ﬁ", "e" + U+0301, a
// zero-width space) could never match, so the item is refused rather than never crediting it.
void check_form(const sdk::Params& entry, const std::string& source, const NormaliseRules& rules) {
  auto want = normalise(source, {rules.case_sensitive, false, false});
  auto have = rules.case_sensitive ? source : simple_fold(source);
  if (have == want) return;
  entry.fail("the pattern \"" + source + "\" can never match a normalised answer (Unicode " +
             (rules.case_sensitive ? "NFKC" : "NFKC_Casefold") + "): write \"" + want + "\"");
}

}  // namespace

json TextEntry::schema() {
  return sdk::object_schema(
      {{"prompt", {{"type", "string"}, {"minLength", 1}, {"description", "the question"}}},
       {"accepted",
        sdk::secret({{"type", "array"},
                     {"minItems", 1},
                     {"items",
                      {{"anyOf", json::array({{{"type", "string"}},
                                              {{"type", "object"},
                                               {"properties", {{"text", {{"type", "string"}}}, {"credit", percent_schema("")}}},
                                               {"required", {"text", "credit"}},
                                               {"additionalProperties", false}}})}}},
                     {"description",
                      "accepted answers: a text earns full credit, { text, credit } the credit in percent (0 to 100); "
                      "at least one earns 100"}})},
       {"patterns",
        sdk::secret({{"type", "array"},
                     {"items", {{"type", "string"}}},
                     {"description",
                      "RE2 regular expressions (no lookaround or backreferences) matched against the whole normalised answer"}})},
       {"case_sensitive", {{"type", "boolean"}, {"default", false}}},
       {"collapse_whitespace",
        {{"type", "boolean"}, {"default", true}, {"description", "trim, and read each run of spaces as one"}}},
       {"ignore_punctuation", {{"type", "boolean"}, {"default", false}}},
       {"max_length", {{"type", "integer"}, {"minimum", 1}, {"description", "most characters a candidate may type"}}}},
      {"prompt", "accepted"});
}

std::vector<sdk::Criterion> TextEntry::criteria() { return {{"correct", "the answer is an accepted one"}}; }

std::vector<sdk::Example> TextEntry::examples() {
  return {{"accepted answers and a pattern",
           {{"prompt", "Name the SI unit of electrical resistance."},
            {"accepted", {"ohm", "ohms"}},
            {"patterns", {"\u03a9|\u2126"}},
            {"max_length", 40}},
           {{"accepted", {"volt"}}, {"patterns", json::array()}},
           5,
           {{"correct", {{"answer", "ohm"}}, {sdk::Credit::full()}},
            {"case and spaces", {{"answer", "  Ohms "}}, {sdk::Credit::full()}},
            {"symbol", {{"answer", "\u2126"}}, {sdk::Credit::full()}},
            {"small omega", {{"answer", "\u03c9"}}, {sdk::Credit::full()}},
            {"full-width letters", {{"answer", "\uff2f\uff48\uff4d"}}, {sdk::Credit::full()}},
            {"zero-width space", {{"answer", "oh\u200bms"}}, {sdk::Credit::full()}},
            {"wrong", {{"answer", "farad"}}, {sdk::Credit::none()}}},
           {{"longer than the field allows", {{"answer", "the ohm, named after Georg Simon Ohm, symbol capital omega"}}}}},
          {"credit per accepted answer",
           {{"prompt", "Which HL7 v2 segment carries the patient's identifiers and demographics?"},
            {"accepted", {"PID", {{"text", "PD1"}, {"credit", 25}}, {{"text", "patient identification"}, {"credit", "50"}}}}},
           {{"accepted", {"OBX", {{"text", "PID"}, {"credit", 25}}}}},
           6,
           {{"correct", {{"answer", "pid"}}, {sdk::Credit::full()}},
            {"half", {{"answer", "Patient Identification"}}, {sdk::Credit::fraction(1, 2)}},
            {"a quarter", {{"answer", "PD1"}}, {sdk::Credit::fraction(1, 4)}},
            {"wrong", {{"answer", "OBX"}}, {sdk::Credit::none()}}}}};
}

TextEntry TextEntry::prepare(const json& params) {
  sdk::Params p(params);
  check_keys(p, {"prompt", "accepted", "patterns", "case_sensitive", "collapse_whitespace", "ignore_punctuation", "max_length"});
  TextEntry item;
  item.prompt_ = required_text(p, "prompt");
  item.rules_.case_sensitive = optional_flag(p, "case_sensitive", false);
  item.rules_.collapse_whitespace = optional_flag(p, "collapse_whitespace", true);
  item.rules_.ignore_punctuation = optional_flag(p, "ignore_punctuation", false);
  item.max_length_ = optional_count(p, "max_length", 1, 1'000'000);
  auto accepted = p.at("accepted");
  auto entries = accepted.items();
  if (entries.empty()) accepted.fail("expected at least one accepted answer");
  for (const auto& listed : entries) {
    // A text, or { text, credit }.
    auto entry = listed;
    std::int64_t units = kFullCredit;
    if (listed.value().is_object()) {
      check_keys(listed, {"text", "credit"});
      entry = listed.at("text");
      units = percent_credit(listed.at("credit"), false);
    }
    auto text = entry.str();
    auto normalised = normalise(text, item.rules_);
    if (normalised.empty()) entry.fail("the accepted answer is empty after normalisation");
    if (item.max_length_ != 0 && sdk::utf8_length(text) > static_cast<std::size_t>(item.max_length_)) {
      entry.fail("the accepted answer is longer than max_length (" + std::to_string(item.max_length_) + ")");
    }
    if (item.first_accepted_.empty() && units == kFullCredit) item.first_accepted_ = text;
    item.accepted_.push_back(std::move(normalised));
    item.credit_.push_back(units);
  }
  if (item.first_accepted_.empty()) accepted.fail("expected at least one accepted answer that earns 100 %");
  if (auto patterns = p.find("patterns")) {
    RE2::Options options;
    options.set_case_sensitive(item.rules_.case_sensitive);
    options.set_log_errors(false);
    for (const auto& entry : patterns->items()) {
      auto source = entry.str();
      auto re = std::make_shared<const RE2>(source, options);
      if (!re->ok()) entry.fail("RE2 does not accept the regular expression \"" + source + "\": " + re->error());
      check_form(entry, source, item.rules_);
      item.patterns_.push_back(std::move(re));
    }
  }
  return item;
}

json TextEntry::present(std::uint64_t) const {
  json interaction = {{"id", kAnswer}, {"type", "text"}};
  if (max_length_ != 0) interaction["max_length"] = max_length_;
  return presentation(prompt_, std::move(interaction));
}

std::optional<std::string> TextEntry::answer(const json& response) const {
  const json* answer = answer_of(response);
  if (answer == nullptr) return std::nullopt;
  if (!answer->is_string()) throw sdk::ResponseError(std::string("expected a string, found ") + sdk::json_kind(*answer));
  const auto& text = answer->get_ref<const std::string&>();
  if (max_length_ != 0) {
    auto n = sdk::utf8_length(text);
    if (n > static_cast<std::size_t>(max_length_)) {
      throw sdk::ResponseError("expected at most " + std::to_string(max_length_) + " characters, found " + std::to_string(n));
    }
  }
  auto normalised = normalise(text, rules_);
  if (normalised.empty()) return std::nullopt;
  return normalised;
}

std::int64_t TextEntry::credit(const std::string& normalised) const {
  if (std::any_of(patterns_.begin(), patterns_.end(), [&](const auto& re) { return RE2::FullMatch(normalised, *re); }))
    return kFullCredit;
  std::int64_t best = 0;
  for (std::size_t i = 0; i < accepted_.size(); ++i)
    if (accepted_[i] == normalised) best = std::max(best, credit_[i]);
  return best;
}

std::vector<sdk::Credit> TextEntry::score(std::uint64_t, const json& response) const {
  auto normalised = answer(response);
  return {normalised ? credit_of_units(credit(*normalised)) : sdk::Credit::none()};
}

json TextEntry::solve(std::uint64_t) const { return {{kAnswer, first_accepted_}}; }

std::string TextEntry::feedback(std::uint64_t, const json& response) const {
  auto normalised = answer(response);
  if (!normalised) return "no answer was entered";
  auto units = credit(*normalised);
  if (units == kFullCredit) return "correct: " + quote(*normalised) + " is an accepted answer" + describe(rules_);
  if (units > 0) return "partly right: " + quote(*normalised) + " earns " + percent_text(units) + describe(rules_);
  return "incorrect: " + quote(*normalised) + " is not an accepted answer" + describe(rules_);
}

}  // namespace assay::core_items
