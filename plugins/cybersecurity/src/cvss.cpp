#include "cvss.hpp"

#include <algorithm>
#include <cmath>

namespace assay::cyber::cvss {

namespace {

constexpr std::string_view kPrefix = "CVSS:3.1/";

std::size_t index_of(std::string_view abbr) {
  const auto& all = metrics();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].abbr == abbr) return i;
  }
  throw std::logic_error("cvss: unknown metric '" + std::string(abbr) + "'");
}

std::string list_values(const MetricDef& m) {
  std::string out;
  for (auto v : m.values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

// Table 16 (base) and Table 17 (temporal) of the specification.
double weight_av(std::string_view v) { return v == "N" ? 0.85 : v == "A" ? 0.62 : v == "L" ? 0.55 : 0.2; }
double weight_ac(std::string_view v) { return v == "L" ? 0.77 : 0.44; }
double weight_pr(std::string_view v, bool changed) {
  if (v == "N") return 0.85;
  if (v == "L") return changed ? 0.68 : 0.62;
  return changed ? 0.5 : 0.27;
}
double weight_ui(std::string_view v) { return v == "N" ? 0.85 : 0.62; }
double weight_cia(std::string_view v) { return v == "H" ? 0.56 : v == "L" ? 0.22 : 0.0; }
double weight_e(std::string_view v) { return v == "F" ? 0.97 : v == "P" ? 0.94 : v == "U" ? 0.91 : 1.0; }
double weight_rl(std::string_view v) { return v == "W" ? 0.97 : v == "T" ? 0.96 : v == "O" ? 0.95 : 1.0; }
double weight_rc(std::string_view v) { return v == "R" ? 0.96 : v == "U" ? 0.92 : 1.0; }

}  // namespace

const std::vector<MetricDef>& metrics() {
  static const std::vector<MetricDef> all = {
      {"AV", "Attack Vector", Group::kBase, {"N", "A", "L", "P"}},
      {"AC", "Attack Complexity", Group::kBase, {"L", "H"}},
      {"PR", "Privileges Required", Group::kBase, {"N", "L", "H"}},
      {"UI", "User Interaction", Group::kBase, {"N", "R"}},
      {"S", "Scope", Group::kBase, {"U", "C"}},
      {"C", "Confidentiality", Group::kBase, {"H", "L", "N"}},
      {"I", "Integrity", Group::kBase, {"H", "L", "N"}},
      {"A", "Availability", Group::kBase, {"H", "L", "N"}},
      {"E", "Exploit Code Maturity", Group::kTemporal, {"X", "H", "F", "P", "U"}},
      {"RL", "Remediation Level", Group::kTemporal, {"X", "U", "W", "T", "O"}},
      {"RC", "Report Confidence", Group::kTemporal, {"X", "C", "R", "U"}},
      {"CR", "Confidentiality Requirement", Group::kEnvironmental, {"X", "H", "M", "L"}},
      {"IR", "Integrity Requirement", Group::kEnvironmental, {"X", "H", "M", "L"}},
      {"AR", "Availability Requirement", Group::kEnvironmental, {"X", "H", "M", "L"}},
      {"MAV", "Modified Attack Vector", Group::kEnvironmental, {"X", "N", "A", "L", "P"}},
      {"MAC", "Modified Attack Complexity", Group::kEnvironmental, {"X", "L", "H"}},
      {"MPR", "Modified Privileges Required", Group::kEnvironmental, {"X", "N", "L", "H"}},
      {"MUI", "Modified User Interaction", Group::kEnvironmental, {"X", "N", "R"}},
      {"MS", "Modified Scope", Group::kEnvironmental, {"X", "U", "C"}},
      {"MC", "Modified Confidentiality", Group::kEnvironmental, {"X", "N", "L", "H"}},
      {"MI", "Modified Integrity", Group::kEnvironmental, {"X", "N", "L", "H"}},
      {"MA", "Modified Availability", Group::kEnvironmental, {"X", "N", "L", "H"}},
  };
  return all;
}

const MetricDef* find_metric(std::string_view abbr) {
  for (const auto& m : metrics()) {
    if (m.abbr == abbr) return &m;
  }
  return nullptr;
}

const std::vector<std::string_view>& base_metrics() {
  static const std::vector<std::string_view> base = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
  return base;
}

std::string_view Vector::get(std::string_view abbr) const { return values_[index_of(abbr)]; }

void Vector::set(std::string_view abbr, std::string_view value) { values_[index_of(abbr)] = std::string(value); }

std::string Vector::to_string() const {
  std::string out(kPrefix);
  const auto& all = metrics();
  bool first = true;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].group != Group::kBase && values_[i] == "X") continue;
    out += (first ? "" : "/") + std::string(all[i].abbr) + ":" + values_[i];
    first = false;
  }
  return out;
}

