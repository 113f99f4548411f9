#include "segmentation_rules.hpp"

#include <algorithm>

#include "response.hpp"

namespace assay::cyber {

namespace {

using firewall::Cidr;
using firewall::Flow;
using firewall::Proto;
using sdk::json;

std::string flow_id(std::size_t i) { return "f" + std::to_string(i + 1); }

std::uint32_t host_in(const Cidr& c, sdk::Rng& rng) {
  auto size = c.size();
  if (size <= 2) return c.address + static_cast<std::uint32_t>(rng.below(size));
  return c.address + 1 + static_cast<std::uint32_t>(rng.below(size - 2));  // neither network nor broadcast address
}

const char* kModel =
    "Rules are read top-down and the first rule that matches a flow decides it; a flow that no rule matches is denied.";

const char* kGrammar =
    "One rule per line: allow|deny tcp|udp|any from <network|address|CIDR|any> to <network|address|CIDR|any> "
    "[port <n>|<n-m>]. A port needs tcp or udp. '#' starts a comment.";

const char* kRuleForm =
    "write one rule per line as allow|deny tcp|udp|any from <network|address|CIDR|any> to <network|address|CIDR|any> "
    "[port <n>|<n-m>]";

}  // namespace

json SegmentationRules::schema() {
  json endpoint = {{"type", "string"}, {"description", "a network name (a host in it is drawn per seed) or an IPv4 address"}};
  json flow = {{"type", "object"},
               {"properties",
                {{"proto", {{"enum", {"tcp", "udp"}}}}, {"from", endpoint}, {"to", endpoint}, {"port", {{"type", "integer"}}}}},
               {"required", {"from", "to", "port"}},
               {"additionalProperties", false}};
  json flows = {{"type", "array"}, {"items", flow}};
  json network = {
      {"type", "object"},
      {"properties", {{"name", {{"type", "string"}}}, {"cidr", {{"type", "string"}}}, {"description", {{"type", "string"}}}}},
      {"required", {"name", "cidr"}}};
  json networks = {{"type", "array"}, {"items", network}};
  // In judge mode, flows can be drawn from the item seed (flow_count).
  return sdk::generated_material(sdk::object_schema(
      {{"mode", {{"enum", {"judge", "write"}}}},
       {"model", {{"enum", {"first-match"}}, {"description", "rule evaluation model; only first match with default deny"}}},
       {"networks", networks},
       {"context", {{"type", "string"}}},
       {"rules", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "judge: the rule set shown"}}},
       {"flows", flows},
       {"flow_count", {{"type", "object"}, {"properties", {{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}}}},
       {"ports", {{"type", "array"}, {"items", {{"type", "integer"}}}, {"description", "judge: ports for generated flows"}}},
       {"requirement", {{"type", "string"}, {"description", "write: what the rule set must do"}}},
       {"credit",
        sdk::secret({{"enum", {"per-flow", "all-or-nothing"}},
                     {"description",
                      "marking scheme: per-flow (default) credits the share of flows handled as the key does; "
                      "all-or-nothing credits only a full set, e.g. for a rule set where one wrong flow is a breach"}})},
       {"required", sdk::secret(flows)},
       {"forbidden", sdk::secret(flows)}},
      {"mode", "networks"}));
}

std::vector<sdk::Criterion> SegmentationRules::criteria() {
  return {{"correct",
           "share of flows the candidate's verdicts (judge) or rules (write) handle as the key does (with credit = "
           "\"all-or-nothing\": full only when every flow is); an accuracy criterion"},
          {"no-exposure",
           "no exposure missed: no flow the rules let through is judged denied (judge), no flow that must be denied gets "
           "through the rules written (write); a safety criterion, so blocking or suspecting too much keeps it",
           false, true}};
}

