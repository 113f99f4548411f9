// An assessment of core-items items as a QTI 3.0 content package: one qti-assessment-item per item,
// scored by the standard templates as the engine scores it (its SCORE's greatest value is the
// item's marks), a qti-assessment-test with a section per section (its draw as a selection) and
// imsmanifest.xml listing them, so that `assay import` reads it back to the same items and credits.
#include <fmt/format.h>

#include <assay/sdk/decimal.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <sstream>

#include "assay/export.hpp"
#include "exporting.hpp"

namespace assay::interchange {

namespace {

using json = nlohmann::json;
using sdk::Decimal;

constexpr const char* kNs = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
constexpr const char* kMatchCorrect = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml";
constexpr const char* kMapResponse = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml";

using detail::exported_decimal;
using detail::Refused;

std::string xml(const pugi::xml_document& doc) {
  std::ostringstream os;
  doc.save(os, "  ", pugi::format_default, pugi::encoding_utf8);
  return os.str();
}

/// The prompt as paragraphs, its line breaks kept.
void text_block(pugi::xml_node parent, const std::string& text) {
  auto p = parent.append_child("p");
  std::istringstream in(text);
  bool first = true;
  for (std::string line; std::getline(in, line); first = false) {
    if (!first) p.append_child("br");
    p.append_child(pugi::node_pcdata).set_value(line.c_str());
  }
}

__extension__ using Wide = __int128;

/// a / b when it is a decimal of at most 12 places.
std::optional<Decimal> quotient(const Decimal& a, const Decimal& b) {
  if (b.sign() <= 0) return std::nullopt;
  int k = std::max({0, -a.exponent(), -b.exponent()});
  Wide x = std::stoll(a.scaled(k).to_string()), y = std::stoll(b.scaled(k).to_string());
  for (int places = 0; places <= 12; ++places, x *= 10)
    if (x % y == 0) return Decimal(static_cast<std::int64_t>(x / y)).scaled(-places);
  return std::nullopt;
}

/// An exact decimal `percent` of `marks`.
std::string share(const Decimal& percent, const Decimal& marks) { return (percent * marks).scaled(-2).to_string(); }

class ItemWriter {
 public:
  ItemWriter(const model::Item& item, const json& p) : item_(item), p_(p) {}

  std::string write() {
    type_ = item_.type.substr(item_.type.find('/') + 1);
    if (!item_.figures.empty())
      throw Refused{"pictures ([[item.figure]]), which the QTI export does not write: export to Moodle XML, which embeds them"};
    if (type_ != "extended-text" && (item_.criteria.size() != 1 || item_.criteria[0].id != "correct"))
      throw Refused{"criteria other than one 'correct', which a QTI item's SCORE cannot carry"};
    marks_ = Decimal(item_.max_points()) * item_.weight;
    root_ = doc_.append_child("qti-assessment-item");
    root_.append_attribute("xmlns") = kNs;
    root_.append_attribute("identifier") = item_.id.c_str();
    root_.append_attribute("title") = (item_.title.empty() ? item_.id : item_.title).c_str();
    root_.append_attribute("adaptive") = "false";
    root_.append_attribute("time-dependent") = "false";
    decl_ = root_.append_child("qti-response-declaration");
    decl_.append_attribute("identifier") = "RESPONSE";
    auto outcome = root_.append_child("qti-outcome-declaration");
    outcome.append_attribute("identifier") = "SCORE";
    outcome.append_attribute("cardinality") = "single";
    outcome.append_attribute("base-type") = "float";
    body_ = root_.append_child("qti-item-body");
    text_block(body_, p_.value("prompt", ""));
    if (type_ == "single-choice")
      single_choice();
    else if (type_ == "multiple-choice")
      multiple_choice();
    else if (type_ == "order")
      order();
    else if (type_ == "match")
      match();
    else if (type_ == "text-entry")
      text_entry();
    else if (type_ == "extended-text")
      extended_text(outcome);
    else if (type_ == "numeric")
      numeric();
    else
      throw Refused{"item type '" + item_.type + "', which the QTI export does not write"};
    if (!template_.empty()) root_.append_child("qti-response-processing").append_attribute("template") = template_.c_str();
    if (!item_.explanation.empty()) {
      auto f = root_.append_child("qti-modal-feedback");
      f.append_attribute("outcome-identifier") = "FEEDBACK";
      f.append_attribute("show-hide") = "hide";
      f.append_attribute("identifier") = "none";
      text_block(f, item_.explanation);
    }
    return xml(doc_);
  }

