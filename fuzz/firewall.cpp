// The firewall rule parser (plugins/cybersecurity) on any text. Every rule it accepts reads back
// alone from its own text as the same rule, its blocks from their canonical text, and a flow a
// rule matches is decided by that rule or an earlier one.
#include <map>
#include <string>

#include "firewall.hpp"
#include "harness.hpp"

namespace fw = assay::cyber::firewall;

namespace {

bool same(const fw::Cidr& a, const fw::Cidr& b) { return a.address == b.address && a.prefix == b.prefix; }

bool same(const fw::Rule& a, const fw::Rule& b) {
  return a.allow == b.allow && a.proto == b.proto && same(a.from, b.from) && same(a.to, b.to) && a.port_lo == b.port_lo &&
         a.port_hi == b.port_hi;
}

}  // namespace

ASSAY_FUZZ_TARGET(firewall) {
  static const std::map<std::string, fw::Cidr> networks = {
      {"modalities", {0x0A140600, 24}}, {"pacs", {0x0A141E00, 24}}, {"guest-wifi", {0x0A630000, 16}}};
  std::string error;
  auto rules = fw::try_parse_rules(assay::fuzz::as_text(data, size), networks, &error);
  if (!rules) {
    ASSAY_FUZZ_CHECK(error.rfind("line ", 0) == 0, error);
    return;
  }
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const fw::Rule& r = (*rules)[i];
    auto alone = fw::try_parse_rules(r.text, networks, &error);
    ASSAY_FUZZ_CHECK(alone && alone->size() == 1 && same(alone->front(), r), "rule does not read back: " + r.text);
    for (const fw::Cidr& c : {r.from, r.to}) {
      auto back = fw::try_parse_cidr(c.to_string(), &error);
      ASSAY_FUZZ_CHECK(back && same(*back, c), c.to_string());
    }
    fw::Flow flow{r.proto == fw::Proto::kUdp ? fw::Proto::kUdp : fw::Proto::kTcp, r.from.address, r.to.address, r.port_lo};
    auto first = fw::first_match(*rules, flow);
    ASSAY_FUZZ_CHECK(first && *first <= i, "rule " + std::to_string(i) + " does not match " + flow.describe());
    ASSAY_FUZZ_CHECK(fw::allows(*rules, flow) == (*rules)[*first].allow, flow.describe());
  }
}
