// GIFT, Moodle's text format for questions (docs.moodle.org, "GIFT format"): read into core-items
// items that score as Moodle scores them.
#include <fmt/format.h>

#include <algorithm>
#include <assay/sdk/decimal.hpp>
#include <map>
#include <optional>

#include "assay/import.hpp"
#include "assay/utf8.hpp"
#include "questions.hpp"

namespace assay::interchange {

namespace detail {

using json = nlohmann::json;
using sdk::Decimal;

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

/// The first `what` at or after `from` that no backslash escapes.
std::size_t find_unescaped(std::string_view s, std::string_view what, std::size_t from = 0) {
  for (std::size_t i = from; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s.substr(i, what.size()) == what) return i;
  }
  return std::string_view::npos;
}

std::string gift_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("~=#{}:\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char c = s[i + 1];
      if (c == 'n') {
        out += '\n';
        ++i;
        continue;
      }
      if (std::string_view("~=#{}:\\").find(c) != std::string_view::npos) {
        out += c;
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string slug(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c))
      out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-')
      out += '-';
    if (out.size() >= 40) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

/// The start of a text, for titles and messages.
std::string excerpt(const std::string& text) {
  std::string one = text;
  std::replace(one.begin(), one.end(), '\n', ' ');
  if (one.size() <= 60) return one;
  std::size_t cut = 57;
  while (cut > 0 && (static_cast<unsigned char>(one[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  return one.substr(0, cut) + "...";
}

/// Takes a leading format tag off `text` ("[html]..."); returns the format, or "" when none.
std::string take_format_tag(std::string& text) {
  for (const char* f : {"html", "moodle", "plain", "markdown"}) {
    std::string tag = std::string("[") + f + "]";
    if (text.rfind(tag, 0) == 0) {
      text = trim(text.substr(tag.size()));
      return f;
    }
  }
  return "";
}

std::vector<Answer> split_answers(std::string_view block) {
  std::vector<Answer> out;
  std::vector<std::pair<char, std::string>> raw;
  std::string current;
  char marker = 0;
  bool any = false;
  for (std::size_t i = 0; i < block.size(); ++i) {
    char c = block[i];
    if (c == '\\' && i + 1 < block.size()) {
      current += c;
      current += block[++i];
      continue;
    }
    // "->" in a matching pair is not a new answer.
    if (c == '=' || c == '~') {
      if (any || !trim(current).empty()) raw.emplace_back(marker, current);
      current.clear();
      marker = c;
      any = true;
      continue;
    }
    current += c;
  }
  if (any || !trim(current).empty()) raw.emplace_back(marker, current);
  for (auto& [m, text] : raw) {
    if (m == 0 && trim(text).empty()) continue;
    Answer a;
    a.marker = m;
    std::string t = trim(text);
    if (t.size() > 2 && t[0] == '%') {
      auto end = t.find('%', 1);
      if (end != std::string::npos) {
        a.weight = t.substr(1, end - 1);
        t = trim(t.substr(end + 1));
      }
    }
    if (auto hash = find_unescaped(t, "#"); hash != std::string::npos) {
      std::string fb = trim(t.substr(hash + 1));
      a.feedback_format = take_format_tag(fb);
      a.feedback = trim(unescape(fb));
      t = trim(t.substr(0, hash));
    }
    a.format = take_format_tag(t);
    a.text = t;  // still escaped: matching splits it at "->" first
    out.push_back(std::move(a));
  }
  return out;
}

/// A weight in percent as GIFT writes it ("50", "-33.33333"), checked as the engine will read it.
std::string percent(const Answer& a) {
  if (!a.weight) return a.marker == '=' ? "100" : "0";
  auto d = Decimal::parse(*a.weight);
  if (!d || *d < Decimal(-100) || *d > Decimal(100))
    throw Refused{"a weight of \"" + *a.weight + "%\", which is not a percent from -100 to 100"};
  return d->to_string();
}

bool is_zero(const std::string& p) { return Decimal::parse(p) == Decimal(0); }
bool is_full(const std::string& p) { return Decimal::parse(p) == Decimal(100); }

/// The text of a question or answer, in the format the question gives.
std::string as_text(const std::string& text, const std::string& format) {
  if (format == "html") return html_to_text(text);
  return text;
}

/// An answer's text: in its own format when it names one, else the question's.
std::string answer_text(const Answer& a, const std::string& format) {
  return as_text(unescape(a.text), a.format.empty() ? format : a.format);
}

/// An answer's feedback, likewise.
std::string feedback_of(const Answer& a, const std::string& format) {
  return as_text(a.feedback, a.feedback_format.empty() ? format : a.feedback_format);
}

void add_feedback(ImportedItem& item, const std::string& label, const std::string& feedback, const std::string& format) {
  if (feedback.empty()) return;
  if (!item.explanation.empty()) item.explanation += "\n";
  item.explanation += (label.empty() ? "" : label + ": ") + as_text(feedback, format);
}

json option_list(const std::vector<std::string>& texts) {
  json out = json::array();
  for (std::size_t i = 0; i < texts.size(); ++i)
    out.push_back(
        {{"id", std::string(1, static_cast<char>('a' + i % 26)) + (i >= 26 ? std::to_string(i / 26) : "")}, {"text", texts[i]}});
  return out;
}

void choice(ImportedItem& item, const std::vector<Answer>& answers, const std::string& format, bool single, bool shuffle) {
  std::vector<std::string> texts;
  for (const auto& a : answers) texts.push_back(answer_text(a, format));
  if (!shuffle) item.params["shuffle"] = false;
  json options = option_list(texts);
  for (std::size_t i = 0; i < answers.size(); ++i)
    if (!answers[i].id.empty()) options[i]["id"] = answers[i].id;
  item.params["options"] = options;
  json credit = json::object();
  if (single) {
    int correct = -1;
    for (std::size_t i = 0; i < answers.size(); ++i) {
      auto p = percent(answers[i]);
      if (is_full(p) && correct < 0) {
        correct = static_cast<int>(i);
        continue;
      }
      if (!is_zero(p)) credit[options[i]["id"].get<std::string>()] = p;
    }
    if (correct < 0) throw Refused{"a single-answer choice with no answer worth 100 %"};
    item.type = "core-items/single-choice";
    item.params["correct"] = options[static_cast<std::size_t>(correct)]["id"];
  } else {
    json correct = json::array();
    Decimal sum;
    for (std::size_t i = 0; i < answers.size(); ++i) {
      auto p = percent(answers[i]);
      auto d = *Decimal::parse(p);
      if (d.sign() > 0) {
        correct.push_back(options[i]["id"]);
        sum = sum + d;
      }
      if (!is_zero(p)) credit[options[i]["id"].get<std::string>()] = p;
    }
    if (correct.empty()) throw Refused{"a multiple-answer choice with no answer worth more than 0 %"};
    // Moodle writes thirds and sevenths rounded (33.33333 three times is 99.99999): the last right
    // answer takes up the rounding, at most 0.0001 %, so that all right answers earn 100 %.
    if (Decimal gap = Decimal(100) - sum; sum != Decimal(100) && gap.abs() <= Decimal::parse("0.0001").value()) {
      std::string last = correct.back();
      credit[last] = (*Decimal::parse(credit[last].get<std::string>()) + gap).to_string();
      sum = Decimal(100);
    }
    if (sum != Decimal(100))
      throw Refused{"a multiple-answer choice whose positive weights add up to " + sum.to_string() +
                    " %, not 100 % (Moodle refuses it too)"};
    item.type = "core-items/multiple-choice";
    item.params["correct"] = correct;
  }
  if (!credit.empty()) item.params["credit"] = credit;
  for (std::size_t i = 0; i < answers.size(); ++i)
    add_feedback(item, "\u201c" + texts[i] + "\u201d", answers[i].feedback, format);
}

void short_answer(ImportedItem& item, const std::vector<Answer>& answers, const std::string& format, bool case_sensitive) {
  json accepted = json::array();
  json patterns = json::array();
  bool partial = false;
  for (const auto& a : answers) {
    auto p = percent(a);
    std::string text = answer_text(a, format);
    if (text.find('*') != std::string::npos) {
      // Moodle's wildcard: '*' matches any characters. One worth 0 % only carries feedback for
      // every other answer, which earns 0 anyway.
      if (is_zero(p)) {
        add_feedback(item, "Any other answer", feedback_of(a, format), "");
        continue;
      }
      if (!is_full(p)) throw Refused{"a wildcard answer ('*') worth less than 100 %, which the engine does not grade"};
      std::string re;
      for (char c : text) {
        if (c == '*')
          re += ".*";
        else if (std::string_view("\\^$.|?+()[]{}").find(c) != std::string_view::npos)
          re += std::string("\\") + c;
        else
          re += c;
      }
      patterns.push_back(re);
      continue;
    }
    if (is_zero(p)) {  // a 0 % answer earns what any other wrong answer earns
      add_feedback(item, "\u201c" + text + "\u201d", feedback_of(a, format), "");
      continue;
    }
    if (Decimal::parse(p)->sign() < 0) throw Refused{"a short answer with a negative weight"};
    if (is_full(p))
      accepted.push_back(text);
    else
      accepted.push_back({{"text", text}, {"credit", p}}), partial = true;
    add_feedback(item, "\u201c" + text + "\u201d", feedback_of(a, format), "");
  }
  if (partial && !patterns.empty())
    throw Refused{"wildcard answers beside partly right ones, whose order decides the credit in Moodle"};
  if (accepted.empty() && patterns.empty()) throw Refused{"a short answer with no answer worth 100 %"};
  if (accepted.empty()) throw Refused{"a short answer made only of wildcards (the engine needs one answer to show as correct)"};
  item.type = "core-items/text-entry";
  item.params["accepted"] = accepted;
  if (case_sensitive) item.params["case_sensitive"] = true;
  if (!patterns.empty()) item.params["patterns"] = patterns;
}

struct Band {
  Decimal low, high;
  std::string credit;
};

Band numeric_band(const std::string& text) {
  std::string t = trim(unescape(text));
  auto bad = [&] { return Refused{"a numerical answer \"" + t + "\" that is not a number, number:tolerance or min..max"}; };
  if (auto dots = t.find(".."); dots != std::string::npos) {
    auto lo = Decimal::parse(trim(t.substr(0, dots))), hi = Decimal::parse(trim(t.substr(dots + 2)));
    if (!lo || !hi || *hi < *lo) throw bad();
    return {*lo, *hi, ""};
  }
  auto colon = t.find(':');
  auto value = Decimal::parse(trim(t.substr(0, colon)));
  if (!value) throw bad();
  Decimal tolerance;
  if (colon != std::string::npos) {
    auto tol = Decimal::parse(trim(t.substr(colon + 1)));
    if (!tol || tol->sign() < 0) throw bad();
    tolerance = *tol;
  }
  return {*value - tolerance, *value + tolerance, ""};
}

void numerical(ImportedItem& item, const std::vector<Answer>& answers, const std::string& format) {
  std::vector<Band> bands;
  for (const auto& a : answers) {
    if (a.marker == '~' && trim(a.text).empty()) {
      add_feedback(item, "Any other answer", feedback_of(a, format), "");
      continue;
    }
    Band b = numeric_band(a.text);
    b.credit = percent(a);
    if (Decimal::parse(b.credit)->sign() < 0) throw Refused{"a numerical answer with a negative weight"};
    add_feedback(item, "\u201c" + trim(unescape(a.text)) + "\u201d", feedback_of(a, format), "");
    if (!is_zero(b.credit)) bands.push_back(b);
  }
  auto full = std::find_if(bands.begin(), bands.end(), [](const Band& b) { return is_full(b.credit); });
  if (full == bands.end()) throw Refused{"a numerical question with no answer worth 100 %"};
  // Moodle takes the first answer that matches; the engine the best. They agree unless a lower
  // credit comes first and overlaps a higher one.
  for (std::size_t i = 0; i < bands.size(); ++i)
    for (std::size_t j = i + 1; j < bands.size(); ++j)
      if (*Decimal::parse(bands[i].credit) < *Decimal::parse(bands[j].credit) && bands[i].low <= bands[j].high &&
          bands[j].low <= bands[i].high)
        throw Refused{"numerical answers that overlap with the lower credit first, where Moodle's order decides"};
  item.type = "core-items/numeric";
  // The midpoint and half-width, exactly: (low + high) / 2 = (low + high) × 5 / 10.
  item.params["answer"] = ((full->low + full->high) * Decimal(5)).scaled(-1).to_string();
  Decimal half = ((full->high - full->low) * Decimal(5)).scaled(-1);
  if (half.sign() != 0) item.params["tolerance"] = half.to_string();
  json partial = json::array();
  for (const auto& b : bands) {
    if (&b == &*full) continue;
    partial.push_back({{"min", b.low.to_string()}, {"max", b.high.to_string()}, {"credit", b.credit}});
  }
  if (!partial.empty()) item.params["partial"] = partial;
}

void matching(ImportedItem& item, const std::vector<std::pair<std::string, std::string>>& pairs_in) {
  json left = json::array(), right = json::array(), pairs = json::object();
  std::map<std::string, std::string> right_ids;
  for (const auto& [l, r] : pairs_in) {
    auto [it, fresh] = right_ids.emplace(r, "r" + std::to_string(right_ids.size() + 1));
    if (fresh) right.push_back({{"id", it->second}, {"text", r}});
    if (l.empty()) continue;  // an extra answer on the right, matched to nothing
    std::string lid = "l" + std::to_string(left.size() + 1);
    left.push_back({{"id", lid}, {"text", l}});
    pairs[lid] = it->second;
  }
  item.type = "core-items/match";
  item.params["left"] = left;
  item.params["right"] = right;
  item.params["pairs"] = pairs;
}

void true_false(ImportedItem& item, bool truth, const std::string& wrong_fb, const std::string& right_fb) {
  item.type = "core-items/single-choice";
  item.params["options"] = {{{"id", "true"}, {"text", "True"}}, {{"id", "false"}, {"text", "False"}}};
  item.params["correct"] = truth ? "true" : "false";
  item.params["shuffle"] = false;
  if (!wrong_fb.empty()) add_feedback(item, "When answered wrongly", wrong_fb, "");
  if (!right_fb.empty()) add_feedback(item, "When answered rightly", right_fb, "");
}

std::string category_section(Imported& out, const std::string& path) {
  auto slash = path.rfind('/');
  std::string title = slash == std::string::npos ? path : path.substr(slash + 1);
  if (title.empty()) title = "Imported";
  std::string id = slug(title);
  if (id.empty()) id = "imported";
  for (const auto& s : out.sections)
    if (s.id == id) return id;
  out.sections.push_back({id, title});
  return id;
}

bool utf8_or_refused(std::string_view text, Imported& out) {
  auto bad = find_utf8_error(text);
  if (!bad) return true;
  out.refused.push_back(
      {bad->line, "",
       fmt::format("the file is not UTF-8 text: column {}, found {}: save it as UTF-8", bad->column, bad->bytes())});
  return false;
}

void assign_ids(std::vector<ImportedItem>& items) {
  std::map<std::string, int> used;
  for (auto& item : items) {
    std::string id = slug(item.title);
    if (id.empty() || !std::isalpha(static_cast<unsigned char>(id[0]))) id = "q" + (id.empty() ? "" : "-" + id);
    if (int n = ++used[id]; n > 1) id += "-" + std::to_string(n);
    item.id = id;
  }
}

void essay(ImportedItem& item, const std::string& guidance) {
  item.type = "core-items/extended-text";
  item.criterion = "quality";
  item.points = 2;
  item.weight = "0.5";  // two points, one mark, as Moodle gives an essay by default
  std::string g = guidance.empty() ? "" : " Guidance for the rater: " + guidance;
  item.levels = {{"full", 2, "The answer earns all of the question's marks." + g},
                 {"half", 1, "The answer earns half of the question's marks." + g},
                 {"none", 0, "The answer earns none of the question's marks." + g}};
}

}  // namespace detail

namespace {

using namespace detail;

void gift_true_false(ImportedItem& item, const std::string& block) {
  std::string head = block, wrong_fb, right_fb;
  if (auto hash = find_unescaped(block, "#"); hash != std::string::npos) {
    head = block.substr(0, hash);
    std::string rest = block.substr(hash + 1);
    if (auto second = find_unescaped(rest, "#"); second != std::string::npos) {
      wrong_fb = trim(unescape(rest.substr(0, second)));
      right_fb = trim(unescape(rest.substr(second + 1)));
    } else {
      wrong_fb = trim(unescape(rest));
    }
  }
  std::string key = trim(head);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  true_false(item, key == "T" || key == "TRUE", wrong_fb, right_fb);
}

bool is_true_false(std::string block) {
  if (auto hash = find_unescaped(block, "#"); hash != std::string::npos) block = block.substr(0, hash);
  block = trim(block);
  std::transform(block.begin(), block.end(), block.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return block == "T" || block == "TRUE" || block == "F" || block == "FALSE";
}

ImportedItem read_question(std::string text, const std::string& section) {
  ImportedItem item;
  item.section = section;
  std::string rest = trim(text);
  std::string format = "moodle";
  auto take_format = [&] {
    for (const char* f : {"html", "moodle", "plain", "markdown"}) {
      std::string tag = std::string("[") + f + "]";
      if (rest.rfind(tag, 0) == 0) {
        format = f;
        rest = trim(rest.substr(tag.size()));
        return;
      }
    }
  };
  take_format();  // GIFT puts it after the title; some files put it first
  if (rest.rfind("::", 0) == 0) {
    auto end = find_unescaped(rest, "::", 2);
    if (end == std::string::npos) throw Refused{"a title opened with '::' and never closed"};
    item.title = trim(unescape(rest.substr(2, end - 2)));
    rest = trim(rest.substr(end + 2));
  }
  take_format();
  auto open = find_unescaped(rest, "{");
  if (open == std::string::npos) throw Refused{"a description (no answer block): there is nothing to score"};
  auto close = find_unescaped(rest, "}", open + 1);
  if (close == std::string::npos) throw Refused{"an answer block opened with '{' and never closed"};
  std::string before = trim(rest.substr(0, open)), after = trim(rest.substr(close + 1));
  std::string block = trim(rest.substr(open + 1, close - open - 1));
  if (find_unescaped(after, "{") != std::string::npos) throw Refused{"a second answer block"};
  std::string prompt = as_text(unescape(before), format);
  if (!after.empty()) prompt += " _____ " + as_text(unescape(after), format);  // a missing word
  prompt = trim(prompt);
  if (format == "html" && (before.find("<img") != std::string::npos || after.find("<img") != std::string::npos))
    throw Refused{"an image, which a GIFT file cannot carry (import the Moodle XML export instead)"};
  if (prompt.empty()) throw Refused{"a question without text"};
  item.params = json::object();
  item.params["prompt"] = prompt;
  if (item.title.empty()) item.title = excerpt(prompt);

  std::string general;
  if (auto g = find_unescaped(block, "####"); g != std::string::npos) {
    general = trim(unescape(block.substr(g + 4)));
    block = trim(block.substr(0, g));
  }
  if (block.empty()) {
    if (!after.empty()) throw Refused{"an essay with text after its answer block"};
    essay(item, "");
  } else if (block[0] == '#') {
    // One answer may stand without '=' ({#3:2~#wrong}); '~' answers carry feedback for the rest.
    std::string body = trim(block.substr(1));
    if (!body.empty() && body[0] != '=' && body[0] != '~') body = "=" + body;
    auto answers = split_answers(body);
    for (const auto& a : answers)
      if (a.marker != '=' && !(a.marker == '~' && trim(a.text).empty())) throw Refused{"a numerical answer not marked with '='"};
    numerical(item, answers, format);
  } else if (is_true_false(block)) {
    gift_true_false(item, block);
  } else {
    auto answers = split_answers(block);
    bool arrows = std::any_of(answers.begin(), answers.end(),
                              [](const Answer& a) { return find_unescaped(a.text, "->") != std::string::npos; });
    bool tilde = std::any_of(answers.begin(), answers.end(), [](const Answer& a) { return a.marker == '~'; });
    if (answers.empty()) throw Refused{"an answer block with no answers"};
    if (arrows) {
      std::vector<std::pair<std::string, std::string>> pairs;
      for (const auto& a : answers) {
        if (a.marker != '=') throw Refused{"a matching pair not marked with '='"};
        auto arrow = find_unescaped(a.text, "->");
        if (arrow == std::string::npos) throw Refused{"a matching answer without '->'"};
        const std::string& fmt = a.format.empty() ? format : a.format;
        pairs.emplace_back(as_text(trim(unescape(a.text.substr(0, arrow))), fmt),
                           as_text(trim(unescape(a.text.substr(arrow + 2))), fmt));
      }
      matching(item, pairs);
    } else if (tilde) {
      for (const auto& a : answers)
        if (a.marker == 0) throw Refused{"an answer without '=' or '~' in a multiple-choice block"};
      // Moodle: one answer marked '=' makes it single-answer; none, several answers (checkboxes).
      bool single = std::any_of(answers.begin(), answers.end(), [](const Answer& a) { return a.marker == '='; });
      choice(item, answers, format, single, true);
    } else {
      for (const auto& a : answers)
        if (a.marker != '=') throw Refused{"a short answer that is not marked with '='"};
      short_answer(item, answers, format, false);
    }
  }
  if (item.criterion.empty()) item.criterion = "correct";
  if (!general.empty()) {
    std::string before_fb = item.explanation;
    item.explanation = as_text(general, format) + (before_fb.empty() ? "" : "\n" + before_fb);
  }
  return item;
}

}  // namespace

namespace {

/// A question's title for a message: its ::title::, or the start of its text.
std::string title_of(const std::string& t) {
  if (t.rfind("::", 0) == 0)
    if (auto end = find_unescaped(t, "::", 2); end != std::string::npos) return trim(unescape(t.substr(2, end - 2)));
  return excerpt(trim(t));
}

}  // namespace

Imported read_gift(std::string_view input) {
  Imported out;
  if (!utf8_or_refused(input, out)) return out;
  std::string text(input);
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  // Blocks of lines separated by blank lines; comment lines ("//") dropped.
  struct Block {
    std::size_t line;
    std::string text;
  };
  std::vector<Block> blocks;
  std::size_t line_no = 0, start = 0;
  std::string current;
  auto flush = [&] {
    if (!trim(current).empty()) blocks.push_back({start, current});
    current.clear();
  };
  for (std::size_t pos = 0; pos <= text.size();) {
    auto nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++line_no;
    std::string t = trim(line);
    if (t.empty()) {
      flush();
    } else if (t.rfind("//", 0) != 0) {
      if (current.empty()) start = line_no;
      current += line + "\n";
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  flush();

  std::string section;
  for (auto& b : blocks) {
    std::string t = trim(b.text);
    if (t.rfind("$CATEGORY:", 0) == 0) {
      auto nl = t.find('\n');
      section = category_section(out, trim(t.substr(10, nl == std::string::npos ? std::string::npos : nl - 10)));
      if (nl == std::string::npos) continue;
      t = trim(t.substr(nl + 1));
      ++b.line;
    }
    if (section.empty()) section = category_section(out, "");
    try {
      ImportedItem item = read_question(t, section);
      item.line = b.line;
      out.items.push_back(std::move(item));
    } catch (const Refused& r) {
      out.refused.push_back({b.line, title_of(t), r.why});
    } catch (const std::exception& e) {  // a number past every range, say: refused, never a crash
      out.refused.push_back({b.line, title_of(t), std::string("could not be read: ") + e.what()});
    }
  }
  assign_ids(out.items);
  return out;
}

}  // namespace assay::interchange