SegmentationRules SegmentationRules::prepare(const json& params) {
  sdk::Params p(params);
  static const std::vector<std::string> known = {"mode",       "model", "networks",    "context",  "rules",     "flows",
                                                 "flow_count", "ports", "requirement", "required", "forbidden", "credit"};
  for (const auto& [key, value] : p.members()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) value.fail("unknown parameter '" + key + "'");
  }
  SegmentationRules item;
  item.judge_ = p.at("mode").one_of({"judge", "write"}) == "judge";
  if (auto m = p.find("model")) m->one_of({"first-match"});
  if (auto c = p.find("context")) item.context_ = c->str();
  if (auto c = p.find("credit")) item.all_or_nothing_ = c->one_of({"per-flow", "all-or-nothing"}) == "all-or-nothing";
  auto nets = p.at("networks");
  if (nets.size() == 0) nets.fail("expected at least one network");
  for (const auto& n : nets.items()) {
    auto name = n.at("name").str();
    if (name.empty() || name == "any" || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
      n.at("name").fail("expected a name of lowercase letters, digits and '-', other than 'any', found \"" + name + "\"");
    }
    if (item.by_name_.count(name) != 0) n.at("name").fail("network '" + name + "' is defined twice");
    std::string error;
    auto cidr = firewall::try_parse_cidr(n.at("cidr").str(), &error);
    if (!cidr) n.at("cidr").fail(error);
    item.by_name_[name] = *cidr;
    item.networks_.push_back({name, *cidr, n.has("description") ? n.at("description").str() : ""});
  }
  auto endpoint = [&](const sdk::Params& e) {
    auto s = e.str();
    if (item.by_name_.count(s) != 0) return Endpoint{s, 0};
    auto ip = firewall::try_parse_ip(s);
    if (!ip) e.fail("expected a network name or an IPv4 address, found \"" + s + "\"");
    return Endpoint{"", *ip};
  };
  auto read_flows = [&](const sdk::Params& list) {
    std::vector<FlowSpec> out;
    for (const auto& f : list.items()) {
      FlowSpec spec;
      if (auto pr = f.find("proto")) spec.proto = pr->one_of({"tcp", "udp"}) == "tcp" ? Proto::kTcp : Proto::kUdp;
      spec.from = endpoint(f.at("from"));
      spec.to = endpoint(f.at("to"));
      auto port = f.at("port").integer();
      if (port < 1 || port > 65535) f.at("port").fail("expected a port from 1 to 65535, found " + std::to_string(port));
      spec.port = static_cast<int>(port);
      out.push_back(spec);
    }
    return out;
  };
  if (item.judge_) {
    for (const char* k : {"requirement", "required", "forbidden"}) {
      if (auto x = p.find(k)) x->fail(std::string("'") + k + "' belongs to mode \"write\"");
    }
    auto rules = p.at("rules");
    for (const auto& r : rules.items()) {
      std::string error;
      auto parsed = firewall::try_parse_rules(r.str(), item.by_name_, &error);
      if (!parsed) r.fail(error.substr(error.find(": ") + 2));
      if (parsed->size() != 1) r.fail("expected exactly one rule");
      item.rules_.push_back(parsed->front());
    }
    if (auto f = p.find("flows")) {
      item.flows_ = read_flows(*f);
      if (item.flows_.empty()) f->fail("expected at least one flow");
      if (auto c = p.find("flow_count")) c->fail("give either 'flows' or 'flow_count', not both");
    }
    if (auto c = p.find("flow_count")) {
      item.flow_min_ = c->at("min").integer();
      item.flow_max_ = c->at("max").integer();
      if (item.flow_min_ < 1 || item.flow_min_ > 50) c->at("min").fail("expected an integer from 1 to 50");
      if (item.flow_max_ < item.flow_min_ || item.flow_max_ > 50) c->at("max").fail("expected an integer from min to 50");
    }
    if (auto ports = p.find("ports")) {
      item.ports_.clear();
      for (const auto& e : ports->items()) {
        auto n = e.integer();
        if (n < 1 || n > 65535) e.fail("expected a port from 1 to 65535, found " + std::to_string(n));
        item.ports_.push_back(static_cast<int>(n));
      }
      if (item.ports_.empty()) ports->fail("expected at least one port");
    }
  } else {
    for (const char* k : {"rules", "flows", "flow_count", "ports"}) {
      if (auto x = p.find(k)) x->fail(std::string("'") + k + "' belongs to mode \"judge\"");
    }
    item.requirement_ = p.at("requirement").str();
    item.required_ = read_flows(p.at("required"));
    item.forbidden_ = read_flows(p.at("forbidden"));
    if (item.required_.size() + item.forbidden_.size() == 0)
      p.at("required").fail("expected at least one required or forbidden flow");
    auto same = [](const FlowSpec& a, const FlowSpec& b) {
      return a.proto == b.proto && a.port == b.port && a.from.network == b.from.network && a.from.address == b.from.address &&
             a.to.network == b.to.network && a.to.address == b.to.address;
    };
    auto forbidden = p.at("forbidden");
    for (std::size_t i = 0; i < item.forbidden_.size(); ++i) {
      for (const auto& r : item.required_) {
        if (same(r, item.forbidden_[i])) forbidden.at(i).fail("this flow is also required");
      }
    }
  }
  return item;
}

