// Answers at the keyboard: a line typed → a response v1 value (docs/formats.md), and a value
// shown back in the keys typed.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "detail.hpp"

namespace assay::presentation {

namespace detail {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == ',' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

namespace {

/// Letters A.. for `n` options; "A C" or "AC" both read as two letters. Past 26 options the
/// letters run on as AA, AB, ... (option_letter), so each word is one letter code: "B AA".
Expected<std::vector<std::size_t>, std::string> letters(std::string_view input, std::size_t n) {
  std::vector<std::size_t> out;
  if (n > 26) {
    for (const auto& w : words(input)) {
      std::size_t index = 0;
      bool ok = w.size() <= 3;
      for (char c : w) {
        auto u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        ok = ok && u >= 'A' && u <= 'Z';
        index = index * 26 + static_cast<std::size_t>(u - 'A' + 1);
      }
      if (!ok || index == 0 || index > n)
        return fmt::format("'{}' is not one of the letters A to {} (separate them with spaces)", w, option_letter(n - 1));
      out.push_back(index - 1);
    }
    return out;
  }
  for (const auto& w : words(input)) {
    for (char c : w) {
      auto u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (u < 'A' || static_cast<std::size_t>(u - 'A') >= n)
        return fmt::format("'{}' is not one of the letters A to {}", std::string(1, c), option_letter(n - 1));
      out.push_back(static_cast<std::size_t>(u - 'A'));
    }
  }
  return out;
}

}  // namespace

Expected<std::vector<std::size_t>, std::string> pick_letters(const json& options, std::string_view input) {
  if (options.empty()) return std::string("this question has no options");
  auto picked = letters(input, options.size());
  if (!picked) return picked.error();
  std::vector<std::size_t> sorted = picked.value();
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return std::string("each letter may appear only once");
  return picked;
}

bool yes(const std::string& line) { return line == "y" || line == "Y" || line == "yes"; }

json enter_line(const json& interaction, const json& presentation, const json* kept, Keyboard& keyboard, const char* nothing) {
  Style st{keyboard.color()};
  std::string label = interaction.value("prompt", interaction.value("id", ""));
  std::string line;
  for (;;) {
    if (!keyboard.read(fmt::format("{} > ", label), line)) return json();
    if (kept != nullptr && line.find_first_not_of(" \t") == std::string::npos) return *kept;
    auto parsed = parse_answer(interaction, presentation, line);
    if (parsed && parsed.value().is_array() && parsed.value().empty()) {
      // The empty answer is easy to type by mistake and looks like a skip: the learner confirms it.
      if (!keyboard.read(fmt::format("  {} selected: is that your answer? y/n > ", nothing), line)) return json();
      if (yes(line)) return parsed.value();
      keyboard.write(st.dim("  not answered yet") + "\n");
      continue;
    }
    if (parsed) return parsed.value();
    keyboard.write(st.red("  " + parsed.error()) + st.dim("  ('?' for help)") + "\n");
  }
}

bool keep_or_go_on(const json* kept, Keyboard& keyboard, bool whole, json& value) {
  value = json::object();
  if (kept == nullptr) return false;
  std::string line;
  if (!keyboard.read("  keep it? y/n > ", line)) {
    value = json();
    return true;
  }
  if (!yes(line)) return false;
  value = *kept;
  return whole || !kept->is_object();
}

std::string as_json(const json& value) { return value.dump(); }

std::string readable_ids(const json& value, const json& entries, const char* sep) {
  if (!value.is_array()) return as_json(value);
  if (value.empty()) return "none selected";
  std::string out;
  for (const auto& id : value)
    if (auto i = index_of(entries, id)) out += (out.empty() ? "" : sep) + str(entries[*i], "text");
  return out;
}

std::string keys_of_ids(const json& value, const json& entries, std::string (*key)(std::size_t index)) {
  if (!value.is_array()) return as_json(value);
  if (value.empty()) return "- (none)";
  std::string out;
  for (const auto& id : value) {
    if (auto i = index_of(entries, id)) out += (out.empty() ? "" : " ") + key(*i);
  }
  return out;
}

}  // namespace detail

Expected<nlohmann::json, std::string> parse_answer(const nlohmann::json& interaction, const nlohmann::json& presentation,
                                                   std::string_view raw) {
  const std::string type = interaction.value("type", "");
  const std::string input = detail::trim(raw);
  if (input.empty()) return std::string("type an answer");
  const auto* t = find_interaction_type(type);
  if (t == nullptr || t->parse == nullptr) return fmt::format("interaction type '{}' is answered part by part", type);
  return t->parse(interaction, presentation, input);
}

nlohmann::json enter_answer(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json* kept,
                            Keyboard& keyboard) {
  const std::string type = interaction.value("type", "");
  if (const auto* t = find_interaction_type(type)) return t->enter(interaction, presentation, kept, keyboard);
  return detail::enter_line(interaction, presentation, kept, keyboard);
}

std::string keys_typed(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json& value) {
  const std::string type = interaction.value("type", "");
  if (const auto* t = find_interaction_type(type)) return t->keys(interaction, presentation, value);
  return detail::as_json(value);
}

std::string readable(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json& value) {
  const std::string type = interaction.value("type", "");
  if (const auto* t = find_interaction_type(type)) return t->readable(interaction, presentation, value);
  return detail::as_json(value);
}

std::string readable_response(const nlohmann::json& presentation, const std::string& response) {
  auto doc = nlohmann::json::parse(response, nullptr, false);
  if (!doc.is_object()) return response + "\n";
  if (doc.empty()) return "(not answered)\n";
  const auto& interactions = detail::list(presentation, "interactions");
  std::string out;
  for (const auto& in : interactions) {
    auto it = doc.find(detail::str(in, "id"));
    if (it == doc.end()) continue;
    std::string text = readable(in, presentation, *it);
    if (interactions.size() > 1) {
      std::string label = detail::str(in, "prompt");
      label = label.substr(0, label.find('\n'));
      // A label, not the whole instruction: up to its example or aside, cut to a readable length.
      for (const char* aside : {", e.g.", " (e.g.", " ("})
        if (auto at = label.find(aside); at != std::string::npos && at > 0) label.resize(at);
      label = cut(label, 48);
      if (label.empty()) label = detail::str(in, "id");
      // A value of several lines starts under its label.
      text = text.find('\n') == std::string::npos ? label + ": " + text : label + ":\n" + indent(text, "  ", "  ");
      if (text.back() == '\n') text.pop_back();
    }
    out += text + "\n";
  }
  return out.empty() ? "(not answered)\n" : out;
}

}  // namespace assay::presentation
