#include "firewall.hpp"

#include <sstream>

namespace assay::cyber::firewall {

bool Cidr::contains(std::uint32_t ip) const {
  if (prefix == 0) return true;
  std::uint32_t mask = prefix == 32 ? 0xFFFFFFFFu : ~((std::uint32_t{1} << (32 - prefix)) - 1);
  return (ip & mask) == address;
}

std::string Cidr::to_string() const { return ip_to_string(address) + "/" + std::to_string(prefix); }

std::string ip_to_string(std::uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." + std::to_string((ip >> 8) & 255) + "." +
         std::to_string(ip & 255);
}

namespace {

std::optional<std::uint32_t> parse_ip(std::string_view text, std::string* why) {
  std::uint32_t ip = 0;
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    std::uint32_t octet = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 4)
      octet = octet * 10 + static_cast<std::uint32_t>(text[i++] - '0');
    if (i == start || (i < text.size() && text[i] >= '0' && text[i] <= '9')) {
      if (why) *why = "expected four numbers separated by dots";
      return std::nullopt;
    }
    if (octet > 255) {
      if (why) *why = "octet " + std::to_string(octet) + " is out of 0-255";
      return std::nullopt;
    }
    ip = ip << 8 | octet;
    ++parts;
    if (i == text.size()) break;
    if (text[i] != '.' || parts == 4) {
      if (why) *why = "expected four numbers separated by dots";
      return std::nullopt;
    }
    ++i;
  }
  if (parts != 4) {
    if (why) *why = "expected four numbers separated by dots";
    return std::nullopt;
  }
  return ip;
}

}  // namespace