std::vector<std::pair<Flow, bool>> SegmentationRules::cases(std::uint64_t seed) const {
  sdk::Rng rng(seed);
  auto concrete = [&](const FlowSpec& s) {
    auto pick = [&](const Endpoint& e) { return e.network.empty() ? e.address : host_in(by_name_.at(e.network), rng); };
    Flow f;
    f.proto = s.proto;
    f.from = pick(s.from);
    f.to = pick(s.to);
    f.port = s.port;
    return f;
  };
  std::vector<std::pair<Flow, bool>> out;
  if (!judge_) {
    for (const auto& s : required_) out.emplace_back(concrete(s), true);
    for (const auto& s : forbidden_) out.emplace_back(concrete(s), false);
    return out;
  }
  std::vector<Flow> flows;
  if (!flows_.empty()) {
    for (const auto& s : flows_) flows.push_back(concrete(s));
  } else {
    auto n = rng.between(flow_min_, flow_max_);
    std::vector<const firewall::Rule*> openings;
    for (const auto& r : rules_) {
      if (r.allow) openings.push_back(&r);
    }
    // Two hosts of one network talk without crossing the firewall between segments, so a flow
    // always joins two different named networks (issue 16: a flow inside one /24 was judged).
    auto network_of = [&](std::uint32_t ip) {
      for (std::size_t k = 0; k < networks_.size(); ++k)
        if (networks_[k].cidr.contains(ip)) return static_cast<std::int64_t>(k);
      return std::int64_t{-1};
    };
    auto same_segment = [&](const Flow& f) {
      auto a = network_of(f.from);
      return a >= 0 && a == network_of(f.to);
    };
    auto last = static_cast<std::int64_t>(networks_.size()) - 1;
    // Draw until n flows cross the firewall; an opening inside one network is drawn again.
    for (std::int64_t tries = 0; static_cast<std::int64_t>(flows.size()) < n && tries < 20 * n; ++tries) {
      Flow f;
      auto inside = [&](const Cidr& c) { return c.prefix == 0 ? host_in(rng.pick(networks_).cidr, rng) : host_in(c, rng); };
      if (!openings.empty() && rng.chance(1, 2)) {  // aim at an opening, so both verdicts occur
        const auto* r = rng.pick(openings);
        f.proto = r->proto == Proto::kUdp ? Proto::kUdp : Proto::kTcp;
        f.from = inside(r->from);
        f.to = inside(r->to);
        for (int tries = 0; tries < 8 && same_segment(f); ++tries) f.to = inside(r->to);
        f.port = r->port_hi - r->port_lo > 1000 ? rng.pick(ports_) : static_cast<int>(rng.between(r->port_lo, r->port_hi));
      } else {
        f.proto = Proto::kTcp;
        auto a = rng.between(0, last);
        auto b = last > 0 ? rng.between(0, last - 1) : a;
        if (last > 0 && b >= a) ++b;
        f.from = host_in(networks_[static_cast<std::size_t>(a)].cidr, rng);
        f.to = host_in(networks_[static_cast<std::size_t>(b)].cidr, rng);
        f.port = rng.pick(ports_);
      }
      if (same_segment(f)) continue;  // an opening inside one network: nothing for the firewall to judge
      flows.push_back(f);
    }
  }
  for (const auto& f : flows) out.emplace_back(f, firewall::allows(rules_, f));
  return out;
}