 private:
  void response(const char* cardinality, const char* base_type, const std::vector<std::string>& correct) {
    decl_.append_attribute("cardinality") = cardinality;
    decl_.append_attribute("base-type") = base_type;
    if (correct.empty()) return;
    auto c = decl_.append_child("qti-correct-response");
    for (const auto& v : correct) c.append_child("qti-value").text().set(v.c_str());
  }

  pugi::xml_node mapping(const Decimal& upper) {
    auto m = decl_.append_child("qti-mapping");
    m.append_attribute("lower-bound") = "0";
    m.append_attribute("upper-bound") = upper.to_string().c_str();
    m.append_attribute("default-value") = "0";
    return m;
  }

  void entry(pugi::xml_node m, const std::string& key, const std::string& value) {
    auto e = m.append_child("qti-map-entry");
    e.append_attribute("map-key") = key.c_str();
    e.append_attribute("mapped-value") = value.c_str();
  }

  pugi::xml_node interaction(const char* name, const char* choice, const json& options) {
    auto i = body_.append_child(name);
    i.append_attribute("response-identifier") = "RESPONSE";
    i.append_attribute("shuffle") = p_.value("shuffle", true) ? "true" : "false";
    for (const auto& o : options) {
      auto c = i.append_child(choice);
      c.append_attribute("identifier") = o.at("id").get<std::string>().c_str();
      c.text().set(o.at("text").get<std::string>().c_str());
    }
    return i;
  }

  void single_choice() {
    std::string correct = p_.at("correct");
    response("single", "identifier", {correct});
    interaction("qti-choice-interaction", "qti-simple-choice", p_.at("options")).append_attribute("max-choices") = "1";
    if (!p_.contains("credit") && marks_ == Decimal(1)) {
      template_ = kMatchCorrect;
      return;
    }
    template_ = kMapResponse;
    auto m = mapping(marks_);
    entry(m, correct, marks_.to_string());
    const json credit = p_.value("credit", json::object());
    for (const auto& [id, c] : credit.items())
      if (id != correct) entry(m, id, share(exported_decimal(c), marks_));
  }

  void multiple_choice() {
    if (p_.value("partial_credit", false))
      throw Refused{"multiple choice with partial_credit, which QTI's templates cannot grade; give a credit table"};
    if (p_.contains("min") || p_.contains("max")) throw Refused{"multiple choice with min or max, which QTI's templates ignore"};
    std::vector<std::string> correct = p_.at("correct");
    response("multiple", "identifier", correct);
    interaction("qti-choice-interaction", "qti-simple-choice", p_.at("options")).append_attribute("max-choices") = "0";
    if (!p_.contains("credit")) {
      template_ = kMatchCorrect;
      return;
    }
    template_ = kMapResponse;
    auto m = mapping(marks_);
    for (const auto& [id, c] : p_.at("credit").items()) entry(m, id, share(exported_decimal(c), marks_));
  }

  void order() {
    if (p_.value("scoring", "exact") != "exact")
      throw Refused{"an order scored by adjacent pairs, which QTI's templates cannot grade"};
    std::vector<std::string> correct = p_.at("correct_order");
    response("ordered", "identifier", correct);
    interaction("qti-order-interaction", "qti-simple-choice", p_.at("options"));
    template_ = kMatchCorrect;
    marks_one();
  }

