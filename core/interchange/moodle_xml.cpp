// Moodle XML (docs.moodle.org, "Moodle XML format"): read into core-items items that score as
// Moodle scores them. pugixml reads the document; it does not process DTDs, so entity tricks
// (external entities, entity expansion) have nothing to act on.
#include <fmt/format.h>

#include <algorithm>
#include <assay/sdk/decimal.hpp>
#include <pugixml.hpp>

#include "assay/ed25519.hpp"
#include "assay/import.hpp"
#include "assay/model.hpp"
#include "questions.hpp"

namespace assay::interchange {

namespace {

using namespace detail;
using sdk::Decimal;

/// Moodle's text formats: "html" (the default of questions), "moodle_auto_format", "plain_text",
/// "markdown". Only HTML needs converting.
std::string format_of(const pugi::xml_node& n, const char* fallback = "html") {
  std::string f = n.attribute("format").as_string(fallback);
  return f == "html" ? "html" : "plain";
}

/// The <text> of `n`, in `n`'s format.
std::string text_of(const pugi::xml_node& n, const char* fallback = "html") {
  return trim(as_text(n.child("text").text().as_string(), format_of(n, fallback)));
}

/// A picture from its base64 text (white space ignored) and description.
ImportedFigure picture(const std::string& name, const std::string& base64, const std::string& alt) {
  std::string text;
  for (char c : base64)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') text += c;
  auto bytes = util::base64_decode(text);
  if (!bytes) throw Refused{"an embedded file '" + excerpt(name) + "' that is not base64"};
  ImportedFigure fig;
  fig.name = name;
  fig.bytes.assign(bytes->begin(), bytes->end());
  if (model::media_type_of_picture(fig.bytes).empty())
    throw Refused{"an embedded file '" + excerpt(name) + "' that is not a PNG, JPEG, GIF or WebP picture"};
  fig.alt = alt.empty() ? "a picture (" + name + "; the source gives no description)" : alt;
  return fig;
}

/// The pictures of the question text: each <img> that shows an embedded file (src
/// "@@PLUGINFILE@@/NAME"), in the order the text shows them. A file anywhere else (an answer's,
/// the feedback's, a link to a document) is refused: the engine shows pictures with the question only.
std::vector<ImportedFigure> figures_of(const pugi::xml_node& q) {
  std::vector<ImportedFigure> out;
  auto question = q.child("questiontext");
  for (auto f : q.select_nodes(".//file"))
    if (f.node().parent() != question)
      throw Refused{"an embedded file outside the question text (in an answer or feedback), which the engine cannot show there"};
  for (auto t : q.select_nodes(".//text"))
    if (t.node().parent() != question && std::string(t.node().text().as_string()).find("@@PLUGINFILE@@") != std::string::npos)
      throw Refused{"a file named outside the question text (in an answer or feedback), which the engine cannot show there"};
  std::string html = question.child("text").text().as_string();
  std::size_t at = 0;
  std::size_t named = 0;
  while ((at = html.find("@@PLUGINFILE@@/", at)) != std::string::npos) {
    ++named;
    at += 15;
  }
  for (std::size_t pos = 0; (pos = html.find("<img", pos)) != std::string::npos; pos += 4) {
    auto end = html.find('>', pos);
    if (end == std::string::npos) break;
    std::string tag = html.substr(pos, end - pos + 1);
    auto attribute = [&](const std::string& name) -> std::string {
      for (char quote : {'"', '\''}) {
        auto k = tag.find(" " + name + "=" + quote);
        if (k == std::string::npos) continue;
        k += name.size() + 3;
        auto e = tag.find(quote, k);
        if (e != std::string::npos) return html_to_text(tag.substr(k, e - k));
      }
      return "";
    };
    std::string src = attribute("src");
    if (!src.starts_with("@@PLUGINFILE@@/"))
      throw Refused{"a picture from outside the file ('" + excerpt(src) + "'), which the importer does not fetch"};
    std::string name = src.substr(15);
    pugi::xml_node file;
    for (auto f : question.children("file"))
      if (name == f.attribute("name").as_string()) file = f;
    if (!file) throw Refused{"a picture '" + excerpt(name) + "' whose file the question does not carry"};
    out.push_back(picture(name, file.text().as_string(), trim(attribute("alt"))));
  }
  // Moodle 1.9's own field, still read by Moodle: <image>NAME</image> with the bytes in
  // <image_base64>, shown after the question text.
  if (std::string name = trim(q.child("image").text().as_string()); !name.empty()) {
    if (!q.child("image_base64")) throw Refused{"a picture '" + excerpt(name) + "' in the old <image> field without its bytes"};
    out.push_back(picture(name, q.child("image_base64").text().as_string(), ""));
  }
  if (named > out.size()) throw Refused{"a file the question text links to rather than shows (a document or other download)"};
  if (!question.children("file").empty() && out.empty()) throw Refused{"an embedded file the question text does not show"};
  return out;
}

Answer answer_of(const pugi::xml_node& a, char marker) {
  Answer out;
  out.marker = marker;
  out.weight = Decimal::parse(a.attribute("fraction").as_string("0")).value_or(Decimal(-1000)).to_string();
  out.format = format_of(a, "html");
  out.text = gift_escape(a.child("text").text().as_string());
  if (auto fb = a.child("feedback")) {
    out.feedback = a.child("feedback").child("text").text().as_string();
    out.feedback_format = format_of(fb, "html");
  }
  return out;
}

bool flag(const pugi::xml_node& q, const char* name, bool fallback) {
  auto n = q.child(name);
  if (!n) return fallback;
  std::string v = trim(n.text().as_string());
  return v == "true" || v == "1";
}

ImportedItem read_question(const pugi::xml_node& q, const std::string& type, const std::string& section) {
  ImportedItem item;
  item.section = section;
  item.title = trim(q.child("name").child("text").text().as_string());
  item.figures = figures_of(q);
  std::string prompt = text_of(q.child("questiontext"));
  if (type == "description") throw Refused{"a description: there is nothing to score"};
  if (prompt.empty()) throw Refused{"a question without text"};
  item.params = nlohmann::json::object();
  item.params["prompt"] = prompt;
  if (item.title.empty()) item.title = excerpt(prompt);
  // The question's marks: its points count as this many marks (an essay's two points as one).
  auto grade = Decimal::parse(trim(q.child("defaultgrade").text().as_string("1")));
  if (!grade || grade->sign() <= 0) throw Refused{"a question worth no marks (defaultgrade)"};
  item.weight = grade->to_string();
  std::string question_format = format_of(q.child("questiontext"));

  std::vector<Answer> answers;
  if (type == "multichoice") {
    for (auto a : q.children("answer")) answers.push_back(answer_of(a, '~'));
    if (answers.empty()) throw Refused{"a choice with no answers"};
    choice(item, answers, question_format, flag(q, "single", true), flag(q, "shuffleanswers", true));
  } else if (type == "truefalse") {
    std::string right_fb, wrong_fb;
    int truth = -1;
    for (auto a : q.children("answer")) {
      auto ans = answer_of(a, '=');
      std::string which = trim(unescape(ans.text));
      std::transform(which.begin(), which.end(), which.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      bool full = Decimal::parse(*ans.weight) == Decimal(100);
      std::string fb = as_text(ans.feedback, ans.feedback_format);
      if (full) {
        truth = which == "true" ? 1 : 0;
        right_fb = fb;
      } else {
        wrong_fb = fb;
      }
    }
    if (truth < 0) throw Refused{"a true/false question with no answer worth 100 %"};
    true_false(item, truth == 1, wrong_fb, right_fb);
  } else if (type == "shortanswer") {
    for (auto a : q.children("answer")) answers.push_back(answer_of(a, '='));
    short_answer(item, answers, question_format, flag(q, "usecase", false));
  } else if (type == "numerical") {
    for (auto u : q.select_nodes("units/unit"))
      if (std::string(u.node().child("unit_name").text().as_string()).size() > 0)
        throw Refused{"a numerical question with units, whose unit grading the importer does not read"};
    for (auto a : q.children("answer")) {
      Answer ans = answer_of(a, '=');
      std::string value = trim(a.child("text").text().as_string());
      if (value == "*") {  // any other answer: its feedback only
        ans.marker = '~';
        ans.text.clear();
      } else {
        std::string tol = trim(a.child("tolerance").text().as_string("0"));
        ans.text = value + (tol.empty() || tol == "0" ? "" : ":" + tol);
      }
      answers.push_back(ans);
    }
    numerical(item, answers, question_format);
  } else if (type == "matching") {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (auto s : q.children("subquestion"))
      pairs.emplace_back(text_of(s), trim(s.child("answer").child("text").text().as_string()));
    matching(item, pairs);
    if (!flag(q, "shuffleanswers", true)) item.params["shuffle"] = false;
  } else if (type == "essay") {
    std::string guidance = text_of(q.child("graderinfo"));
    if (!rubric_from(guidance, item)) essay(item, guidance);
    // The rubric's points count as the question's marks.
    item.weight = item.points == 2 ? (*grade * Decimal(5)).scaled(-1).to_string() : weight_per_point(*grade, item.points);
  } else {
    throw Refused{"question type '" + type + "', which the importer does not read"};
  }
  if (auto general = text_of(q.child("generalfeedback")); !general.empty())
    item.explanation = general + (item.explanation.empty() ? "" : "\n" + item.explanation);
  return item;
}

}  // namespace

Imported read_moodle_xml(std::string_view text) {
  Imported out;
  if (!utf8_or_refused(text, out)) return out;
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    out.refused.push_back({line_at(text, parsed.offset), "", std::string("not well-formed XML: ") + parsed.description()});
    return out;
  }
  auto quiz = doc.child("quiz");
  if (!quiz) {
    out.refused.push_back({1, "", "not a Moodle XML question file (its root element is not <quiz>)"});
    return out;
  }
  std::string section;
  for (auto q : quiz.children("question")) {
    std::string type = q.attribute("type").as_string();
    std::size_t line = line_at(text, q.offset_debug());
    if (type == "category") {
      section = category_section(out, trim(q.child("category").child("text").text().as_string()));
      continue;
    }
    if (section.empty()) section = category_section(out, "");
    try {
      ImportedItem item = read_question(q, type, section);
      item.line = line;
      out.items.push_back(std::move(item));
    } catch (const Refused& r) {
      std::string title = trim(q.child("name").child("text").text().as_string());
      out.refused.push_back({line, title, r.why});
    } catch (const std::exception& e) {  // a number past every range, say: refused, never a crash
      out.refused.push_back(
          {line, trim(q.child("name").child("text").text().as_string()), std::string("could not be read: ") + e.what()});
    }
  }
  assign_ids(out.items);
  return out;
}

}  // namespace assay::interchange