json SegmentationRules::present(std::uint64_t seed) const {
  json rows = json::array();
  for (const auto& n : networks_) rows.push_back({n.name, n.cidr.to_string(), n.description});
  json networks = {{"kind", "table"}, {"columns", {"Network", "CIDR", "Description"}}, {"rows", rows}};
  std::string intro = context_.empty() ? "" : context_ + "\n";
  if (judge_) {
    std::string rule_text;
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      rule_text += (i == 0 ? "" : "\n") + std::to_string(i + 1) + "  " + rules_[i].text;  // no blank last line
    }
    json flow_rows = json::array();
    auto cs = cases(seed);
    for (std::size_t i = 0; i < cs.size(); ++i) flow_rows.push_back({{"id", flow_id(i)}, {"label", cs[i].first.describe()}});
    json options = json::array({{{"id", "allow"}, {"text", "Allowed"}}, {{"id", "deny"}, {"text", "Denied"}}});
    json column = {{"id", "verdict"}, {"label", "Verdict"}, {"options", options}};
    json table = {{"id", "flows"}, {"type", "table"}, {"rows", flow_rows}, {"columns", json::array({column})}};
    json rules = {{"kind", "code"}, {"language", "rules"}, {"text", rule_text}};
    json text = {{"kind", "text"}, {"text", intro + kModel}};
    return {{"presentation", 1},
            {"prompt", "Decide whether the firewall allows or denies each flow."},
            {"material", json::array({text, networks, rules})},
            {"interactions", json::array({table})}};
  }
  json text = {{"kind", "text"}, {"text", intro + requirement_ + "\n" + kModel + "\n" + kGrammar}};
  json answer = {{"id", "rules"}, {"type", "extended-text"}, {"prompt", "Rule set, one rule per line"}, {"max_length", 4000}};
  return {{"presentation", 1},
          {"prompt", "Write the firewall rule set that meets the requirement."},
          {"material", json::array({text, networks})},
          {"interactions", json::array({answer})}};
}

namespace {

constexpr const char* kVerdictForm = "choose Allowed or Denied";

// Per case: whether the response handles it as the key does. An unanswered table is no answer;
// a partly answered one must give every flow a verdict.
std::vector<bool> judged(const std::vector<std::pair<Flow, bool>>& cs, const json& response) {
  std::vector<bool> out(cs.size(), false);
  auto it = response.find("flows");
  if (it == response.end() || it->is_null()) return out;
  if (!it->is_object()) throw sdk::ResponseError("'flows': expected an object {flow id: {\"verdict\": \"allow\" | \"deny\"}}");
  for (auto row = it->begin(); row != it->end(); ++row) {
    bool known = false;
    for (std::size_t i = 0; i < cs.size(); ++i) known = known || row.key() == flow_id(i);
    if (!known)
      throw sdk::ResponseError("'flows': there is no flow " + row.key() + "; the flows are f1 to f" + std::to_string(cs.size()));
    if (!row->is_object() && !row->is_null())
      throw sdk::ResponseError("flow " + row.key() + ": expected {\"verdict\": \"allow\" | \"deny\"}");
  }
  if (it->empty()) return out;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    auto cell = [&]() -> std::string {
      auto row = it->find(flow_id(i));
      if (row == it->end() || !row->is_object()) return "";
      auto v = row->find("verdict");
      if (v == row->end() || v->is_null()) return "";
      if (!v->is_string()) throw sdk::ResponseError("cell Verdict of flow " + flow_id(i) + ": expected \"allow\" or \"deny\"");
      return firewall::lower(std::string(sdk::trim_typed(v->get_ref<const std::string&>())));
    }();
    std::string where = "cell Verdict of flow " + flow_id(i) + " (" + cs[i].first.describe() + ")";
    if (cell.empty()) throw sdk::ResponseError(where + " is empty: " + kVerdictForm);
    if (cell != "allow" && cell != "deny") {
      throw sdk::ResponseError(where + ": expected \"allow\" or \"deny\", found \"" + cell + "\"; " + kVerdictForm);
    }
    out[i] = cell == (cs[i].second ? "allow" : "deny");
  }
  return out;
}

}  // namespace