  void match() {
    std::vector<std::string> pairs;
    for (const auto& l : p_.at("left"))
      pairs.push_back(l.at("id").get<std::string>() + " " + p_.at("pairs").at(l.at("id").get<std::string>()).get<std::string>());
    response("multiple", "directedPair", pairs);
    auto i = body_.append_child("qti-match-interaction");
    i.append_attribute("response-identifier") = "RESPONSE";
    i.append_attribute("shuffle") = p_.value("shuffle", true) ? "true" : "false";
    i.append_attribute("max-associations") = std::to_string(pairs.size()).c_str();
    for (const char* side : {"left", "right"}) {
      auto set = i.append_child("qti-simple-match-set");
      for (const auto& o : p_.at(side)) {
        auto c = set.append_child("qti-simple-associable-choice");
        c.append_attribute("identifier") = o.at("id").get<std::string>().c_str();
        c.append_attribute("match-max") = side == std::string("left") ? "1" : "0";
        c.text().set(o.at("text").get<std::string>().c_str());
      }
    }
    if (p_.value("all_or_nothing", false) || pairs.size() == 1) {
      template_ = kMatchCorrect;
      marks_one();
      return;
    }
    template_ = kMapResponse;
    // Each pair's value: its weight (1 for an equal share) times marks / total weight, when that is
    // an exact decimal; else the weight itself, and the item's SCORE (its marks) is their total.
    std::vector<Decimal> weights;
    Decimal total;
    for (const auto& l : p_.at("left")) {
      std::string id = l.at("id");
      weights.push_back(!p_.contains("weights")      ? Decimal(1)
                        : p_["weights"].contains(id) ? exported_decimal(p_["weights"][id])
                                                     : Decimal());
      total = total + weights.back();
    }
    auto factor = quotient(marks_, total);
    if (!factor) marks_ = total;
    auto m = mapping(marks_);
    for (std::size_t k = 0; k < pairs.size(); ++k)
      if (weights[k].sign() != 0) entry(m, pairs[k], (factor ? weights[k] * *factor : weights[k]).to_string());
  }

  /// Exact values only: QTI's mapResponse compares a float for equality, and a tolerance, a range
  /// or a unit would need custom response processing.
  void numeric() {
    if (p_.contains("unit") || p_.contains("units"))
      throw Refused{"a numeric item with units: QTI scores a unit only with custom response processing"};
    for (const char* t : {"tolerance", "tolerance_percent"})
      if (p_.contains(t) && exported_decimal(p_[t]).sign() != 0)
        throw Refused{"a numeric item with a tolerance: QTI scores one only with custom response processing"};
    if (p_.contains("decimal_mark")) throw Refused{"a numeric item with a decimal_mark, which QTI's float does not read"};
    std::vector<std::pair<Decimal, Decimal>> values{{exported_decimal(p_.at("answer")), Decimal(100)}};  // value, credit
    for (const auto& b : p_.value("partial", json::array())) {
      bool exact = b.contains("value") ? !b.contains("tolerance") || exported_decimal(b["tolerance"]).sign() == 0
                                       : exported_decimal(b.at("min")) == exported_decimal(b.at("max"));
      if (!exact) throw Refused{"a numeric item with a partial range: QTI scores one only with custom response processing"};
      values.emplace_back(exported_decimal(b.contains("value") ? b["value"] : b["min"]), exported_decimal(b.at("credit")));
    }
    response("single", "float", {values[0].first.to_string()});
    auto i = body_.append_child("p").append_child("qti-text-entry-interaction");
    i.append_attribute("response-identifier") = "RESPONSE";
    template_ = kMapResponse;
    auto m = mapping(marks_);
    for (const auto& [v, credit] : values) entry(m, v.to_string(), share(credit, marks_));
  }

  void text_entry() {
    if (p_.contains("patterns") && !p_["patterns"].empty())
      throw Refused{"text entry with patterns, which QTI's templates cannot grade"};
    if (p_.value("ignore_punctuation", false)) throw Refused{"text entry that ignores punctuation, which QTI does not"};
    std::string first;
    for (const auto& a : p_.at("accepted"))
      if (a.is_string() && first.empty()) first = a.get<std::string>();
    response("single", "string", {first});
    auto i = body_.append_child("p").append_child("qti-text-entry-interaction");  // inline: in a paragraph
    i.append_attribute("response-identifier") = "RESPONSE";
    template_ = kMapResponse;
    auto m = mapping(marks_);
    bool sensitive = p_.value("case_sensitive", false);
    auto add = [&](const std::string& text, const std::string& value) {
      entry(m, text, value);
      m.last_child().append_attribute("case-sensitive") = sensitive ? "true" : "false";
    };
    for (const auto& a : p_.at("accepted")) {
      if (a.is_string())
        add(a.get<std::string>(), marks_.to_string());
      else
        add(a.at("text"), share(exported_decimal(a.at("credit")), marks_));
    }
  }