bool Vector::has_temporal() const { return get("E") != "X" || get("RL") != "X" || get("RC") != "X"; }

Parsed try_parse(std::string_view input, bool forgiving) {
  std::string typed;
  if (forgiving) {
    for (char c : input) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
      typed += c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    }
    if (!typed.empty() && typed.back() == '/') typed.pop_back();
    // "AV:N/..." without the prefix: the item asks for a v3.1 vector, so read it as one.
    if (typed.substr(0, 5) != "CVSS:") typed = std::string(kPrefix) + typed;
    input = typed;
  }
  std::string_view text = input;
  Parsed out;
  auto refuse = [&](std::string message, std::string metric = {}) {
    out.error = {"invalid vector: " + std::move(message), std::move(metric)};
    return out;
  };
  if (text.substr(0, kPrefix.size()) != kPrefix) {
    auto colon = text.find('/');
    return refuse("expected the prefix 'CVSS:3.1/', found '" + std::string(text.substr(0, colon)) + "'");
  }
  Vector v;
  std::vector<bool> seen(metrics().size(), false);
  std::string_view rest = text.substr(kPrefix.size());
  while (true) {
    auto slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    auto colon = part.find(':');
    if (part.empty()) return refuse("empty metric between '/' separators");
    if (colon == std::string_view::npos) return refuse("expected Metric:Value, found '" + std::string(part) + "'");
    auto name = part.substr(0, colon);
    auto value = part.substr(colon + 1);
    const MetricDef* def = find_metric(name);
    if (def == nullptr) return refuse("unknown metric '" + std::string(name) + "'", std::string(name));
    auto idx = index_of(name);
    if (seen[idx]) return refuse("metric '" + std::string(name) + "' appears twice", std::string(name));
    seen[idx] = true;
    if (std::find(def->values.begin(), def->values.end(), value) == def->values.end()) {
      return refuse("metric '" + std::string(name) + "' has no value '" + std::string(value) + "' (expected one of " +
                        list_values(*def) + ")",
                    std::string(name));
    }
    v.set(name, value);
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  for (auto name : base_metrics()) {
    if (!seen[index_of(name)]) return refuse("missing base metric '" + std::string(name) + "'", std::string(name));
  }
  out.vector = std::move(v);
  return out;
}

Decimal roundup(double x) {
  auto i = static_cast<std::int64_t>(std::llround(x * 100000.0));
  std::int64_t tenths = i % 10000 == 0 ? i / 10000 : i / 10000 + 1;
  return Decimal(tenths).scaled(-1);
}

Decimal base_score(const Vector& v) {
  bool changed = v.get("S") == "C";
  double iss = 1.0 - (1.0 - weight_cia(v.get("C"))) * (1.0 - weight_cia(v.get("I"))) * (1.0 - weight_cia(v.get("A")));
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability =
      8.22 * weight_av(v.get("AV")) * weight_ac(v.get("AC")) * weight_pr(v.get("PR"), changed) * weight_ui(v.get("UI"));
  if (impact <= 0) return Decimal(0);
  if (changed) return roundup(std::min(1.08 * (impact + exploitability), 10.0));
  return roundup(std::min(impact + exploitability, 10.0));
}

Decimal temporal_score(const Vector& v) {
  double base = base_score(v).to_double();
  return roundup(base * weight_e(v.get("E")) * weight_rl(v.get("RL")) * weight_rc(v.get("RC")));
}

std::string severity(Decimal score) {
  if (score == Decimal(0)) return "none";
  if (score < Decimal(4)) return "low";
  if (score < Decimal(7)) return "medium";
  if (score < Decimal(9)) return "high";
  return "critical";
}

}  // namespace assay::cyber::cvss