std::optional<std::vector<firewall::Rule>> SegmentationRules::written(const json& response) const {
  auto text = text_answer(response, "rules");
  if (!text) return std::nullopt;
  std::string error;
  auto rules = firewall::try_parse_rules(*text, by_name_, &error);
  if (!rules) {
    throw sdk::ResponseError("the rule set does not parse: " + error + "; " + kRuleForm);
  }
  return rules;
}

std::vector<sdk::Credit> SegmentationRules::score(std::uint64_t seed, const json& response) const {
  auto cs = cases(seed);
  std::vector<bool> right;
  bool answered = true;
  if (judge_) {
    auto it = response.find("flows");
    answered = it != response.end() && it->is_object() && !it->empty();
    right = judged(cs, response);
  } else {
    auto rules = written(response);
    if (!rules) return {sdk::Credit::none(), sdk::Credit::full()};  // no rules: the default deny lets nothing through
    for (const auto& [flow, allowed] : cs) right.push_back(firewall::allows(*rules, flow) == allowed);
  }
  // The unsafe error: an allowed flow judged denied (an exposure missed), or a flow that must be
  // denied let through by the rules written.
  bool exposure = false;
  for (std::size_t i = 0; i < cs.size(); ++i)
    if (answered && !right[i] && (judge_ ? cs[i].second : !cs[i].second)) exposure = true;
  auto n_right = static_cast<std::uint64_t>(std::count(right.begin(), right.end(), true));
  auto safe = sdk::Credit::of(!exposure);
  if (all_or_nothing_) return {sdk::Credit::of(n_right == cs.size()), safe};
  return {sdk::Credit::fraction(n_right, cs.size()), safe};
}

json SegmentationRules::solve(std::uint64_t seed) const {
  auto cs = cases(seed);
  if (judge_) {
    json rows = json::object();
    for (std::size_t i = 0; i < cs.size(); ++i) rows[flow_id(i)] = {{"verdict", cs[i].second ? "allow" : "deny"}};
    return {{"flows", rows}};
  }
  // Network-wide openings read best; fall back to single hosts when nested networks would let a
  // forbidden flow through.
  auto write = [&](bool by_network) {
    std::string text;
    for (std::size_t i = 0; i < required_.size(); ++i) {
      const auto& s = required_[i];
      const auto& f = cs[i].first;
      auto side = [&](const Endpoint& e, std::uint32_t ip) {
        return by_network && !e.network.empty() ? e.network : firewall::ip_to_string(ip) + "/32";
      };
      text += "allow " + std::string(firewall::to_string(s.proto)) + " from " + side(s.from, f.from) + " to " + side(s.to, f.to) +
              " port " + std::to_string(s.port) + "\n";
    }
    return text;
  };
  for (bool by_network : {true, false}) {
    auto text = write(by_network);
    auto rules = firewall::try_parse_rules(text, by_name_, nullptr);
    bool ok = true;
    for (const auto& [flow, allowed] : cs) ok = ok && firewall::allows(*rules, flow) == allowed;
    if (ok || !by_network) return {{"rules", text}};
  }
  return {{"rules", ""}};
}