std::string lower(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::optional<std::uint32_t> try_parse_ip(std::string_view text) { return parse_ip(text, nullptr); }

std::optional<Cidr> try_parse_cidr(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<Cidr> {
    if (error) *error = "invalid CIDR '" + std::string(text) + "': " + why;
    return std::nullopt;
  };
  auto slash = text.find('/');
  std::string why;
  auto ip = parse_ip(text.substr(0, slash), &why);
  if (!ip) return fail(why);
  int prefix = 32;
  if (slash != std::string_view::npos) {
    auto p = text.substr(slash + 1);
    if (p.empty() || p.size() > 2 || p.find_first_not_of("0123456789") != std::string_view::npos)
      return fail("expected a prefix length 0-32");
    prefix = std::stoi(std::string(p));
    if (prefix > 32) return fail("prefix length " + std::to_string(prefix) + " is out of 0-32");
  }
  Cidr c{*ip, prefix};
  std::uint32_t mask = prefix == 0 ? 0 : prefix == 32 ? 0xFFFFFFFFu : ~((std::uint32_t{1} << (32 - prefix)) - 1);
  if ((*ip & mask) != *ip) return fail("host bits are set (the network is " + Cidr{*ip & mask, prefix}.to_string() + ")");
  return c;
}

std::string_view to_string(Proto p) { return p == Proto::kTcp ? "tcp" : p == Proto::kUdp ? "udp" : "any"; }

std::string Flow::describe() const {
  return std::string(to_string(proto)) + " " + ip_to_string(from) + " -> " + ip_to_string(to) + " port " + std::to_string(port);
}

std::optional<std::vector<Rule>> try_parse_rules(std::string_view text, const std::map<std::string, Cidr>& networks,
                                                 std::string* error) {
  std::vector<Rule> rules;
  std::size_t line_no = 0;
  std::string message;
  auto fail = [&](const std::string& why) -> std::optional<std::vector<Rule>> {
    if (error) *error = "line " + std::to_string(line_no) + ": " + why;
    return std::nullopt;
  };
  std::istringstream in{std::string(text)};
  std::string raw;
  while (std::getline(in, raw)) {
    ++line_no;
    auto hash = raw.find('#');
    std::string line = raw.substr(0, hash);
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string s; words >> s;) w.push_back(s);
    if (w.empty()) continue;
    // Keywords are read in any case ("Allow TCP from ... to ... Port 104"); network names below.
    for (std::size_t k : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{4}, std::size_t{6}}) {
      if (k < w.size()) w[k] = lower(w[k]);
    }
    Rule r;
    auto end = line.find_last_not_of(" \t\r");
    auto begin = line.find_first_not_of(" \t");
    r.text = line.substr(begin, end - begin + 1);
    if (w[0] != "allow" && w[0] != "deny") return fail("expected 'allow' or 'deny', found '" + w[0] + "'");
    r.allow = w[0] == "allow";
    if (w.size() < 2) return fail("expected a protocol (tcp, udp, any) after '" + w[0] + "'");
    if (w[1] == "tcp") {
      r.proto = Proto::kTcp;
    } else if (w[1] == "udp") {
      r.proto = Proto::kUdp;
    } else if (w[1] == "any") {
      r.proto = Proto::kAny;
    } else {
      return fail("expected a protocol (tcp, udp, any), found '" + w[1] + "'");
    }
    auto address = [&](std::size_t at, const char* keyword, Cidr& out) -> bool {
      if (w.size() <= at || w[at] != keyword) {
        message = std::string("expected '") + keyword + "'" + (w.size() > at ? ", found '" + w[at] + "'" : " and an address");
        return false;
      }
      if (w.size() <= at + 1) {
        message = std::string("expected an address after '") + keyword + "'";
        return false;
      }
      const auto& a = w[at + 1];
      if (lower(a) == "any") {
        out = Cidr{0, 0};
        return true;
      }
      if (auto it = networks.find(a); it != networks.end()) {
        out = it->second;
        return true;
      }
      for (const auto& [name, cidr] : networks) {  // "PACS" for "pacs": names are read in any case
        if (lower(name) == lower(a)) {
          out = cidr;
          return true;
        }
      }
      if (a.find_first_not_of("0123456789./") != std::string::npos) {
        message = "unknown network '" + a + "'";
        return false;
      }
      auto c = try_parse_cidr(a, &message);
      if (!c) return false;
      out = *c;
      return true;
    };
    if (!address(2, "from", r.from)) return fail(message);
    if (!address(4, "to", r.to)) return fail(message);
    if (w.size() > 6) {
      if (w[6] != "port") return fail("expected 'port' or the end of the rule, found '" + w[6] + "'");
      if (r.proto == Proto::kAny) return fail("a port needs a protocol: write tcp or udp instead of any");
      if (w.size() < 8) return fail("expected a port or range after 'port'");
      if (w.size() > 8) return fail("expected the end of the rule, found '" + w[8] + "'");
      const auto& p = w[7];
      auto dash = p.find('-');
      auto number = [&](const std::string& s, int& out) {
        if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos) return false;
        out = std::stoi(s);
        return out >= 1 && out <= 65535;
      };
      bool ok = dash == std::string::npos ? number(p, r.port_lo) && number(p, r.port_hi)
                                          : number(p.substr(0, dash), r.port_lo) && number(p.substr(dash + 1), r.port_hi);
      if (!ok || r.port_lo > r.port_hi) return fail("expected a port 1-65535 or a range n-m, found '" + p + "'");
    }
    rules.push_back(std::move(r));
  }
  return rules;
}

std::optional<std::size_t> first_match(const std::vector<Rule>& rules, const Flow& flow) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    if (r.proto != Proto::kAny && r.proto != flow.proto) continue;
    if (!r.from.contains(flow.from) || !r.to.contains(flow.to)) continue;
    if (flow.port < r.port_lo || flow.port > r.port_hi) continue;
    return i;
  }
  return std::nullopt;
}

bool allows(const std::vector<Rule>& rules, const Flow& flow) {
  auto m = first_match(rules, flow);
  return m && rules[*m].allow;
}

}  // namespace assay::cyber::firewall
