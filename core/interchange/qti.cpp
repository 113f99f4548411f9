// One QTI item (IMS QTI 2.1, 2.2 and 3.0, "Assessment Test, Section, and Item Information Model")
// read into a core-items item that scores every response as the item's response processing does:
// the standard templates match_correct (full credit for the correct response, none otherwise) and
// map_response (the sum of the mapped values, kept within the mapping's bounds). Credit is the
// item's SCORE over its greatest SCORE, which becomes the item's weight.
#include <algorithm>
#include <assay/sdk/decimal.hpp>
#include <map>
#include <set>
#include <sstream>

#include "qti.hpp"
#include "questions.hpp"

namespace assay::interchange::detail {

namespace {

using json = nlohmann::json;
using sdk::Decimal;

std::string camel(std::string_view kebab) {
  std::string out;
  bool up = false;
  for (char c : kebab) {
    if (c == '-') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

void normalise(pugi::xml_node n, bool& v3) {
  for (auto c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string name = c.name();
    if (auto colon = name.find(':'); colon != std::string::npos) name = name.substr(colon + 1);
    if (name.rfind("qti-", 0) == 0) {
      v3 = true;
      name = camel(name.substr(4));
      for (auto a : c.attributes()) {
        std::string an = a.name();
        if (an.find('-') != std::string::npos && an.find(':') == std::string::npos && an.rfind("data-", 0) != 0)
          a.set_name(camel(an).c_str());
      }
    }
    c.set_name(name.c_str());
    normalise(c, v3);
  }
}

const std::set<std::string> kSupported = {"choiceInteraction",      "orderInteraction",     "matchInteraction",
                                          "associateInteraction",   "textEntryInteraction", "extendedTextInteraction",
                                          "inlineChoiceInteraction"};

/// The text of a node's content, for people.
std::string inner_text(pugi::xml_node n) {
  std::ostringstream os;
  for (auto c : n.children()) c.print(os, "", pugi::format_raw);
  return trim(html_to_text(os.str()));
}

std::vector<std::string> values_of(pugi::xml_node correct) {
  std::vector<std::string> out;
  for (auto v : correct.children("value")) out.push_back(trim(v.text().as_string()));
  return out;
}

Decimal number(const std::string& text, const std::string& what) {
  auto d = Decimal::parse(trim(text));
  if (!d) throw Refused{what + " \"" + text + "\" that is not a number"};
  return *d;
}

struct Mapping {
  std::vector<std::pair<std::string, Decimal>> entries;
  std::vector<bool> case_sensitive;
  Decimal fallback;  // defaultValue
  std::optional<Decimal> lower, upper;
};

Mapping mapping_of(pugi::xml_node m) {
  Mapping out;
  out.fallback = number(m.attribute("defaultValue").as_string("0"), "a mapping defaultValue");
  if (auto a = m.attribute("lowerBound")) out.lower = number(a.as_string(), "a mapping lowerBound");
  if (auto a = m.attribute("upperBound")) out.upper = number(a.as_string(), "a mapping upperBound");
  for (auto e : m.children("mapEntry")) {
    out.entries.emplace_back(trim(e.attribute("mapKey").as_string()),
                             number(e.attribute("mappedValue").as_string(), "a mappedValue"));
    out.case_sensitive.push_back(e.attribute("caseSensitive").as_bool(true));
  }
  return out;
}

/// The words of a pair value ("A B"), in order.
std::pair<std::string, std::string> pair_of(const std::string& value) {
  std::istringstream in(value);
  std::string a, b, extra;
  if (!(in >> a >> b) || (in >> extra)) throw Refused{"a pair value \"" + value + "\" that is not two identifiers"};
  return {a, b};
}

__extension__ using Wide = __int128;  // a value scaled to whole numbers, times 10^7, fits

/// `value` of `max` in the engine's percent units (0.00001 %), rounded half away from zero.
std::int64_t units_of(const Decimal& value, const Decimal& max) {
  int k = std::max({0, -value.exponent(), -max.exponent()});
  auto whole = [&](const Decimal& d) { return static_cast<Wide>(std::stoll(d.scaled(k).to_string())); };
  Wide v = whole(value) * 10'000'000, m = whole(max);
  Wide q = v / m, r = v % m;
  if (2 * (r < 0 ? -r : r) >= m) q += v < 0 ? -1 : 1;
  return static_cast<std::int64_t>(std::clamp<Wide>(q, -10'000'000, 10'000'000));
}

std::string percent_text(std::int64_t units) {
  std::string out = units < 0 ? "-" : "";
  std::int64_t a = units < 0 ? -units : units;
  out += std::to_string(a / 100'000);
  std::string frac = std::to_string(a % 100'000);
  frac.insert(0, 5 - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return frac.empty() ? out : out + "." + frac;
}

/// Rounded shares that must make 100 %: the last positive one takes up what rounding left over.
void settle(std::vector<std::int64_t>& units) {
  std::int64_t sum = 0;
  std::size_t last = units.size();
  for (std::size_t i = 0; i < units.size(); ++i)
    if (units[i] > 0) sum += units[i], last = i;
  if (last < units.size() && sum != 10'000'000 && std::abs(sum - 10'000'000) <= static_cast<std::int64_t>(units.size()))
    units[last] += 10'000'000 - sum;
}

Decimal clamp(Decimal v, const Mapping& m) {
  if (m.lower && v < *m.lower) v = *m.lower;
  if (m.upper && v > *m.upper) v = *m.upper;
  return v;
}

/// The engine floors an item's credit at zero and gives an unanswered item nothing.
void check_lower(const Mapping& m, bool negative_reachable) {
  if (m.lower && m.lower->sign() > 0)
    throw Refused{"a mapping lowerBound above zero, which gives credit for any answer (the engine gives none)"};
  if (negative_reachable && !(m.lower && m.lower->sign() == 0))
    throw Refused{"a mapping that can score below zero (no lowerBound=\"0\"), where the engine keeps an item at zero"};
}

struct Choices {
  json options = json::array();
  std::vector<std::string> ids;
};

Choices choices_of(pugi::xml_node interaction, const char* element) {
  Choices out;
  for (auto c : interaction.children(element)) {
    std::string id = c.attribute("identifier").as_string();
    out.ids.push_back(id);
    out.options.push_back({{"id", id}, {"text", inner_text(c)}});
  }
  if (out.ids.empty()) throw Refused{"an interaction without choices"};
  return out;
}

/// The standard templates' rules (QTI 2.1 rptemplates/match_correct.xml and map_response.xml).
const std::pair<const char*, const char*> kTemplateRules[] = {
    {"match_correct",
     "<responseProcessing><responseCondition><responseIf><match><variable identifier='RESPONSE'/>"
     "<correct identifier='RESPONSE'/></match><setOutcomeValue identifier='SCORE'><baseValue baseType='float'>1"
     "</baseValue></setOutcomeValue></responseIf><responseElse><setOutcomeValue identifier='SCORE'>"
     "<baseValue baseType='float'>0</baseValue></setOutcomeValue></responseElse></responseCondition>"
     "</responseProcessing>"},
    {"map_response",
     "<responseProcessing><responseCondition><responseIf><isNull><variable identifier='RESPONSE'/></isNull>"
     "<setOutcomeValue identifier='SCORE'><baseValue baseType='float'>0</baseValue></setOutcomeValue>"
     "</responseIf><responseElse><setOutcomeValue identifier='SCORE'><mapResponse identifier='RESPONSE'/>"
     "</setOutcomeValue></responseElse></responseCondition></responseProcessing>"},
};

/// Rules as a string that two equal rule trees share: element names, identifiers, base types and
/// values (numbers compared as numbers: 0.0 is 0).
std::string signature(pugi::xml_node n) {
  std::string out = std::string("<") + n.name();
  for (const char* a : {"identifier", "baseType"})
    if (auto attr = n.attribute(a)) out += std::string(" ") + a + "=" + attr.value();
  out += ">";
  for (auto c : n.children()) {
    if (c.type() == pugi::node_element) {
      out += signature(c);
    } else if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      std::string v = trim(c.value());
      auto d = Decimal::parse(v);
      out += d ? d->to_string() : v;
    }
  }
  return out + "</>";
}

class ItemReader {
 public:
  ItemReader(pugi::xml_node root, bool v3) : root_(root), v3_(v3) {}

  ImportedItem read() {
    item_.title = trim(root_.attribute("title").as_string());
    if (root_.attribute("adaptive").as_bool(false)) throw Refused{"an adaptive item (adaptive=\"true\")"};
    for (const char* t : {"templateDeclaration", "templateProcessing"})
      if (root_.child(t)) throw Refused{"template variables (" + qti_name(t, v3_) + ")"};
    body_ = root_.child("itemBody");
    if (!body_) throw Refused{"an item without " + qti_name("itemBody", v3_)};
    find_interaction();
    read_processing();
    guidance_ = rubric_text();
    item_.params = json::object();
    item_.params["prompt"] = prompt();
    if (item_.params["prompt"].get<std::string>().empty()) throw Refused{"an item without text"};
    if (item_.title.empty()) item_.title = excerpt(item_.params["prompt"]);
    std::string kind = interaction_.name();
    if (kind == "choiceInteraction" || kind == "inlineChoiceInteraction")
      choice(kind == "choiceInteraction" ? "simpleChoice" : "inlineChoice");
    else if (kind == "orderInteraction")
      order();
    else if (kind == "matchInteraction" || kind == "associateInteraction")
      match(kind == "associateInteraction");
    else if (kind == "textEntryInteraction")
      text_entry();
    else
      extended_text();
    for (auto f : root_.children("modalFeedback")) add_feedback(item_, "", inner_text(f), "");
    return std::move(item_);
  }

 private:
  [[noreturn]] void refuse(const std::string& why) const { throw Refused{why}; }

  void find_interaction() {
    std::vector<pugi::xml_node> found;
    for (auto n : body_.select_nodes(".//*")) {
      auto node = n.node();
      std::string name = node.name();
      if (name == "img" || name == "object" || name == "audio" || name == "video" || name == "picture") {
        std::string src = node.attribute("src").as_string(node.attribute("data").as_string());
        refuse("an image or other media" + (src.empty() ? "" : " ('" + src + "')") + ", which the engine's items cannot show");
      }
      if (name == "math") refuse("MathML, which the engine's items cannot show");
      if (name.size() > 11 && name.ends_with("Interaction")) {
        if (!kSupported.count(name)) refuse("a " + qti_name(name, v3_) + ", which the engine has no interaction for");
        found.push_back(node);
      }
      if (name == "templateInline" || name == "templateBlock") refuse("template variables (" + qti_name(name, v3_) + ")");
    }
    if (found.empty()) refuse("an item without an interaction");
    if (found.size() > 1) refuse(std::to_string(found.size()) + " interactions in one item (the engine's items have one each)");
    interaction_ = found[0];
    std::string rid = interaction_.attribute("responseIdentifier").as_string();
    for (auto d : root_.children("responseDeclaration"))
      if (rid == d.attribute("identifier").as_string()) decl_ = d;
    if (!decl_) refuse("an interaction whose " + qti_name("responseDeclaration", v3_) + " '" + rid + "' is missing");
    if (rid != "RESPONSE" && std::string(interaction_.name()) != "extendedTextInteraction")
      refuse("a response named '" + rid + "', which the standard templates do not score (they score RESPONSE)");
  }

  void read_processing() {
    auto rp = root_.child("responseProcessing");
    if (!rp) return;
    std::string t = rp.attribute("template").as_string();
    if (t.empty()) {
      if (!rp.first_child()) return;
      // The rules of a standard template written out in full, as some tools export them.
      std::string rules = signature(rp);
      for (const auto& [name, xml] : kTemplateRules) {
        pugi::xml_document d;
        d.load_string(xml);
        if (signature(d.first_child()) == rules) {
          template_ = name;
          return;
        }
      }
      refuse("custom response processing (rules other than the match_correct and map_response templates)");
    }
    auto slash = t.find_last_of('/');
    template_ = slash == std::string::npos ? t : t.substr(slash + 1);
    if (template_.ends_with(".xml")) template_.resize(template_.size() - 4);
    if (template_ != "match_correct" && template_ != "map_response")
      refuse("the response processing template '" + template_ + "' (the importer reads match_correct and map_response)");
  }

  /// What the item gives its scorers (rubric blocks for view "scorer").
  std::string rubric_text() {
    std::string out;
    for (auto n : body_.select_nodes(".//rubricBlock")) {
      std::string view = n.node().attribute("view").as_string();
      if (view.find("scorer") == std::string::npos) continue;
      std::string t = inner_text(n.node());
      if (!t.empty()) out += (out.empty() ? "" : "\n") + t;
    }
    return out;
  }

  /// The body as text: feedback and rubrics left out, the interaction replaced by its prompt (or,
  /// inside the text, by a gap).
  std::string prompt() {
    for (const char* drop : {"feedbackInline", "feedbackBlock", "rubricBlock"})
      for (auto n : body_.select_nodes((std::string(".//") + drop).c_str())) n.node().parent().remove_child(n.node());
    std::string kind = interaction_.name();
    auto parent = interaction_.parent();
    if (kind == "textEntryInteraction" || kind == "inlineChoiceInteraction") {
      // A gap in the text; an interaction alone in its paragraph needs no mark.
      bool alone = parent != body_;
      for (auto c : parent.children())
        alone = alone && (c == interaction_ || (c.type() == pugi::node_pcdata && trim(c.value()).empty()));
      if (!alone) parent.insert_child_before(pugi::node_pcdata, interaction_).set_value("____");
    } else if (auto p = interaction_.child("prompt")) {
      auto div = parent.insert_child_before("div", interaction_);
      for (auto c : p.children()) div.append_copy(c);
    }
    // The interaction is read later: keep it, but out of the text.
    std::ostringstream os;
    for (auto c : body_.children()) {
      if (c == interaction_) continue;
      if (c.find_node([&](pugi::xml_node n) { return n == interaction_; })) {
        pugi::xml_document scratch;
        auto copy = scratch.append_copy(c);
        for (auto n : copy.select_nodes((std::string(".//") + kind).c_str())) n.node().parent().remove_child(n.node());
        copy.print(os, "", pugi::format_raw);
        continue;
      }
      c.print(os, "", pugi::format_raw);
    }
    return trim(html_to_text(os.str()));
  }

  std::string cardinality() const { return decl_.attribute("cardinality").as_string("single"); }

  void need_template() const {
    if (template_.empty()) refuse("no response processing: nothing says how the item is scored");
    if (template_ == "match_correct" && values_of(decl_.child("correctResponse")).empty())
      refuse("match_correct without a correct response");
    if (template_ == "map_response" && !decl_.child("mapping")) refuse("map_response without a " + qti_name("mapping", v3_));
  }

  void choice(const char* element) {
    need_template();
    auto c = choices_of(interaction_, element);
    bool shuffle = interaction_.attribute("shuffle").as_bool(false);
    auto correct = values_of(decl_.child("correctResponse"));
    auto known = [&](const std::string& id) { return std::find(c.ids.begin(), c.ids.end(), id) != c.ids.end(); };
    for (const auto& v : correct)
      if (!known(v)) refuse("a correct response '" + v + "' that is not one of the choices");
    bool single = cardinality() == "single";
    if (!single && cardinality() != "multiple") refuse("a choice of cardinality '" + cardinality() + "'");
    // Each choice's credit in percent, for the choice builder GIFT and Moodle XML share.
    std::vector<std::int64_t> units(c.ids.size(), 0);
    if (template_ == "match_correct") {
      if (!single) {  // all or nothing: no credit table
        item_.type = "core-items/multiple-choice";
        item_.params["options"] = c.options;
        if (!shuffle) item_.params["shuffle"] = false;
        item_.params["correct"] = correct;
        return;
      }
      if (correct.size() != 1) refuse("a single choice with " + std::to_string(correct.size()) + " correct responses");
      for (std::size_t i = 0; i < c.ids.size(); ++i) units[i] = c.ids[i] == correct[0] ? 10'000'000 : 0;
    } else {
      auto m = mapping_of(decl_.child("mapping"));
      auto mapped = [&](const std::string& id) {
        for (const auto& [k, v] : m.entries)
          if (k == id) return v;
        return m.fallback;
      };
      // Single: SCORE is the choice's value within the bounds; below the lowerBound 0 it is 0, as
      // the engine counts a negative credit, so that one is kept as the mapping gives it.
      // Multiple: the values of the choices made, summed within the bounds.
      Decimal max;
      bool negative = false;
      std::vector<Decimal> values;
      for (const auto& id : c.ids) {
        values.push_back(m.upper && mapped(id) > *m.upper ? *m.upper : mapped(id));
        negative = negative || clamp(values.back(), m).sign() < 0;
        if (single && values.back() > max) max = values.back();
        if (!single && values.back().sign() > 0) max = max + values.back();
      }
      check_lower(m, negative);
      if (!single && m.upper && *m.upper < max)
        refuse("a mapping upperBound below the sum of the positive mapped values, which the engine's credit table cannot hold");
      if (max.sign() <= 0) refuse("a mapping under which no choice scores above zero");
      for (std::size_t i = 0; i < c.ids.size(); ++i) units[i] = units_of(values[i], max);
      if (!single) settle(units);
      item_.weight = max.to_string();
    }
    std::vector<Answer> answers;
    for (std::size_t i = 0; i < c.ids.size(); ++i) {
      Answer a;
      a.marker = '~';
      a.weight = percent_text(units[i]);
      a.text = gift_escape(c.options[i]["text"].get<std::string>());
      a.format = "plain";
      a.id = c.ids[i];
      answers.push_back(std::move(a));
    }
    detail::choice(item_, answers, "plain", single, shuffle);
  }

  void order() {
    need_template();
    if (template_ != "match_correct") refuse("map_response on an order interaction, whose mapping the engine cannot hold");
    auto c = choices_of(interaction_, "simpleChoice");
    auto correct = values_of(decl_.child("correctResponse"));
    auto sorted = correct, ids = c.ids;
    std::sort(sorted.begin(), sorted.end());
    std::sort(ids.begin(), ids.end());
    if (sorted != ids) refuse("a correct order that does not place every choice exactly once");
    item_.type = "core-items/order";
    item_.params["options"] = c.options;
    item_.params["correct_order"] = correct;
  }

  void match(bool associate) {
    need_template();
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& v : values_of(decl_.child("correctResponse"))) pairs.push_back(pair_of(v));
    Choices left, right;
    if (!associate) {
      auto sets = interaction_.children("simpleMatchSet");
      auto it = sets.begin();
      if (it == sets.end()) refuse("a match interaction without two match sets");
      left = choices_of(*it++, "simpleAssociableChoice");
      if (it == sets.end()) refuse("a match interaction without two match sets");
      right = choices_of(*it, "simpleAssociableChoice");
    } else {
      // The first choice of each correct pair is shown on the left, the others on the right.
      auto all = choices_of(interaction_, "simpleAssociableChoice");
      std::set<std::string> firsts;
      for (const auto& [a, b] : pairs) firsts.insert(a);
      for (std::size_t i = 0; i < all.ids.size(); ++i) {
        auto& side = firsts.count(all.ids[i]) ? left : right;
        side.ids.push_back(all.ids[i]);
        side.options.push_back(all.options[i]);
      }
    }
    json key = json::object();
    for (const auto& [l, r] : pairs) {
      if (std::find(left.ids.begin(), left.ids.end(), l) == left.ids.end() ||
          std::find(right.ids.begin(), right.ids.end(), r) == right.ids.end())
        refuse("a correct pair '" + l + " " + r + "' that is not one of the interaction's choices");
      if (key.contains(l)) refuse("'" + l + "' in two correct pairs (the engine matches each entry once)");
      key[l] = r;
    }
    for (const auto& l : left.ids)
      if (!key.contains(l)) refuse("'" + l + "' in no correct pair (the engine matches every left entry)");
    item_.type = "core-items/match";
    item_.params["left"] = left.options;
    item_.params["right"] = right.options;
    item_.params["pairs"] = key;
    if (!interaction_.attribute("shuffle").as_bool(false)) item_.params["shuffle"] = false;
    if (template_ == "match_correct") {
      if (left.ids.size() > 1) item_.params["all_or_nothing"] = true;
      return;
    }
    auto m = mapping_of(decl_.child("mapping"));
    auto is_correct = [&](const std::pair<std::string, std::string>& p) {
      for (const auto& [l, r] : pairs)
        if ((p.first == l && p.second == r) || (associate && p.first == r && p.second == l)) return true;
      return false;
    };
    if (m.fallback.sign() != 0)
      refuse("a mapping defaultValue other than 0 for pairs, which the engine's match items cannot give");
    std::map<std::string, Decimal> value;
    for (const auto& [k, v] : m.entries) {
      auto p = pair_of(k);
      if (!is_correct(p)) {
        if (v.sign() != 0) refuse("a mapping that credits or penalises the pair '" + k + "', which is not a correct one");
        continue;
      }
      if (v.sign() < 0) refuse("a correct pair '" + k + "' mapped below zero");
      value[associate && !key.contains(p.first) ? p.second : p.first] = v;
    }
    Decimal total;
    for (const auto& l : left.ids) total = total + (value.count(l) ? value[l] : Decimal());
    if (total.sign() <= 0) refuse("a mapping under which no pair scores above zero");
    if (m.upper && *m.upper < total)
      refuse("a mapping upperBound below the sum of the pairs' values, which the engine's credit table cannot hold");
    item_.weight = total.to_string();
    bool equal = true;
    json weights = json::object();
    for (const auto& l : left.ids) {
      Decimal v = value.count(l) ? value[l] : Decimal();
      equal = equal && v == (value.count(left.ids[0]) ? value[left.ids[0]] : Decimal());
      if (v.scaled(6).exponent() < 0 || v > Decimal(1'000'000))
        refuse("a pair's mapped value \"" + v.to_string() + "\" with more than six decimals or above 1000000");
      if (v.sign() != 0) weights[l] = v.to_string();
    }
    if (!equal) item_.params["weights"] = weights;
  }

  void text_entry() {
    need_template();
    std::string base = decl_.attribute("baseType").as_string("string");
    bool numeric = base == "float" || base == "integer";
    if (base != "string" && !numeric) refuse("a text entry of base type '" + base + "', which the importer does not read");
    if (cardinality() != "single") refuse("a text entry of cardinality '" + cardinality() + "'");
    // The answers that score, each with its share of the greatest SCORE.
    std::vector<std::pair<std::string, std::int64_t>> scored;
    std::set<bool> sensitive;
    if (template_ == "match_correct") {
      for (const auto& v : values_of(decl_.child("correctResponse"))) scored.emplace_back(v, 10'000'000);
      sensitive.insert(true);
    } else {
      auto m = mapping_of(decl_.child("mapping"));
      if (clamp(m.fallback, m).sign() > 0) refuse("a mapping defaultValue above zero, which gives credit for any answer");
      Decimal max;
      bool negative = clamp(m.fallback, m).sign() < 0;
      for (const auto& [k, v] : m.entries) {
        if (clamp(v, m) > max) max = clamp(v, m);
        negative = negative || clamp(v, m).sign() < 0;
      }
      check_lower(m, negative);
      if (max.sign() <= 0) refuse("a mapping under which no answer scores above zero");
      std::set<std::string> seen;
      for (std::size_t i = 0; i < m.entries.size(); ++i) {
        const auto& [k, v] = m.entries[i];
        if (clamp(v, m).sign() <= 0 || !seen.insert(k).second) continue;
        scored.emplace_back(k, units_of(clamp(v, m), max));
        sensitive.insert(m.case_sensitive[i]);
      }
      item_.weight = max.to_string();
    }
    if (numeric) {
      // A number: the shared numerical builder, each answer an exact value with its credit.
      std::vector<Answer> answers;
      for (const auto& [k, units] : scored) {
        if (!Decimal::parse(k)) refuse("a numeric answer \"" + k + "\" that is not a number");
        Answer a;
        a.marker = '=';
        a.text = k;
        a.weight = percent_text(units);
        answers.push_back(std::move(a));
      }
      numerical(item_, answers, "plain");
      return;
    }
    if (sensitive.size() > 1) refuse("answers that differ in caseSensitive, which the engine sets for a whole item");
    item_.type = "core-items/text-entry";
    json accepted = json::array();
    for (const auto& [k, units] : scored) {
      if (units == 10'000'000)
        accepted.push_back(k);
      else
        accepted.push_back({{"text", k}, {"credit", percent_text(units)}});
    }
    item_.params["accepted"] = accepted;
    if (sensitive.empty() || *sensitive.begin()) item_.params["case_sensitive"] = true;
  }

  void extended_text() {
    if (!template_.empty())
      refuse("an extended text scored by the " + template_ + " template (the engine leaves essays to a rater)");
    // The item's marks: the SCORE outcome's normalMaximum, else 1.
    Decimal marks(1);
    for (auto o : root_.children("outcomeDeclaration"))
      if (std::string(o.attribute("identifier").as_string()) == "SCORE" && o.attribute("normalMaximum"))
        marks = number(o.attribute("normalMaximum").as_string(), "a normalMaximum");
    if (marks.sign() <= 0) refuse("an essay worth no marks (normalMaximum)");
    if (!rubric_from(guidance_, item_)) essay(item_, guidance_);
    item_.weight = item_.points == 2 ? (marks * Decimal(5)).scaled(-1).to_string() : weight_per_point(marks, item_.points);
  }

  pugi::xml_node root_, body_, interaction_, decl_;
  bool v3_;
  std::string template_, guidance_;
  ImportedItem item_;
};

}  // namespace

bool normalise_qti(pugi::xml_document& doc) {
  bool v3 = false;
  normalise(doc, v3);
  return v3;
}

std::string qti_name(const std::string& name, bool v3) {
  if (!v3) return name;
  std::string out = "qti-";
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      out += '-';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

ImportedItem qti_item(pugi::xml_node item, bool v3) { return ItemReader(item, v3).read(); }

}  // namespace assay::interchange::detail