namespace {

/// The first rule after `after` that matches `flow` and allows it (allow) or denies it (!allow):
/// the rule a candidate who misreads the order would have applied.
std::optional<std::size_t> later_match(const std::vector<firewall::Rule>& rules, const Flow& flow, std::size_t after,
                                       bool allow) {
  for (std::size_t i = after + 1; i < rules.size(); ++i) {
    std::vector<firewall::Rule> one = {rules[i]};
    if (rules[i].allow == allow && firewall::first_match(one, flow)) return i;
  }
  return std::nullopt;
}

std::string rule_ref(const std::vector<firewall::Rule>& rules, std::size_t i) {
  return "rule " + std::to_string(i + 1) + " (" + rules[i].text + ")";
}

}  // namespace

std::string SegmentationRules::network_of(std::uint32_t ip) const {
  for (const auto& n : networks_)
    if (n.cidr.contains(ip)) return n.name;
  return "";
}

std::string SegmentationRules::describe(const Flow& flow) const {
  // The flow as the table shows it, with the networks its ends belong to.
  auto from = network_of(flow.from), to = network_of(flow.to);
  std::string out = flow.describe();
  if (!from.empty() || !to.empty())
    out += " (" + (from.empty() ? std::string("outside every network") : from) + " to " +
           (to.empty() ? std::string("outside every network") : to) + ")";
  return out;
}

std::string SegmentationRules::feedback(std::uint64_t seed, const json& response) const {
  auto cs = cases(seed);
  std::string out;
  std::vector<bool> right;
  std::vector<firewall::Rule> rules;
  if (judge_) {
    right = judged(cs, response);
    rules = rules_;
  } else {
    auto parsed = written(response);
    if (!parsed) return "no rule set was written; with default deny, no required flow gets through\n";
    rules = *parsed;
    for (const auto& [flow, allowed] : cs) right.push_back(firewall::allows(rules, flow) == allowed);
  }
  // A flow's end as a rule names it: its network, or its address when no network holds it.
  auto end = [&](std::uint32_t ip) {
    auto n = network_of(ip);
    return n.empty() ? firewall::ip_to_string(ip) : n;
  };
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const auto& [flow, allowed] = cs[i];
    auto m = firewall::first_match(rules, flow);
    std::string why = m ? rule_ref(rules, *m) + " matches first" : "no rule matches, so the default deny applies";
    if (judge_) {
      out += flow_id(i) + " " + describe(flow) + ": " + (allowed ? "allowed" : "denied") + ", " + why;
      if (!right[i]) {
        // Why the candidate's verdict is wrong: the rule order, or the default deny.
        if (allowed) {
          auto deny = later_match(rules, flow, *m, false);
          out += "; you judged it denied, but the firewall lets it through" +
                 (deny ? ": " + rule_ref(rules, *deny) + " also matches, but rules are read top-down and the first match decides"
                       : std::string()) +
                 ". An exposure missed, the unsafe error: a flow the rules allow is a path an attacker can use";
        } else if (m) {
          auto allow = later_match(rules, flow, *m, true);
          out += "; you judged it allowed, but " +
                 (allow ? rule_ref(rules, *allow) + " comes after " + rule_ref(rules, *m) + ", and the first match decides"
                        : rule_ref(rules, *m) + " denies it") +
                 " (over-cautious, not unsafe)";
        } else {
          out +=
              "; you judged it allowed, but no rule allows it, and a flow no rule matches is denied (over-cautious, not "
              "unsafe)";
        }
      }
      out += "\n";
    } else {
      out += describe(flow) + ": must be " + (allowed ? "allowed" : "denied") + "; " + why;
      if (right[i]) {
        out += ": right\n";
      } else if (allowed) {
        out += ": wrong, a required flow is blocked (over-cautious, not unsafe); the requirement needs it, so " +
               (m ? "put a rule allowing it above " + rule_ref(rules, *m)
                  : std::string("add a rule allowing it, such as \"allow ") + std::string(firewall::to_string(flow.proto)) +
                        " from " + end(flow.from) + " to " + end(flow.to) + " port " + std::to_string(flow.port) + "\"") +
               "\n";
      } else {
        out += ": wrong, and unsafe: a flow that must be denied gets through, since the requirement forbids it; narrow " +
               rule_ref(rules, *m) + " to what the requirement allows, or put a rule denying this flow above it\n";
      }
    }
  }
  return out;
}

