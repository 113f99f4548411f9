#include "hl7_checks.hpp"

#include <algorithm>
#include <cctype>

#include "hl7v2.hpp"
#include "synth.hpp"

namespace assay::ehr::hl7 {

const std::vector<std::string>& defect_kinds() {
  static const std::vector<std::string> v = {"segment-order", "missing-required-field", "bad-datetime", "wrong-separator",
                                             "ack-control-id"};
  return v;
}

std::string defect_text(const std::string& kind) {
  if (kind == "segment-order") return "a segment out of the order its message structure gives";
  if (kind == "missing-required-field") return "a required field is absent or empty";
  if (kind == "bad-datetime")
    return "a date/time that is not YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ] with real calendar values";
  if (kind == "wrong-separator") return "a segment whose fields are not separated by the character MSH-1 declares";
  if (kind == "ack-control-id") return "the acknowledgment's MSA-2 does not echo the message's MSH-10";
  return kind;
}

std::optional<FieldRef> parse_field_ref(std::string_view s) {
  if (s.size() < 5 || s[3] != '-') return std::nullopt;
  FieldRef r;
  for (std::size_t i = 0; i < 3; ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    if (!(std::isupper(u) || std::isdigit(u))) return std::nullopt;
  }
  r.segment = std::string(s.substr(0, 3));
  std::size_t n = 0;
  for (std::size_t i = 4; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i])) || i > 7) return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(s[i] - '0');
  }
  if (n == 0) return std::nullopt;
  r.field = n;
  return r;
}

std::string message_line_id(std::size_t i) { return "m" + std::to_string(i + 1); }
std::string ack_line_id(std::size_t i) { return "k" + std::to_string(i + 1); }

namespace {

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// A segment line cut into its fields, so that field n is `parts[n]` for every segment (MSH
// included: its parts[1] is the separator itself).
struct Cut {
  std::string id;
  std::vector<std::string> parts;
};

Cut cut(const std::string& line, char sep) {
  Cut c;
  c.id = line.substr(0, 3);
  c.parts = split(line, sep);
  if (c.id == "MSH") c.parts.insert(c.parts.begin() + 1, std::string(1, sep));
  return c;
}

std::string join(const Cut& c, char sep) {
  std::string out;
  for (std::size_t i = 0; i < c.parts.size(); ++i) {
    if (c.id == "MSH" && i == 1) continue;  // MSH-1 is the separator between "MSH" and MSH-2
    if (i > 0) out += sep;
    out += c.parts[i];
  }
  return out;
}

std::optional<std::string> field(const Cut& c, std::size_t n) {
  if (n >= c.parts.size()) return std::nullopt;
  return c.parts[n];
}

bool right_separator(const std::string& line, char sep) { return line.size() <= 3 || line[3] == sep; }

const std::map<std::string, int>& message_ranks() {
  static const std::map<std::string, int> m = {{"MSH", 0}, {"EVN", 1}, {"PID", 2}, {"PD1", 3}, {"NK1", 4},
                                               {"PV1", 5}, {"PV2", 6}, {"ORC", 7}, {"OBR", 7}, {"OBX", 7}};
  return m;
}

const std::map<std::string, int>& ack_ranks() {
  static const std::map<std::string, int> m = {{"MSH", 0}, {"MSA", 1}, {"ERR", 2}};
  return m;
}

// The lines of one message, each cut with the message's separator (nullopt: wrong separator).
struct Read {
  Encoding enc;
  std::vector<std::optional<Cut>> lines;
};

Read read(const std::vector<std::string>& lines) {
  Read r;
  r.enc = parse(lines.at(0)).encoding;
  for (auto& l : lines) {
    if (right_separator(l, r.enc.field))
      r.lines.emplace_back(cut(l, r.enc.field));
    else
      r.lines.emplace_back(std::nullopt);
  }
  return r;
}

void check(const Read& r, const std::map<std::string, int>& ranks, const DefectRules& rules, std::string (*id_of)(std::size_t),
           std::map<std::string, std::set<std::string>>& out) {
  const std::size_t n = r.lines.size();
  std::vector<int> rank(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    if (!r.lines[i]) {
      out[id_of(i)].insert("wrong-separator");
      continue;
    }
    auto it = ranks.find(r.lines[i]->id);
    if (it != ranks.end()) rank[i] = it->second;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (rank[i] < 0) continue;
    bool wrong = false;
    for (std::size_t j = 0; j < n && !wrong; ++j) {
      if (rank[j] < 0 || j == i) continue;
      wrong = (j < i && rank[j] > rank[i]) || (j > i && rank[j] < rank[i]);
    }
    if (wrong) out[id_of(i)].insert("segment-order");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!r.lines[i]) continue;
    const Cut& c = *r.lines[i];
    for (auto& f : rules.required) {
      if (f.segment != c.id) continue;
      auto v = field(c, f.field);
      if (!v || v->empty()) out[id_of(i)].insert("missing-required-field");
    }
    for (auto& f : rules.datetimes) {
      if (f.segment != c.id) continue;
      auto v = field(c, f.field);
      if (!v || v->empty()) continue;
      // TS: the DTM is component 1 (a second component, the degree of precision, is kept
      // only for backward compatibility); repetitions are not used in these fields.
      auto comp = split(*v, r.enc.component).front();
      if (!comp.empty() && !valid_dtm(comp)) out[id_of(i)].insert("bad-datetime");
    }
  }
}

}  // namespace

