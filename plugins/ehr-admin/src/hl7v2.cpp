#include "hl7v2.hpp"

#include <cctype>

namespace assay::ehr::hl7 {

namespace {

bool is_header(std::string_view id) { return id == "MSH" || id == "BHS" || id == "FHS"; }

bool valid_delimiter(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f && !std::isalnum(u);
}

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto pos = text.find(sep, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(text.substr(start));
      return out;
    }
    out.emplace_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

std::vector<std::string> segment_lines(std::string_view text) {
  // Drop MLLP framing, then cut segments at CR, LF or CR LF.
  std::string clean;
  clean.reserve(text.size());
  for (char c : text)
    if (c != '\x0b' && c != '\x1c') clean += c;
  std::vector<std::string> lines;
  std::string cur;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    char c = clean[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < clean.size() && clean[i + 1] == '\n') ++i;
      lines.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  lines.push_back(std::move(cur));
  std::vector<std::string> segs;
  for (auto& l : lines) {
    if (l.find_first_not_of(" \t") == std::string::npos) continue;
    segs.push_back(std::move(l));
  }
  return segs;
}

Message parse(std::string_view text) {
  std::vector<std::string> segs = segment_lines(text);
  if (segs.empty()) throw ParseError(0, "the message is empty");

  Message msg;
  const std::string& first = segs[0];
  if (first.compare(0, 3, "MSH") != 0) {
    throw ParseError(1, "segment 1: expected 'MSH' to start the message, found " + in_quotes(first.substr(0, 3)));
  }
  if (first.size() < 8) throw ParseError(1, "segment 1: MSH is too short to hold MSH-1 and MSH-2");
  Encoding enc;
  enc.field = first[3];
  auto end2 = first.find(enc.field, 4);
  std::string msh2 = first.substr(4, end2 == std::string::npos ? std::string::npos : end2 - 4);
  if (!valid_delimiter(enc.field))
    throw ParseError(1, "segment 1: MSH-1 " + in_quotes(std::string(1, enc.field)) + " cannot be a field separator");
  if (msh2.size() < 4 || msh2.size() > 5) {
    throw ParseError(1, "segment 1: MSH-2 must hold 4 encoding characters (component, repetition, escape, subcomponent), found " +
                            in_quotes(msh2));
  }
  enc.component = msh2[0];
  enc.repetition = msh2[1];
  enc.escape = msh2[2];
  enc.subcomponent = msh2[3];
  std::string all{enc.field, enc.component, enc.repetition, enc.escape, enc.subcomponent};
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!valid_delimiter(all[i])) throw ParseError(1, "segment 1: MSH-2 " + in_quotes(msh2) + " holds a letter, digit or space");
    for (std::size_t j = i + 1; j < all.size(); ++j)
      if (all[i] == all[j])
        throw ParseError(1, "segment 1: MSH-1 and MSH-2 repeat the delimiter " + in_quotes(std::string(1, all[i])));
  }
  msg.encoding = enc;

  for (std::size_t n = 0; n < segs.size(); ++n) {
    const std::string& s = segs[n];
    std::string where = "segment " + std::to_string(n + 1) + ": ";
    if (s.size() < 3) throw ParseError(n + 1, where + "expected a 3-character segment id, found " + in_quotes(s));
    std::string id = s.substr(0, 3);
    for (char c : id) {
      auto u = static_cast<unsigned char>(c);
      if (!(std::isupper(u) || std::isdigit(u)))
        throw ParseError(n + 1, where + "expected a segment id of capitals and digits, found " + in_quotes(id));
    }
    if (s.size() > 3 && s[3] != enc.field) {
      throw ParseError(n + 1, where + "expected the field separator " + in_quotes(std::string(1, enc.field)) + " after " +
                                  in_quotes(id) + ", found " + in_quotes(std::string(1, s[3])));
    }
    Segment seg;
    seg.id = id;
    seg.text = s;
    seg.fields.push_back(id);
    if (is_header(id) && n > 0 && id == "MSH") throw ParseError(n + 1, where + "a second MSH: one message per item");
    if (is_header(id) && s.size() > 3) {
      seg.fields.push_back(std::string(1, enc.field));
      auto e = s.find(enc.field, 4);
      seg.fields.push_back(s.substr(4, e == std::string::npos ? std::string::npos : e - 4));
      if (e != std::string::npos) {
        for (auto& f : split(std::string_view(s).substr(e + 1), enc.field)) seg.fields.push_back(std::move(f));
      }
    } else if (s.size() > 3) {
      for (auto& f : split(std::string_view(s).substr(4), enc.field)) seg.fields.push_back(std::move(f));
    }
    msg.segments.push_back(std::move(seg));
  }
  return msg;
}