std::vector<sdk::Example> SegmentationRules::examples() {
  json networks = json::array({{{"name", "modalities"}, {"cidr", "10.20.6.0/24"}, {"description", "CT, MR and X-ray modalities"}},
                               {{"name", "pacs"}, {"cidr", "10.20.30.0/24"}, {"description", "PACS archive and DICOM router"}},
                               {{"name", "ehr"}, {"cidr", "10.20.40.0/24"}, {"description", "EHR application servers"}},
                               {{"name", "guest-wifi"}, {"cidr", "172.16.0.0/16"}, {"description", "patient and visitor Wi-Fi"}},
                               {{"name", "admin"}, {"cidr", "10.20.1.0/24"}, {"description", "IT administration jump hosts"}}});
  std::vector<sdk::Example> out;
  {
    sdk::Example ex;
    ex.name = "judge five flows, one of them decided by rule order";
    ex.params = {
        {"mode", "judge"},
        {"networks", networks},
        {"rules",
         {"allow tcp from modalities to pacs port 104", "allow tcp from modalities to pacs port 11112",
          "deny any from guest-wifi to any", "allow tcp from admin to any port 3389", "allow tcp from any to ehr port 443"}},
        {"flows",
         {{{"from", "modalities"}, {"to", "pacs"}, {"port", 104}},
          {{"from", "modalities"}, {"to", "ehr"}, {"port", 445}},
          {{"from", "guest-wifi"}, {"to", "ehr"}, {"port", 443}},
          {{"from", "admin"}, {"to", "pacs"}, {"port", 3389}},
          {{"proto", "udp"}, {"from", "modalities"}, {"to", "pacs"}, {"port", 104}}}}};
    // Judge mode derives its key from the rules it shows; the marking scheme is its one secret.
    ex.alt_secret = {{"credit", "all-or-nothing"}};
    ex.seed = 5;
    auto verdicts = [](std::vector<const char*> v) {
      json rows = json::object();
      for (std::size_t i = 0; i < v.size(); ++i) rows["f" + std::to_string(i + 1)] = {{"verdict", v[i]}};
      return json{{"flows", rows}};
    };
    ex.responses = {{"the key", verdicts({"allow", "deny", "deny", "allow", "deny"}), {sdk::Credit::full(), sdk::Credit::full()}},
                    {"guest Wi-Fi reaching the EHR on 443 (rule 3 comes first)",
                     verdicts({"allow", "deny", "allow", "allow", "deny"}),
                     {sdk::Credit{4, 5}, sdk::Credit::full()}},
                    {"an allowed flow judged denied",
                     verdicts({"deny", "deny", "deny", "allow", "deny"}),
                     {sdk::Credit{4, 5}, sdk::Credit::none()}}};
    json four = verdicts({"allow", "deny", "deny", "allow"});
    json blocked = verdicts({"allow", "deny", "block", "allow", "deny"});
    ex.malformed = {{"the last verdict left empty", four}, {"a verdict that is neither allowed nor denied", blocked}};
    out.push_back(ex);
  }
  {
    sdk::Example ex;
    ex.name = "write DICOM-only access from modalities to the PACS";
    json dicom104 = {{"from", "modalities"}, {"to", "pacs"}, {"port", 104}};
    json dicom11112 = {{"from", "modalities"}, {"to", "pacs"}, {"port", 11112}};
    json smb = {{"from", "modalities"}, {"to", "pacs"}, {"port", 445}};
    json to_ehr = {{"from", "modalities"}, {"to", "ehr"}, {"port", 443}};
    json guest = {{"from", "guest-wifi"}, {"to", "pacs"}, {"port", 104}};
    ex.params = {{"mode", "write"},
                 {"networks", networks},
                 {"requirement",
                  "Modalities may send images to the PACS over DICOM (TCP 104 and 11112) and reach nothing else; guest Wi-Fi "
                  "reaches nothing inside."},
                 {"required", {dicom104, dicom11112}},
                 {"forbidden", {smb, to_ehr, guest}}};
    ex.alt_secret = {{"required", {to_ehr}}, {"forbidden", {dicom104}}};
    ex.seed = 8;
    ex.responses = {
        {"DICOM only",
         {{"rules", "allow tcp from modalities to pacs port 104\nallow tcp from modalities to pacs port 11112\n"}},
         {sdk::Credit::full(), sdk::Credit::full()}},
        {"everything to the PACS", {{"rules", "allow any from modalities to pacs"}}, {sdk::Credit{4, 5}, sdk::Credit::none()}},
        {"port 104 only: a required flow blocked",
         {{"rules", "allow tcp from modalities to pacs port 104"}},
         {sdk::Credit{4, 5}, sdk::Credit::full()}},
        {"DICOM only, typed with capitals",
         {{"rules", "Allow TCP from Modalities to PACS port 104\nALLOW tcp FROM modalities TO pacs PORT 11112"}},
         {sdk::Credit::full(), sdk::Credit::full()}}};
    ex.malformed = {{"a vendor's keyword on line 3",
                     {{"rules",
                       "allow tcp from modalities to pacs port 104\nallow tcp from modalities to pacs port 11112\npermit any "
                       "from any to any"}}},
                    {"an invalid CIDR", {{"rules", "allow tcp from 10.20.6.0/33 to pacs port 104"}}},
                    {"a port range written with a colon", {{"rules", "allow tcp from modalities to pacs port 104:11112"}}}};
    out.push_back(ex);
  }
  {
    // Flows drawn per seed (the examples above fix theirs). The rules let nothing through, so
    // every drawn flow is denied whatever the seed: the credits below hold for any seed.
    sdk::Example ex;
    ex.name = "judge three generated flows against rules that let nothing through";
    ex.params = {{"mode", "judge"},
                 {"networks", networks},
                 {"rules", {"deny any from guest-wifi to any", "deny tcp from any to admin port 3389"}},
                 {"flow_count", {{"min", 3}, {"max", 3}}},
                 {"ports", {104, 443, 3389}}};
    ex.alt_secret = {{"credit", "all-or-nothing"}};
    ex.seed = 21;
    auto verdicts = [](std::vector<const char*> v) {
      json rows = json::object();
      for (std::size_t i = 0; i < v.size(); ++i) rows["f" + std::to_string(i + 1)] = {{"verdict", v[i]}};
      return json{{"flows", rows}};
    };
    ex.responses = {{"every flow denied", verdicts({"deny", "deny", "deny"}), {sdk::Credit::full(), sdk::Credit::full()}},
                    {"the first flow allowed: wrong, but no exposure missed",
                     verdicts({"allow", "deny", "deny"}),
                     {sdk::Credit{2, 3}, sdk::Credit::full()}}};
    ex.malformed = {{"a verdict that is neither allowed nor denied", verdicts({"deny", "block", "deny"})}};
    out.push_back(ex);
  }
  return out;
}

}  // namespace assay::cyber