bool valid_dtm(std::string_view v) {
  std::size_t tz = v.find_first_of("+-");
  std::string_view main = v.substr(0, tz);
  if (tz != std::string_view::npos) {
    auto zone = v.substr(tz + 1);
    if (zone.size() != 4 || !digits(zone) || num(zone.substr(0, 2)) > 23 || num(zone.substr(2, 2)) > 59) return false;
  }
  std::string_view frac;
  if (auto dot = main.find('.'); dot != std::string_view::npos) {
    frac = main.substr(dot + 1);
    main = main.substr(0, dot);
    if (main.size() != 14 || frac.empty() || frac.size() > 4 || !digits(frac)) return false;
  }
  auto n = main.size();
  if (!digits(main) || (n != 4 && n != 6 && n != 8 && n != 10 && n != 12 && n != 14)) return false;
  int year = num(main.substr(0, 4));
  if (n >= 6) {
    int month = num(main.substr(4, 2));
    if (month < 1 || month > 12) return false;
    if (n >= 8) {
      int day = num(main.substr(6, 2));
      if (day < 1 || day > synth::days_in_month(year, month)) return false;
    }
  }
  if (n >= 10 && num(main.substr(8, 2)) > 23) return false;
  if (n >= 12 && num(main.substr(10, 2)) > 59) return false;
  if (n >= 14 && num(main.substr(12, 2)) > 59) return false;
  return true;
}

std::optional<std::string> unreadable(const std::vector<std::string>& lines, const char* what) {
  if (lines.empty()) return std::string("the ") + what + " is empty";
  try {
    (void)parse(lines[0]);
  } catch (const ParseError& e) {
    return std::string(what) + ": " + e.what();
  }
  int pids = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    std::string where = std::string(what) + ": segment " + std::to_string(i + 1) + ": ";
    bool ok = l.size() >= 3;
    for (std::size_t k = 0; k < 3 && ok; ++k) {
      auto u = static_cast<unsigned char>(l[k]);
      ok = std::isupper(u) || std::isdigit(u);
    }
    if (!ok) return where + "expected a segment id of 3 capitals or digits, found '" + l.substr(0, 3) + "'";
    if (i > 0 && l.compare(0, 3, "MSH") == 0) return where + "a second MSH: one message per exchange";
    if (l.compare(0, 3, "PID") == 0 && ++pids > 1) return where + "a second PID: the checks read one patient per message";
  }
  return std::nullopt;
}

std::map<std::string, std::set<std::string>> find_defects(const Exchange& ex, const DefectRules& rules) {
  std::map<std::string, std::set<std::string>> out;
  Read msg = read(ex.message);
  check(msg, message_ranks(), rules, &message_line_id, out);
  if (ex.ack.empty()) return out;
  Read ack = read(ex.ack);
  check(ack, ack_ranks(), rules, &ack_line_id, out);
  std::optional<std::string> control;
  if (msg.lines[0]) control = field(*msg.lines[0], 10);
  if (!control || control->empty()) return out;
  for (std::size_t i = 0; i < ack.lines.size(); ++i) {
    if (!ack.lines[i] || ack.lines[i]->id != "MSA") continue;
    auto v = field(*ack.lines[i], 2);
    if (v && !v->empty() && *v != *control) out[ack_line_id(i)].insert("ack-control-id");
  }
  return out;
}

namespace {

std::string bad_datetime(const std::string& v, sdk::Rng& rng) {
  // v is a valid DTM of at least 8 digits.
  std::string out = v;
  switch (rng.below(7)) {
    case 0:
      return out.replace(4, 2, "13");
    case 1:
      return out.replace(6, 2, "32");
    case 2:
      return out.size() >= 10 ? out.replace(8, 2, "25") : out.replace(4, 2, "00");
    case 3:
      return out.size() >= 12 ? out.replace(10, 2, "61") : out.replace(6, 2, "00");
    case 4: {
      std::string iso = v.substr(0, 4) + "-" + v.substr(4, 2) + "-" + v.substr(6, 2);
      if (v.size() >= 12) iso += "T" + v.substr(8, 2) + ":" + v.substr(10, 2);
      return iso;
    }
    case 5:
      return out.erase(out.size() - 1);
    default:
      return v.substr(4, 2) + "/" + v.substr(6, 2) + "/" + v.substr(0, 4);
  }
}

}  // namespace

