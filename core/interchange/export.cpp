// An assessment of core-items items as Moodle XML: each question graded by Moodle as the engine
// grades the item, so that `assay import` reads it back to the same items and credits.
#include <fmt/format.h>

#include <assay/sdk/decimal.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "assay/ed25519.hpp"
#include "assay/export.hpp"
#include "assay/html_escape.hpp"
#include "exporting.hpp"

namespace assay::interchange {

namespace {

using json = nlohmann::json;
using sdk::Decimal;

using detail::exported_decimal;
using detail::Refused;

void text_child(pugi::xml_node parent, const char* name, const std::string& text, const char* format = nullptr) {
  auto n = parent.append_child(name);
  if (format != nullptr) n.append_attribute("format") = format;
  n.append_child("text").text().set(text.c_str());
}

void answer(pugi::xml_node q, const std::string& fraction, const std::string& text) {
  auto a = q.append_child("answer");
  a.append_attribute("fraction") = fraction.c_str();
  a.append_attribute("format") = "plain_text";
  a.append_child("text").text().set(text.c_str());
}

std::string credit_of(const json& credit, const std::string& id, const std::string& fallback) {
  if (!credit.is_object() || !credit.contains(id)) return fallback;
  return exported_decimal(credit[id]).to_string();
}

/// Text as HTML, its line breaks kept.
std::string html_paragraph(const std::string& text) {
  std::string out;
  for (char c : html_escape(text)) out += c == '\n' ? std::string("<br>") : std::string(1, c);
  return out;
}

/// The question text: plain, or, with pictures, HTML that shows each embedded file after the text.
void question_text(pugi::xml_node q, const model::Item& item, const std::string& prompt) {
  if (item.figures.empty()) return text_child(q, "questiontext", prompt, "plain_text");
  std::string html = "<p>" + html_paragraph(prompt) + "</p>";
  for (std::size_t k = 0; k < item.figures.size(); ++k) {
    const auto& f = item.figures[k];
    html += "<p><img src=\"@@PLUGINFILE@@/" + html_escape(std::filesystem::path(f.file).filename().string()) + "\" alt=\"" +
            html_escape(f.alt) + "\"></p>";
    if (!f.caption.empty()) html += "<p>" + html_paragraph(f.caption) + "</p>";
  }
  text_child(q, "questiontext", html, "html");
  auto text = q.child("questiontext");
  for (const auto& f : item.figures) {
    auto file = text.append_child("file");
    file.append_attribute("name") = std::filesystem::path(f.file).filename().string().c_str();
    file.append_attribute("path") = "/";
    file.append_attribute("encoding") = "base64";
    file.text().set(util::base64_encode({reinterpret_cast<const std::uint8_t*>(f.bytes.data()), f.bytes.size()}).c_str());
  }
}

void question(pugi::xml_node quiz, const model::Item& item, const json& p) {
  const std::string type = item.type.substr(item.type.find('/') + 1);
  auto q = quiz.append_child("question");
  text_child(q, "name", item.title.empty() ? item.id : item.title);
  question_text(q, item, p.value("prompt", ""));
  if (!item.explanation.empty()) text_child(q, "generalfeedback", item.explanation, "plain_text");
  // The item's marks: its positive points times its weight.
  Decimal marks = Decimal(item.max_points()) * item.weight;
  q.append_child("defaultgrade").text().set(marks.to_string().c_str());
  q.append_child("penalty").text().set("0");
  const json true_false = json::array({{{"id", "true"}, {"text", "True"}}, {{"id", "false"}, {"text", "False"}}});
  if (type == "single-choice" && p.at("options") == true_false && !p.value("shuffle", true) && !p.contains("credit")) {
    q.append_attribute("type") = "truefalse";
    answer(q, p.at("correct") == "true" ? "100" : "0", "true");
    answer(q, p.at("correct") == "false" ? "100" : "0", "false");
  } else if (type == "single-choice") {
    q.append_attribute("type") = "multichoice";
    q.append_child("single").text().set("true");
    q.append_child("shuffleanswers").text().set(p.value("shuffle", true) ? "true" : "false");
    for (const auto& o : p.at("options")) {
      std::string id = o.at("id");
      answer(q, id == p.at("correct") ? "100" : credit_of(p.value("credit", json()), id, "0"), o.at("text"));
    }
  } else if (type == "multiple-choice") {
    if (!p.contains("credit"))
      throw Refused{p.value("partial_credit", false)
                        ? "multiple choice with partial_credit, whose thirds and sevenths Moodle's fractions cannot hold "
                          "exactly; give a credit table"
                        : "all-or-nothing multiple choice, which Moodle's multiple-answer questions cannot grade"};
    if (p.contains("min") || p.contains("max")) throw Refused{"multiple choice with min or max, which Moodle does not enforce"};
    q.append_attribute("type") = "multichoice";
    q.append_child("single").text().set("false");
    q.append_child("shuffleanswers").text().set(p.value("shuffle", true) ? "true" : "false");
    for (const auto& o : p.at("options")) answer(q, credit_of(p["credit"], o.at("id"), "0"), o.at("text"));
  } else if (type == "text-entry") {
    if (p.contains("patterns") && !p["patterns"].empty())
      throw Refused{"text entry with patterns, which Moodle's short answers cannot express"};
    if (p.value("ignore_punctuation", false)) throw Refused{"text entry that ignores punctuation, which Moodle does not"};
    q.append_attribute("type") = "shortanswer";
    q.append_child("usecase").text().set(p.value("case_sensitive", false) ? "1" : "0");
    for (const auto& a : p.at("accepted")) {
      if (a.is_string())
        answer(q, "100", a.get<std::string>());
      else
        answer(q, exported_decimal(a.at("credit")).to_string(), a.at("text"));
    }
  } else if (type == "numeric") {
    if (p.contains("unit") || p.contains("units"))
      throw Refused{"a numeric answer with units, whose grading the exporter does not write"};
    q.append_attribute("type") = "numerical";
    Decimal value = exported_decimal(p.at("answer"));
    Decimal tolerance = p.contains("tolerance") ? exported_decimal(p["tolerance"]) : Decimal();
    if (p.contains("tolerance_percent")) {
      Decimal relative = value.abs() * exported_decimal(p["tolerance_percent"]).scaled(-2);
      if (relative > tolerance) tolerance = relative;
    }
    auto numeric_answer = [&](const std::string& fraction, const Decimal& v, const Decimal& tol) {
      auto a = q.append_child("answer");
      a.append_attribute("fraction") = fraction.c_str();
      a.append_attribute("format") = "plain_text";
      a.append_child("text").text().set(v.to_string().c_str());
      a.append_child("tolerance").text().set(tol.to_string().c_str());
    };
    numeric_answer("100", value, tolerance);
    for (const auto& b : p.value("partial", json::array())) {
      Decimal lo, hi;
      if (b.contains("value")) {
        Decimal t = b.contains("tolerance") ? exported_decimal(b["tolerance"]) : Decimal();
        lo = exported_decimal(b["value"]) - t;
        hi = exported_decimal(b["value"]) + t;
      } else {
        lo = exported_decimal(b.at("min"));
        hi = exported_decimal(b.at("max"));
      }
      numeric_answer(exported_decimal(b.at("credit")).to_string(), ((lo + hi) * Decimal(5)).scaled(-1),
                     ((hi - lo) * Decimal(5)).scaled(-1));
    }
  } else if (type == "match") {
    q.append_attribute("type") = "matching";
    q.append_child("shuffleanswers").text().set(p.value("shuffle", true) ? "true" : "false");
    std::map<std::string, std::string> right;
    for (const auto& r : p.at("right")) right[r.at("id")] = r.at("text");
    std::set<std::string> used;
    for (const auto& l : p.at("left")) {
      std::string r = p.at("pairs").at(l.at("id").get<std::string>());
      used.insert(r);
      auto s = q.append_child("subquestion");
      s.append_attribute("format") = "plain_text";
      s.append_child("text").text().set(l.at("text").get<std::string>().c_str());
      s.append_child("answer").append_child("text").text().set(right[r].c_str());
    }
    for (const auto& r : p.at("right"))
      if (!used.count(r.at("id"))) {  // a distractor: a subquestion with no text
        auto s = q.append_child("subquestion");
        s.append_attribute("format") = "plain_text";
        s.append_child("text");
        s.append_child("answer").append_child("text").text().set(r.at("text").get<std::string>().c_str());
      }
  } else if (type == "extended-text") {
    q.append_attribute("type") = "essay";
    std::string guidance;
    for (const auto& c : item.criteria)
      for (const auto& l : c.levels)
        guidance +=
            fmt::format("{}{} ({} of {} points): {}", guidance.empty() ? "" : "\n", l.name, l.points, c.points, l.descriptor);
    text_child(q, "graderinfo", guidance, "plain_text");
  } else {
    throw Refused{"item type '" + item.type + "', which Moodle has no question type for"};
  }
  if (type != "extended-text" && (item.criteria.size() != 1 || item.criteria[0].id != "correct"))
    throw Refused{"criteria other than one 'correct', which a Moodle question cannot carry"};
}

}  // namespace

Exported moodle_xml(const model::Assessment& assessment) {
  Exported out;
  pugi::xml_document doc;
  auto quiz = doc.append_child("quiz");
  for (const auto& section : assessment.sections) {
    auto cat = quiz.append_child("question");
    cat.append_attribute("type") = "category";
    text_child(cat, "category", "$course$/top/" + (section.title.empty() ? section.id : section.title));
    detail::export_items(assessment, section.id, out.refused, [&](const model::Item& item, const json& params) {
      // Written apart and then copied, so that a question refused half-way leaves nothing.
      pugi::xml_document one;
      question(one, item, params);
      quiz.append_copy(one.first_child());
    });
  }
  std::ostringstream os;
  doc.save(os, "  ", pugi::format_default, pugi::encoding_utf8);
  out.text = os.str();
  return out;
}

}  // namespace assay::interchange