  void extended_text(pugi::xml_node outcome) {
    response("single", "string", {});
    outcome.append_attribute("normal-maximum") = marks_.to_string().c_str();
    auto i = body_.append_child("qti-extended-text-interaction");
    i.append_attribute("response-identifier") = "RESPONSE";
    std::string guidance;
    for (const auto& c : item_.criteria)
      for (const auto& l : c.levels)
        guidance +=
            fmt::format("{}{} ({} of {} points): {}", guidance.empty() ? "" : "\n", l.name, l.points, c.points, l.descriptor);
    auto rubric = body_.insert_child_before("qti-rubric-block", body_.first_child());
    rubric.append_attribute("view") = "scorer";
    rubric.append_attribute("use") = "scoring";
    text_block(rubric.append_child("qti-content-body"), guidance);
  }

  /// match_correct scores 1: the item's marks are 1 on the other side.
  void marks_one() { marks_ = Decimal(1); }

  const model::Item& item_;
  const json& p_;
  std::string type_, template_;
  Decimal marks_;
  pugi::xml_document doc_;
  pugi::xml_node root_, decl_, body_;
};

}  // namespace

ExportedPackage qti3(const model::Assessment& assessment) {
  ExportedPackage out;
  pugi::xml_document test;
  auto t = test.append_child("qti-assessment-test");
  t.append_attribute("xmlns") = kNs;
  t.append_attribute("identifier") = assessment.id.c_str();
  t.append_attribute("title") = assessment.title.c_str();
  auto part = t.append_child("qti-test-part");
  part.append_attribute("identifier") = "part";
  part.append_attribute("navigation-mode") = "nonlinear";
  part.append_attribute("submission-mode") = "simultaneous";
  pugi::xml_document manifest;
  auto m = manifest.append_child("manifest");
  m.append_attribute("xmlns") = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1";
  m.append_attribute("identifier") = ("manifest-" + assessment.id).c_str();
  m.append_child("organizations");
  auto resources = m.append_child("resources");
  auto resource = [&](const std::string& id, const char* type, const std::string& href) {
    auto r = resources.append_child("resource");
    r.append_attribute("identifier") = id.c_str();
    r.append_attribute("type") = type;
    r.append_attribute("href") = href.c_str();
    r.append_child("file").append_attribute("href") = href.c_str();
  };
  resource("test", "imsqti_test_xmlv3p0", "test.xml");
  for (const auto& section : assessment.sections) {
    auto s = part.append_child("qti-assessment-section");
    s.append_attribute("identifier") = section.id.c_str();
    s.append_attribute("title") = (section.title.empty() ? section.id : section.title).c_str();
    s.append_attribute("visible") = "true";
    if (section.draw > 0) s.append_child("qti-selection").append_attribute("select") = std::to_string(section.draw).c_str();
    detail::export_items(assessment, section.id, out.refused, [&](const model::Item& item, const json& params) {
      std::string href = "items/" + item.id + ".xml";
      out.files.push_back({href, ItemWriter(item, params).write()});
      auto ref = s.append_child("qti-assessment-item-ref");
      ref.append_attribute("identifier") = item.id.c_str();
      ref.append_attribute("href") = href.c_str();
      resource("item-" + item.id, "imsqti_item_xmlv3p0", href);
    });
    if (!s.child("qti-assessment-item-ref")) part.remove_child(s);
  }
  out.files.push_back({"test.xml", xml(test)});
  out.files.push_back({"imsmanifest.xml", xml(manifest)});
  return out;
}

}  // namespace assay::interchange