Injected inject(const std::string& message, const InjectOptions& opt, const DefectRules& rules, sdk::Rng& rng) {
  Injected out;
  auto& lines = out.exchange.message;
  lines = segment_lines(message);
  Encoding enc = parse(lines.at(0)).encoding;
  const char F = enc.field;
  Cut msh = cut(lines[0], F);
  if (opt.ack) {
    std::string trigger = split(field(msh, 9).value_or(""), enc.component).size() > 1 ? split(*field(msh, 9), enc.component)[1]
                                                                                      : std::string("A01");
    Cut a;
    a.id = "MSH";
    a.parts = {"MSH",
               std::string(1, F),
               enc.msh2(),
               field(msh, 5).value_or(""),
               field(msh, 6).value_or(""),
               field(msh, 3).value_or(""),
               field(msh, 4).value_or(""),
               field(msh, 7).value_or(""),
               "",
               std::string("ACK") + enc.component + trigger + enc.component + "ACK",
               "ACK" + synth::digits(rng, 8),
               field(msh, 11).value_or("P"),
               field(msh, 12).value_or("2.5.1")};
    out.exchange.ack = {join(a, F), std::string("MSA") + F + "AA" + F + field(msh, 10).value_or("")};
  }

  std::set<std::size_t> used;  // message line indices already carrying a defect
  bool ack_used = false;
  auto ranks = message_ranks();
  auto try_kind = [&](const std::string& kind) -> bool {
    std::vector<std::size_t> candidates;
    if (kind == "ack-control-id") {
      if (!opt.ack || ack_used) return false;
      Cut m = cut(out.exchange.ack[1], F);
      std::string other;
      do other = "MSG" + synth::digits(rng, 8);
      while (other == m.parts[2]);
      m.parts[2] = other;
      out.exchange.ack[1] = join(m, F);
      ack_used = true;
      out.planted.emplace_back(ack_line_id(1), kind);
      return true;
    }
    if (kind == "segment-order") {
      for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
        if (used.count(i) || used.count(i + 1)) continue;
        auto a = ranks.find(lines[i].substr(0, 3)), b = ranks.find(lines[i + 1].substr(0, 3));
        if (a != ranks.end() && b != ranks.end() && a->second != b->second) candidates.push_back(i);
      }
      if (candidates.empty()) return false;
      auto i = rng.pick(candidates);
      std::swap(lines[i], lines[i + 1]);
      used.insert({i, i + 1});
      out.planted.emplace_back(message_line_id(i), kind);
      out.planted.emplace_back(message_line_id(i + 1), kind);
      return true;
    }
    if (kind == "wrong-separator") {
      for (std::size_t i = 1; i < lines.size(); ++i)
        if (!used.count(i) && lines[i].size() > 3) candidates.push_back(i);
      if (candidates.empty()) return false;
      auto i = rng.pick(candidates);
      std::string delimiters = std::string(1, F) + enc.msh2();
      std::vector<char> wrong;
      for (char c : std::string("!#;:/"))
        if (delimiters.find(c) == std::string::npos && lines[i].find(c) == std::string::npos) wrong.push_back(c);
      if (wrong.empty()) return false;
      char w = rng.pick(wrong);
      std::replace(lines[i].begin(), lines[i].end(), F, w);
      used.insert(i);
      out.planted.emplace_back(message_line_id(i), kind);
      return true;
    }
    const auto& refs = kind == "bad-datetime" ? rules.datetimes : rules.required;
    std::vector<std::pair<std::size_t, std::size_t>> spots;  // line, field
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (used.count(i)) continue;
      Cut c = cut(lines[i], F);
      for (auto& f : refs) {
        if (f.segment != c.id) continue;
        // MSH-10 stays: the acknowledgment is read against it. MSH-1 and MSH-2 cannot be emptied.
        if (c.id == "MSH" && (f.field <= 2 || (f.field == 10 && opt.ack))) continue;
        auto v = field(c, f.field);
        if (!v || v->empty()) continue;
        if (kind == "bad-datetime") {
          auto comp = split(*v, enc.component).front();
          if (comp.size() < 8 || !valid_dtm(comp)) continue;
        }
        spots.emplace_back(i, f.field);
      }
    }
    if (spots.empty()) return false;
    auto [i, n] = rng.pick(spots);
    Cut c = cut(lines[i], F);
    if (kind == "bad-datetime") {
      auto comps = split(c.parts[n], enc.component);
      comps[0] = bad_datetime(comps[0], rng);
      std::string v;
      for (std::size_t k = 0; k < comps.size(); ++k) v += (k ? std::string(1, enc.component) : "") + comps[k];
      c.parts[n] = v;
    } else {
      c.parts[n].clear();
    }
    lines[i] = join(c, F);
    used.insert(i);
    out.planted.emplace_back(message_line_id(i), kind);
    return true;
  };

  auto count = rng.between(opt.min_defects, opt.max_defects);
  for (std::int64_t k = 0; k < count; ++k) {
    std::vector<std::string> order = opt.kinds;
    rng.shuffle(order);
    for (auto& kind : order)
      if (try_kind(kind)) break;
  }
  return out;
}

}  // namespace assay::ehr::hl7
