#include "common.hpp"

#include <algorithm>

namespace assay::core_items {

void check_keys(const sdk::Params& p, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, member] : p.members()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) member.fail("unknown key '" + key + "'");
  }
}

std::string required_text(const sdk::Params& p, std::string_view key) {
  auto member = p.at(key);
  auto text = member.str();
  if (text.empty()) member.fail("expected a non-empty string");
  return text;
}

bool optional_flag(const sdk::Params& p, std::string_view key, bool fallback) {
  auto member = p.find(key);
  return member ? member->boolean() : fallback;
}

std::int64_t optional_count(const sdk::Params& p, std::string_view key, std::int64_t lo, std::int64_t hi) {
  auto member = p.find(key);
  if (!member) return 0;
  auto n = member->integer();
  if (n < lo || n > hi) {
    member->fail("expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", found " + std::to_string(n));
  }
  return n;
}

json option_list_schema(std::size_t min_items) {
  return {{"type", "array"},
          {"minItems", min_items},
          {"maxItems", kMaxOptions},
          {"items",
           {{"type", "object"},
            {"properties", {{"id", {{"type", "string"}, {"minLength", 1}}}, {"text", {{"type", "string"}}}}},
            {"required", {"id", "text"}},
            {"additionalProperties", false}}}};
}

std::vector<Option> parse_options(const sdk::Params& p, std::size_t min_count, std::string_view noun) {
  auto entries = p.items();
  std::string plural = std::string(noun) + "s";
  if (entries.size() < min_count) {
    p.fail("expected at least " + std::to_string(min_count) + " " + (min_count == 1 ? std::string(noun) : plural) + ", found " +
           std::to_string(entries.size()));
  }
  if (entries.size() > kMaxOptions) {
    p.fail("expected at most " + std::to_string(kMaxOptions) + " " + plural + ", found " + std::to_string(entries.size()));
  }
  std::vector<Option> out;
  out.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    check_keys(entry, {"id", "text"});
    auto id = entry.at("id");
    Option option{id.str(), entry.at("text").str()};
    if (option.id.empty()) id.fail("expected a non-empty " + std::string(noun) + " id");
    int first = find_option(out, option.id);
    if (first >= 0) {
      id.fail("duplicate " + std::string(noun) + " id '" + option.id + "', already used by " + p.pointer().substr(1) + "[" +
              std::to_string(first) + "]");
    }
    out.push_back(std::move(option));
  }
  return out;
}

int find_option(const std::vector<Option>& options, std::string_view id) {
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (options[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

std::size_t option_index(const sdk::Params& p, const std::vector<Option>& options, std::string_view noun) {
  auto id = p.str();
  int index = find_option(options, id);
  if (index < 0) {
    std::string list;
    for (const auto& o : options) list += (list.empty() ? "'" : ", '") + o.id + "'";
    p.fail("expected one of the " + std::string(noun) + " ids " + list + ", found \"" + id + "\"");
  }
  return static_cast<std::size_t>(index);
}

std::vector<std::size_t> presentation_order(std::size_t n, std::uint64_t seed, bool shuffle) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  if (shuffle) sdk::Rng(seed).shuffle(order);
  return order;
}

json options_json(const std::vector<Option>& options, const std::vector<std::size_t>& order) {
  json out = json::array();
  for (auto i : order) out.push_back({{"id", options[i].id}, {"text", options[i].text}});
  return out;
}

json presentation(const std::string& prompt, json interaction) {
  return {{"presentation", 1},
          {"prompt", prompt},
          {"material", json::array()},
          {"interactions", json::array({std::move(interaction)})}};
}

const json* answer_of(const json& response) {
  auto it = response.find(kAnswer);
  if (it == response.end() || it->is_null()) return nullptr;
  return &*it;
}

std::size_t response_option(const json& value, const std::vector<Option>& options, std::string_view noun) {
  if (!value.is_string())
    throw sdk::ResponseError("expected " + std::string(noun) + " ids as strings, found " + sdk::json_kind(value));
  const auto& id = value.get_ref<const std::string&>();
  int index = find_option(options, id);
  if (index < 0) {
    std::string list;
    for (const auto& o : options) list += (list.empty() ? "" : ", ") + quote(o.id);
    throw sdk::ResponseError("unknown " + std::string(noun) + " id " + quote(id) + ", expected one of " + list);
  }
  return static_cast<std::size_t>(index);
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::int64_t percent_credit(const sdk::Params& p, bool allow_negative) {
  auto d = p.decimal();
  std::string text = d.to_string();  // "-33.33333", "50", "1E+2" never: to_string writes plain digits
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.erase(0, 1);
  auto point = text.find('.');
  std::string whole = text.substr(0, point), fraction = point == std::string::npos ? "" : text.substr(point + 1);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  auto refuse = [&](const std::string& why) {
    p.fail("expected a credit in percent from " + std::string(allow_negative ? "-100" : "0") +
           " to 100 with at most five decimals, found \"" + d.to_string() + "\"" + why);
  };
  if (fraction.size() > 5 || whole.size() > 3 || whole.empty()) refuse("");
  fraction.append(5 - fraction.size(), '0');
  std::int64_t units = std::stoll(whole) * 100'000 + std::stoll(fraction);
  if (units > kFullCredit || (negative && !allow_negative)) refuse("");
  return negative ? -units : units;
}

json percent_schema(const std::string& description) { return {{"type", {"string", "number"}}, {"description", description}}; }

sdk::Credit credit_of_units(std::int64_t units) {
  return sdk::Credit::fraction(static_cast<std::uint64_t>(std::clamp<std::int64_t>(units, 0, kFullCredit)),
                               static_cast<std::uint64_t>(kFullCredit));
}

std::string percent_text(std::int64_t units) {
  std::string out = units < 0 ? "-" : "";
  std::int64_t a = units < 0 ? -units : units;
  out += std::to_string(a / 100'000);
  std::string fraction = std::to_string(a % 100'000);
  fraction.insert(0, 5 - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) out += "." + fraction;
  return out + " %";
}

}  // namespace assay::core_items