std::string unescape(std::string_view v, const Encoding& enc) {
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != enc.escape) {
      out += v[i];
      continue;
    }
    auto close = v.find(enc.escape, i + 1);
    if (close == std::string_view::npos) {  // a lone escape character: keep it
      out += v[i];
      continue;
    }
    std::string_view body = v.substr(i + 1, close - i - 1);
    bool handled = true;
    if (body == "F")
      out += enc.field;
    else if (body == "S")
      out += enc.component;
    else if (body == "T")
      out += enc.subcomponent;
    else if (body == "R")
      out += enc.repetition;
    else if (body == "E")
      out += enc.escape;
    else if (body.size() >= 3 && body[0] == 'X' && (body.size() - 1) % 2 == 0) {
      std::string bytes;
      for (std::size_t k = 1; k < body.size() && handled; k += 2) {
        int hi = hex_digit(body[k]), lo = hex_digit(body[k + 1]);
        if (hi < 0 || lo < 0)
          handled = false;
        else
          bytes += static_cast<char>(hi * 16 + lo);
      }
      if (handled) out += bytes;
    } else {
      handled = false;
    }
    if (handled) {
      i = close;
    } else {
      out.append(v.substr(i, close - i + 1));
      i = close;
    }
  }
  return out;
}

std::string escape(std::string_view v, const Encoding& enc) {
  std::string out;
  for (char c : v) {
    char code = 0;
    if (c == enc.escape)
      code = 'E';
    else if (c == enc.field)
      code = 'F';
    else if (c == enc.component)
      code = 'S';
    else if (c == enc.subcomponent)
      code = 'T';
    else if (c == enc.repetition)
      code = 'R';
    if (code != 0) {
      out += enc.escape;
      out += code;
      out += enc.escape;
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

bool parse_number(std::string_view s, std::size_t& i, std::size_t& out) {
  std::size_t start = i;
  out = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && i - start < 6)
    out = out * 10 + static_cast<std::size_t>(s[i++] - '0');
  return i > start && out > 0;
}

// "(2)" or "(5=MR)" or "(3.1=2823-3)"; `depth` is how many numbers the `where` path may hold.
bool parse_selector(std::string_view s, std::size_t& i, std::size_t depth, Selector& sel, std::string& error) {
  ++i;  // '('
  auto close = s.find(')', i);
  if (close == std::string_view::npos) {
    error = "unclosed '('";
    return false;
  }
  std::string_view body = s.substr(i, close - i);
  auto eq = body.find('=');
  if (eq == std::string_view::npos) {
    std::size_t k = 0;
    if (!parse_number(body, k, sel.index) || k != body.size()) {
      error = "expected a position from 1 or 'n=value' in parentheses, found '(" + std::string(body) + ")'";
      return false;
    }
  } else {
    std::string_view lhs = body.substr(0, eq);
    std::size_t k = 0;
    for (;;) {
      std::size_t n = 0;
      if (!parse_number(lhs, k, n)) {
        error = "expected numbers from 1 before '=' in '(" + std::string(body) + ")'";
        return false;
      }
      sel.where.push_back(n);
      if (k == lhs.size()) break;
      if (lhs[k] != '.' || sel.where.size() == depth) {
        error =
            "expected at most " + std::to_string(depth) + " dot-separated numbers before '=' in '(" + std::string(body) + ")'";
        return false;
      }
      ++k;
    }
    sel.equals = std::string(body.substr(eq + 1));
  }
  i = close + 1;
  return true;
}

struct Level {
  std::string text;
  bool leaf;
};

// The value of component `c` / subcomponent `sc` (0 = whole) within one repetition.
std::optional<std::string> within_repetition(const std::string& rep, std::size_t c, std::size_t sc, const Encoding& enc) {
  if (c == 0) {
    if (rep.find(enc.component) != std::string::npos || rep.find(enc.subcomponent) != std::string::npos) return rep;
    return unescape(rep, enc);
  }
  auto comps = split(rep, enc.component);
  if (c > comps.size()) return std::nullopt;
  const std::string& comp = comps[c - 1];
  if (sc == 0) {
    if (comp.find(enc.subcomponent) != std::string::npos) return comp;
    return unescape(comp, enc);
  }
  auto subs = split(comp, enc.subcomponent);
  if (sc > subs.size()) return std::nullopt;
  return unescape(subs[sc - 1], enc);
}

std::optional<std::string> in_field(const Segment& seg, std::size_t field, const Selector& rep_sel, std::size_t c, std::size_t sc,
                                    const Encoding& enc) {
  if (field >= seg.fields.size()) return std::nullopt;
  const std::string& raw = seg.fields[field];
  if (is_header(seg.id) && field <= 2) {
    if (c != 0 || rep_sel.index != 1 || !rep_sel.where.empty()) return std::nullopt;
    return raw;
  }
  auto reps = split(raw, enc.repetition);
  const std::string* rep = nullptr;
  if (rep_sel.where.empty()) {
    if (rep_sel.index > reps.size()) return std::nullopt;
    rep = &reps[rep_sel.index - 1];
  } else {
    for (auto& r : reps) {
      auto v = within_repetition(r, rep_sel.where[0], rep_sel.where.size() > 1 ? rep_sel.where[1] : 0, enc);
      if (v && *v == rep_sel.equals) {
        rep = &r;
        break;
      }
    }
    if (rep == nullptr) return std::nullopt;
  }
  return within_repetition(*rep, c, sc, enc);
}

}  // namespace

std::optional<Path> parse_path(std::string_view s, std::string* error) {
  std::string err;
  auto fail = [&](const std::string& m) -> std::optional<Path> {
    if (error != nullptr) *error = m;
    return std::nullopt;
  };
  Path p;
  p.text = std::string(s);
  if (s.size() < 5) return fail("expected a path such as 'PID-5.1', found '" + std::string(s) + "'");
  for (std::size_t k = 0; k < 3; ++k) {
    auto u = static_cast<unsigned char>(s[k]);
    if (!(std::isupper(u) || std::isdigit(u)))
      return fail("expected a 3-character segment id in capitals, found '" + std::string(s.substr(0, 3)) + "'");
  }
  p.segment = std::string(s.substr(0, 3));
  std::size_t i = 3;
  if (i < s.size() && s[i] == '(' && !parse_selector(s, i, 3, p.segment_sel, err)) return fail(err);
  if (i >= s.size() || s[i] != '-')
    return fail("expected '-' and a field number after '" + p.segment + "' in '" + std::string(s) + "'");
  ++i;
  if (!parse_number(s, i, p.field)) return fail("expected a field number from 1 in '" + std::string(s) + "'");
  if (i < s.size() && s[i] == '(' && !parse_selector(s, i, 2, p.repetition_sel, err)) return fail(err);
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!parse_number(s, i, p.component)) return fail("expected a component number from 1 in '" + std::string(s) + "'");
    if (i < s.size() && s[i] == '.') {
      ++i;
      if (!parse_number(s, i, p.subcomponent)) return fail("expected a subcomponent number from 1 in '" + std::string(s) + "'");
    }
  }
  if (i != s.size()) return fail("unexpected '" + std::string(s.substr(i)) + "' at the end of '" + std::string(s) + "'");
  return p;
}

std::optional<std::string> value(const Message& msg, const Path& path) {
  const Segment* seg = nullptr;
  std::size_t seen = 0;
  for (auto& s : msg.segments) {
    if (s.id != path.segment) continue;
    if (path.segment_sel.where.empty()) {
      if (++seen == path.segment_sel.index) {
        seg = &s;
        break;
      }
    } else {
      auto& w = path.segment_sel.where;
      auto v = in_field(s, w[0], Selector{}, w.size() > 1 ? w[1] : 0, w.size() > 2 ? w[2] : 0, msg.encoding);
      if (v && *v == path.segment_sel.equals) {
        seg = &s;
        break;
      }
    }
  }
  if (seg == nullptr) return std::nullopt;
  return in_field(*seg, path.field, path.repetition_sel, path.component, path.subcomponent, msg.encoding);
}

std::string display(const Message& msg) {
  std::string out;
  for (auto& s : msg.segments) {
    if (!out.empty()) out += '\n';
    out += s.text;
  }
  return out;
}

}  // namespace assay::ehr::hl7
