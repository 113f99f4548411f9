// A small packet-filter model for segmentation items: IPv4 CIDR blocks, a one-line rule grammar,
// and first-match evaluation with an implicit final deny (NIST SP 800-41 r1's usual rule order;
// SP 800-53 r5 SC-7(5), deny by default, allow by exception).
//
// Rule grammar (one rule per line; '#' starts a comment; blank lines are ignored):
//
//   rule   = action proto "from" addr "to" addr [ "port" ports ]
//   action = "allow" | "deny"
//   proto  = "tcp" | "udp" | "any"            ("any" takes no port)
//   addr   = "any" | a.b.c.d | a.b.c.d/len | a network name defined by the item
//   ports  = n | n-m                            (1..65535)
//
//   allow tcp from modalities to 10.20.30.0/24 port 104
//   deny any from guest-wifi to any
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assay::cyber::firewall {

struct Cidr {
  std::uint32_t address = 0;
  int prefix = 0;  // 0..32
  bool contains(std::uint32_t ip) const;
  std::uint64_t size() const { return std::uint64_t{1} << (32 - prefix); }
  std::string to_string() const;
};

/// Parses "a.b.c.d/len" (or "a.b.c.d" as /32). Host bits must be zero. On failure returns nullopt
/// and sets `error` ("invalid CIDR '10.20.300.0/24': octet 300 is out of 0-255").
std::optional<Cidr> try_parse_cidr(std::string_view text, std::string* error);
std::optional<std::uint32_t> try_parse_ip(std::string_view text);
std::string ip_to_string(std::uint32_t ip);

enum class Proto { kAny, kTcp, kUdp };
std::string_view to_string(Proto p);

struct Rule {
  bool allow = false;
  Proto proto = Proto::kAny;
  Cidr from;  // /0 is any
  Cidr to;
  int port_lo = 0, port_hi = 65535;  // whole range when no port is given
  std::string text;                  // the line as written
};

struct Flow {
  Proto proto = Proto::kTcp;  // tcp or udp
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  int port = 0;
  std::string describe() const;  // "tcp 10.20.6.15 -> 10.20.30.12 port 104"
};

/// `s` with A-Z lowered.
std::string lower(std::string s);

/// Parses a rule set; `networks` maps names to blocks. Keywords, "any" and network names are read
/// in any case. On failure returns nullopt and sets
/// `error` to "line N: ..." (N counts every line, blank and comment lines included).
std::optional<std::vector<Rule>> try_parse_rules(std::string_view text, const std::map<std::string, Cidr>& networks,
                                                 std::string* error);

/// The index of the first rule matching `flow`, or nullopt when none does (default deny).
std::optional<std::size_t> first_match(const std::vector<Rule>& rules, const Flow& flow);
/// Whether the rule set lets `flow` through.
bool allows(const std::vector<Rule>& rules, const Flow& flow);

}  // namespace assay::cyber::firewall
