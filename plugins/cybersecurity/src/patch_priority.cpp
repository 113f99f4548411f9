#include "patch_priority.hpp"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <utility>

#include "response.hpp"

namespace assay::cyber {

namespace {

using sdk::json;

const std::vector<std::string> kPolicyIds = {"known-exploited", "exposure", "cvss", "clinical-criticality"};
const std::vector<std::string> kExposureIds = {"internet", "internal", "segmented"};
const std::vector<std::string> kCriticalityIds = {"high", "medium", "low"};
const std::vector<std::string> kKindIds = {"server", "workstation", "medical-device"};
const std::vector<std::string> kRuleIds = {"always", "if-exposed", "if-service-unneeded", "optional", "forbidden"};

std::string exposure_text(PatchPriority::Exposure e) {
  switch (e) {
    case PatchPriority::Exposure::kInternet:
      return "internet-facing";
    case PatchPriority::Exposure::kInternal:
      return "hospital network";
    case PatchPriority::Exposure::kSegmented:
      return "segmented VLAN";
  }
  return "";
}

std::string policy_text(PatchPriority::PolicyKey k) {
  switch (k) {
    case PatchPriority::PolicyKey::kKnownExploited:
      return "findings known to be exploited in the wild come before the others";
    case PatchPriority::PolicyKey::kExposure:
      return "more exposed assets first: internet-facing, then reachable from the hospital network, then on a segmented VLAN";
    case PatchPriority::PolicyKey::kCvss:
      return "higher CVSS v3.1 base score first (work it out from the vector)";
    case PatchPriority::PolicyKey::kCriticality:
      return "higher clinical criticality first: high, medium, low";
  }
  return "";
}

template <class E>
E enum_at(const std::vector<std::string>& ids, const std::string& id) {
  return static_cast<E>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

// The generator's catalogue: assets a hospital runs and findings typical of them. Vectors are
// scored by cvss.cpp like any author's vector; the descriptions carry no version numbers, so no
// decimal in the material can be mistaken for a score.
struct AssetTemplate {
  const char* name;
  const char* kind;
  PatchPriority::Exposure exposure;  // for medical devices the generator draws it
  PatchPriority::Criticality criticality;
  const char* services;  // what runs on it, space-separated: a finding names one of them
};

const std::vector<AssetTemplate> kPatchable = {
    {"EHR-APP01 (EHR application server)", "server", PatchPriority::Exposure::kInternal, PatchPriority::Criticality::kHigh,
     "os web forms snmp"},
    {"PORTAL01 (patient portal web server)", "server", PatchPriority::Exposure::kInternet, PatchPriority::Criticality::kMedium,
     "os web forms tls"},
    {"VPN01 (remote-access gateway)", "server", PatchPriority::Exposure::kInternet, PatchPriority::Criticality::kMedium,
     "web tls admin snmp"},
    {"LAB-IF01 (laboratory interface engine)", "server", PatchPriority::Exposure::kInternal, PatchPriority::Criticality::kHigh,
     "os admin snmp"},
    {"FILE01 (departmental file server)", "server", PatchPriority::Exposure::kInternal, PatchPriority::Criticality::kLow,
     "os smb snmp"},
    {"PACS01 (image archive)", "server", PatchPriority::Exposure::kInternal, PatchPriority::Criticality::kHigh,
     "os dicom web smb"},
    {"WS-ICU-04 (ICU nurses' station)", "workstation", PatchPriority::Exposure::kInternal, PatchPriority::Criticality::kMedium,
     "os smb rdp"},
    {"WS-RAD-02 (radiology reading room)", "workstation", PatchPriority::Exposure::kInternal, PatchPriority::Criticality::kMedium,
     "os smb rdp dicom"},
    {"WS-ADM-05 (admissions desk)", "workstation", PatchPriority::Exposure::kInternal, PatchPriority::Criticality::kLow,
     "os smb rdp"},
};

const std::vector<AssetTemplate> kDevices = {
    {"PUMP-W4-07 (infusion pump, ward 4)", "medical-device", PatchPriority::Exposure::kInternal,
     PatchPriority::Criticality::kHigh, "telnet web admin snmp"},
    {"CT-01 (CT scanner console)", "medical-device", PatchPriority::Exposure::kInternal, PatchPriority::Criticality::kHigh,
     "os smb dicom rdp"},
    {"MON-ICU-C (ICU central monitoring station)", "medical-device", PatchPriority::Exposure::kInternal,
     PatchPriority::Criticality::kHigh, "os web snmp"},
    {"US-OB-02 (obstetric ultrasound)", "medical-device", PatchPriority::Exposure::kInternal, PatchPriority::Criticality::kMedium,
     "os smb dicom"},
    {"LAB-AN-03 (chemistry analyser)", "medical-device", PatchPriority::Exposure::kInternal, PatchPriority::Criticality::kMedium,
     "os smb telnet"},
    {"MRI-01 (MRI acquisition workstation)", "medical-device", PatchPriority::Exposure::kInternal,
     PatchPriority::Criticality::kHigh, "os smb dicom rdp"},
};

struct VulnTemplate {
  const char* text;
  const char* vector;
  const char* service;  // the asset must run it (AssetTemplate::services)
};

// Each finding only on an asset that runs the affected service: no DICOM listener on the VPN
// gateway, no Remote Desktop on an infusion pump (issue 16).
const std::vector<VulnTemplate> kVulns = {
    {"remote code execution in the SMBv1 file-sharing service", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "smb"},
    {"Telnet maintenance login with a hard-coded password, reachable from the same network segment",
     "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "telnet"},
    {"reflected cross-site scripting in the embedded web administration page", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
     "admin"},
    {"unauthenticated crash of the DICOM listener", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "dicom"},
    {"weak TLS configuration of the web interface exposes session data", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", "tls"},
    {"local privilege escalation in the operating system", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "os"},
    {"race condition in the Remote Desktop service allows code execution", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", "rdp"},
    {"SNMP service answers the default community string", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", "snmp"},
    {"command injection in the web administration interface for administrators", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H",
     "web"},
    {"stored cross-site scripting in a form that signed-in users fill in", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N",
     "forms"},
};

bool runs(const AssetTemplate& a, std::string_view service) {
  std::string_view all = a.services;
  while (!all.empty()) {
    auto sp = all.find(' ');
    if (all.substr(0, sp) == service) return true;
    if (sp == std::string_view::npos) break;
    all.remove_prefix(sp + 1);
  }
  return false;
}

cvss::Vector vector_of(const char* text) { return *cvss::try_parse(text).vector; }

std::string id_list(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

PatchPriority::Finding parse_finding(const sdk::Params& f) {
  static const std::vector<std::string> known = {"id",       "asset",       "kind",      "vulnerability",  "vector",
                                                 "exposure", "criticality", "patchable", "service_needed", "known_exploited"};
  for (const auto& [k, v] : f.members()) {
    if (std::find(known.begin(), known.end(), k) == known.end()) v.fail("unknown finding field '" + k + "'");
  }
  PatchPriority::Finding out;
  auto id = f.at("id");
  out.id = id.str();
  if (out.id.empty() || out.id.find_first_of(" \t\n") != std::string::npos) {
    id.fail("expected a finding id without spaces, found \"" + out.id + "\"");
  }
  out.asset = f.at("asset").str();
  out.kind = f.at("kind").one_of(kKindIds);
  out.vulnerability = f.at("vulnerability").str();
  auto v = f.at("vector");
  auto parsed = cvss::try_parse(v.str());
  if (!parsed) v.fail(parsed.error.message);
  out.vector = *parsed.vector;
  out.known_exploited = f.at("known_exploited").boolean();
  out.exposure = enum_at<PatchPriority::Exposure>(kExposureIds, f.at("exposure").one_of(kExposureIds));
  out.criticality = enum_at<PatchPriority::Criticality>(kCriticalityIds, f.at("criticality").one_of(kCriticalityIds));
  out.patchable = f.at("patchable").boolean();
  if (!out.patchable) {
    if (!f.has("service_needed"))
      f.fail("an unpatchable finding needs 'service_needed', whether its service is needed clinically");
    out.service_needed = f.at("service_needed").boolean();
  } else if (auto s = f.find("service_needed")) {
    out.service_needed = s->boolean();
  }
  return out;
}

}  // namespace

json PatchPriority::schema() {
  json range = {{"type", "object"},
                {"properties", {{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}},
                {"required", {"min", "max"}}};
  json finding = {
      {"type", "object"},
      {"properties",
       {{"id", {{"type", "string"}}},
        {"asset", {{"type", "string"}}},
        {"kind", {{"enum", kKindIds}}},
        {"vulnerability", {{"type", "string"}}},
        {"vector", {{"type", "string"}, {"description", "CVSS v3.1 vector string"}}},
        {"known_exploited", {{"type", "boolean"}}},
        {"exposure", {{"enum", kExposureIds}}},
        {"criticality", {{"enum", kCriticalityIds}}},
        {"patchable", {{"type", "boolean"}, {"description", "false: the manufacturer does not allow patching"}}},
        {"service_needed", {{"type", "boolean"}, {"description", "whether the vulnerable service is needed clinically"}}}}},
      {"required",
       {"id", "asset", "kind", "vulnerability", "vector", "known_exploited", "exposure", "criticality", "patchable"}}};
  json control = {{"type", "object"},
                  {"properties", {{"id", {{"type", "string"}}}, {"text", {{"type", "string"}}}}},
                  {"required", {"id", "text"}}};
  // The inventory can be drawn from the item seed.
  return sdk::generated_material(sdk::object_schema(
      {{"policy",
        {{"type", "array"},
         {"items", {{"enum", kPolicyIds}}},
         {"description", "the prioritisation rules in the order they apply; a later rule breaks ties of the earlier ones"}}},
       {"inventory",
        {{"type", "array"}, {"items", finding}, {"description", "an author's inventory instead of a generated one"}}},
       {"generate",
        {{"type", "object"},
         {"properties", {{"findings", range}, {"unpatchable", range}, {"known_exploited_percent", {{"type", "integer"}}}}}}},
       {"controls", {{"type", "array"}, {"items", control}}},
       {"control_rules",
        sdk::secret({{"type", "object"},
                     {"additionalProperties", {{"enum", kRuleIds}}},
                     {"description", "per control id: when the hospital requires it for an unpatchable asset"}})}},
      {"policy"}));
}

std::vector<sdk::Criterion> PatchPriority::criteria() {
  return {{"order", "pairs of findings the policy orders strictly, put the same way round: agreeing pairs / such pairs"},
          {"controls",
           "controls for unpatchable assets: (required chosen - not required chosen) / required, at least 0; "
           "a forbidden control (patching) gives 0"},
          {"no-forbidden",
           "no forbidden control (patching a device its manufacturer does not let the hospital patch) is chosen; a "
           "safety criterion: choosing more of the required or optional controls never loses it",
           false, true}};
}

PatchPriority PatchPriority::prepare(const json& params) {
  sdk::Params p(params);
  static const std::vector<std::string> known = {"policy", "inventory", "generate", "controls", "control_rules"};
  for (const auto& [k, v] : p.members()) {
    if (std::find(known.begin(), known.end(), k) == known.end()) v.fail("unknown parameter '" + k + "'");
  }
  PatchPriority item;
  auto policy = p.at("policy");
  for (const auto& e : policy.items()) {
    auto key = enum_at<PolicyKey>(kPolicyIds, e.one_of(kPolicyIds));
    if (std::find(item.policy_.begin(), item.policy_.end(), key) != item.policy_.end()) {
      e.fail("policy rule '" + e.str() + "' is listed twice");
    }
    item.policy_.push_back(key);
  }
  if (item.policy_.empty()) policy.fail("expected at least one policy rule");

  if (auto inv = p.find("inventory")) {
    if (auto g = p.find("generate")) g->fail("give either 'inventory' or 'generate', not both");
    std::vector<Finding> findings;
    for (const auto& f : inv->items()) {
      auto finding = parse_finding(f);
      for (const auto& other : findings) {
        if (other.id == finding.id) f.at("id").fail("finding id '" + finding.id + "' is used twice");
      }
      findings.push_back(std::move(finding));
    }
    if (findings.size() < 2) inv->fail("expected at least two findings to order");
    item.fixed_ = std::move(findings);
  } else if (auto g = p.find("generate")) {
    for (const auto& [k, v] : g->members()) {
      if (k != "findings" && k != "unpatchable" && k != "known_exploited_percent") v.fail("unknown parameter '" + k + "'");
    }
    auto range = [&](const char* name, Range& out, std::int64_t lo, std::int64_t hi) {
      auto r = g->find(name);
      if (!r) return;
      for (const auto& [k, v] : r->members()) {
        if (k != "min" && k != "max") v.fail("unknown parameter '" + k + "' (expected 'min' and 'max')");
      }
      for (const char* end : {"min", "max"}) {
        auto n = r->at(end).integer();
        if (n < lo || n > hi) {
          r->at(end).fail("expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", found " +
                          std::to_string(n));
        }
      }
      out = {r->at("min").integer(), r->at("max").integer()};
      if (out.min > out.max)
        r->at("min").fail("expected min <= max, found min " + std::to_string(out.min) + " and max " + std::to_string(out.max));
    };
    range("findings", item.findings_, 2, static_cast<std::int64_t>(kPatchable.size() + kDevices.size()));
    range("unpatchable", item.unpatchable_, 0, static_cast<std::int64_t>(kDevices.size()));
    if (item.unpatchable_.min > item.findings_.min) {
      g->at("unpatchable")
          .at("min")
          .fail("expected at most findings.min (" + std::to_string(item.findings_.min) + "), found " +
                std::to_string(item.unpatchable_.min));
    }
    if (item.findings_.max - item.unpatchable_.max > static_cast<std::int64_t>(kPatchable.size())) {
      g->at("findings")
          .at("max")
          .fail("expected at most unpatchable.max + " + std::to_string(kPatchable.size()) + " (the generator has " +
                std::to_string(kPatchable.size()) + " patchable assets), found " + std::to_string(item.findings_.max));
    }
    if (auto pct = g->find("known_exploited_percent")) {
      auto n = pct->integer();
      if (n < 0 || n > 100) pct->fail("expected an integer from 0 to 100, found " + std::to_string(n));
      item.exploited_percent_ = n;
    }
  }

  if (auto c = p.find("controls")) {
    if (!p.has("control_rules")) c->fail("give 'control_rules' with 'controls': the rule for each control is the key");
    for (const auto& e : c->items()) {
      Control control{e.at("id").str(), e.at("text").str()};
      if (control.id.empty()) e.at("id").fail("expected a non-empty control id");
      for (const auto& other : item.controls_) {
        if (other.id == control.id) e.at("id").fail("control id '" + control.id + "' is used twice");
      }
      item.controls_.push_back(std::move(control));
    }
    if (item.controls_.size() < 2) c->fail("expected at least two controls");
  } else {
    item.controls_ = {{"segment", "Move it to an isolated clinical VLAN that allows only the flows it needs"},
                      {"disable-service", "Disable the vulnerable service on it"},
                      {"monitor", "Watch its traffic with the network intrusion detection system"},
                      {"vendor", "Ask the manufacturer for an approved update or a supported replacement"},
                      {"patch", "Install the operating system's security update yourself"}};
    item.rules_ = {{"segment", Rule::kIfExposed},
                   {"disable-service", Rule::kIfServiceUnneeded},
                   {"monitor", Rule::kAlways},
                   {"vendor", Rule::kOptional},
                   {"patch", Rule::kForbidden}};
  }
  if (auto r = p.find("control_rules")) {
    for (const auto& [k, v] : r->members()) {
      bool known_control = std::any_of(item.controls_.begin(), item.controls_.end(), [&](const Control& c) { return c.id == k; });
      if (!known_control) v.fail("no control has the id '" + k + "'");
      item.rules_[k] = enum_at<Rule>(kRuleIds, v.one_of(kRuleIds));
    }
    for (const auto& c : item.controls_) {
      if (item.rules_.count(c.id) == 0) r->fail("missing a rule for control '" + c.id + "'");
    }
  }
  return item;
}

std::vector<PatchPriority::Finding> PatchPriority::inventory(std::uint64_t seed) const {
  if (fixed_) return *fixed_;
  sdk::Rng rng(seed);
  auto n = rng.between(findings_.min, findings_.max);
  auto patchable_max = static_cast<std::int64_t>(kPatchable.size());
  auto u = rng.between(std::max(unpatchable_.min, n - patchable_max), std::min(unpatchable_.max, n));
  std::vector<std::size_t> devices(kDevices.size()), servers(kPatchable.size());
  std::iota(devices.begin(), devices.end(), std::size_t{0});
  std::iota(servers.begin(), servers.end(), std::size_t{0});
  rng.shuffle(devices);
  rng.shuffle(servers);
  std::vector<const AssetTemplate*> assets;
  for (std::int64_t i = 0; i < u; ++i) assets.push_back(&kDevices[devices[static_cast<std::size_t>(i)]]);
  for (std::int64_t i = 0; i < n - u; ++i) assets.push_back(&kPatchable[servers[static_cast<std::size_t>(i)]]);
  rng.shuffle(assets);
  std::vector<Finding> out;
  for (std::size_t i = 0; i < assets.size(); ++i) {
    const auto& a = *assets[i];
    std::vector<VulnTemplate> fitting;
    for (const auto& v : kVulns)
      if (runs(a, v.service)) fitting.push_back(v);
    const auto& v = rng.pick(fitting);
    Finding f;
    f.id = "F" + std::to_string(i + 1);
    f.asset = a.name;
    f.kind = a.kind;
    f.vulnerability = v.text;
    f.vector = vector_of(v.vector);
    f.known_exploited = rng.below(100) < static_cast<std::uint64_t>(exploited_percent_);
    f.criticality = a.criticality;
    f.patchable = std::string_view(a.kind) != "medical-device";
    f.exposure = f.patchable ? a.exposure : (rng.chance(1, 2) ? Exposure::kInternal : Exposure::kSegmented);
    f.service_needed = f.patchable || rng.chance(1, 2);
    out.push_back(std::move(f));
  }
  return out;
}

int PatchPriority::compare(const Finding& a, const Finding& b) const {
  auto order = [](auto x, auto y) { return x < y ? -1 : y < x ? 1 : 0; };
  for (auto key : policy_) {
    int c = 0;
    switch (key) {
      case PolicyKey::kKnownExploited:
        c = order(!a.known_exploited, !b.known_exploited);
        break;
      case PolicyKey::kExposure:
        c = order(a.exposure, b.exposure);
        break;
      case PolicyKey::kCvss:
        c = order(cvss::base_score(b.vector), cvss::base_score(a.vector));
        break;
      case PolicyKey::kCriticality:
        c = order(a.criticality, b.criticality);
        break;
    }
    if (c != 0) return c;
  }
  return 0;
}

std::vector<std::string> PatchPriority::key_order(std::uint64_t seed) const {
  auto inv = inventory(seed);
  std::vector<std::size_t> idx(inv.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return compare(inv[a], inv[b]) < 0; });
  std::vector<std::string> out;
  for (auto i : idx) out.push_back(inv[i].id);
  return out;
}

std::map<std::string, std::set<std::string>> PatchPriority::key_controls(std::uint64_t seed) const {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& f : inventory(seed)) {
    if (f.patchable) continue;
    auto& required = out[f.id];
    for (const auto& c : controls_) {
      auto rule = rules_.at(c.id);
      if (rule == Rule::kAlways || (rule == Rule::kIfExposed && f.exposure != Exposure::kSegmented) ||
          (rule == Rule::kIfServiceUnneeded && !f.service_needed)) {
        required.insert(c.id);
      }
    }
  }
  return out;
}

json PatchPriority::present(std::uint64_t seed) const {
  auto inv = inventory(seed);
  std::string policy =
      "The hospital's remediation policy (apply the rules in turn; a later rule only breaks ties left by the earlier ones):";
  for (std::size_t i = 0; i < policy_.size(); ++i) policy += "\n" + std::to_string(i + 1) + ". " + policy_text(policy_[i]);
  policy +=
      "\nAssets whose manufacturer does not allow the hospital to patch them are still ordered by the same rules; "
      "their remediation is the compensating controls you choose.";
  json rows = json::array();
  json options = json::array();
  json interactions = json::array();
  for (const auto& f : inv) {
    rows.push_back({f.id, f.asset, f.kind, f.vulnerability, f.vector.to_string(), f.known_exploited ? "yes" : "no",
                    exposure_text(f.exposure), kCriticalityIds[static_cast<std::size_t>(f.criticality)],
                    f.patchable ? "update available" : "manufacturer does not allow patching",
                    f.patchable ? "-" : (f.service_needed ? "yes" : "no")});
    options.push_back({{"id", f.id}, {"text", f.id + " " + f.asset + ": " + f.vulnerability}});
  }
  interactions.push_back({{"id", "order"},
                          {"type", "order"},
                          {"prompt", "Order the findings for remediation, highest priority first."},
                          {"options", options}});
  json controls = json::array();
  for (const auto& c : controls_) controls.push_back({{"id", c.id}, {"text", c.text}});
  for (const auto& f : inv) {
    if (f.patchable) continue;
    interactions.push_back({{"id", "controls-" + f.id},
                            {"type", "choice"},
                            {"prompt", "Compensating controls for " + f.id + " " + f.asset},
                            {"multiple", true},
                            {"min", 0},
                            {"options", controls}});
  }
  return {{"presentation", 1},
          {"prompt", "Plan the remediation of this vulnerability scan of the hospital's assets."},
          {"material", json::array({{{"kind", "text"}, {"text", policy}},
                                    {{"kind", "table"},
                                     {"columns",
                                      {"Finding", "Asset", "Kind", "Vulnerability", "CVSS v3.1 vector", "Known exploited",
                                       "Exposure", "Clinical criticality", "Patching", "Vulnerable service needed clinically"}},
                                     {"rows", rows}}})},
          {"interactions", interactions}};
}

namespace {

// The candidate's order as positions of inventory indices; empty when unanswered.
std::vector<std::size_t> answered_order(const json& response, const std::vector<PatchPriority::Finding>& inv) {
  auto it = response.find("order");
  if (it == response.end() || it->is_null()) return {};
  if (!it->is_array())
    throw sdk::ResponseError(std::string("'order': expected an array of finding ids, found ") + sdk::json_kind(*it));
  if (it->empty()) return {};
  std::vector<std::size_t> position(inv.size(), inv.size());
  std::size_t at = 0;
  for (const auto& e : *it) {
    if (!e.is_string()) throw sdk::ResponseError("'order': expected an array of finding ids");
    auto id = e.get<std::string>();
    auto f = std::find_if(inv.begin(), inv.end(), [&](const auto& x) { return x.id == id; });
    if (f == inv.end()) throw sdk::ResponseError("'order': no finding has the id '" + id + "'");
    auto i = static_cast<std::size_t>(f - inv.begin());
    if (position[i] != inv.size()) throw sdk::ResponseError("'order': finding '" + id + "' appears twice");
    position[i] = at++;
  }
  for (std::size_t i = 0; i < inv.size(); ++i) {
    if (position[i] == inv.size())
      throw sdk::ResponseError("'order': finding '" + inv[i].id + "' is missing; order every finding");
  }
  return position;
}

// Of the pairs the policy orders strictly, how many `position` puts the same way round, and how
// many there are.
std::pair<std::uint64_t, std::uint64_t> agreement(const PatchPriority& item, const std::vector<PatchPriority::Finding>& inv,
                                                  const std::vector<std::size_t>& position) {
  std::uint64_t strict = 0, agree = 0;
  for (std::size_t i = 0; i < inv.size(); ++i) {
    for (std::size_t j = i + 1; j < inv.size(); ++j) {
      int c = item.compare(inv[i], inv[j]);
      if (c == 0) continue;
      ++strict;
      agree += (c < 0) == (position[i] < position[j]);
    }
  }
  return {agree, strict};
}

}  // namespace

std::set<std::string> PatchPriority::chosen_controls(const json& response, const std::string& finding) const {
  std::set<std::string> offered;
  for (const auto& c : controls_) offered.insert(c.id);
  return ids_answer(response, "controls-" + finding, offered, "compensating controls for " + finding, "control");
}

std::vector<sdk::Credit> PatchPriority::score(std::uint64_t seed, const json& response) const {
  auto inv = inventory(seed);
  auto position = answered_order(response, inv);
  sdk::Credit order = sdk::Credit::none();
  if (!position.empty()) {
    auto [agree, strict] = agreement(*this, inv, position);
    order = strict == 0 ? sdk::Credit::full() : sdk::Credit::fraction(agree, strict);
  }

  std::set<std::string> required, chosen;
  bool forbidden = false;
  for (const auto& [id, controls] : key_controls(seed)) {
    for (const auto& c : controls) required.insert(id + "/" + c);
    for (const auto& c : chosen_controls(response, id)) {
      auto rule = rules_.find(c);
      if (rule->second == Rule::kForbidden) forbidden = true;
      if (rule->second != Rule::kOptional) chosen.insert(id + "/" + c);
    }
  }
  return {order, forbidden ? sdk::Credit::none() : selection_credit(required, chosen), sdk::Credit::of(!forbidden)};
}

json PatchPriority::solve(std::uint64_t seed) const {
  json out = {{"order", key_order(seed)}};
  for (const auto& [id, controls] : key_controls(seed))
    out["controls-" + id] = std::vector<std::string>(controls.begin(), controls.end());
  return out;
}

std::string PatchPriority::feedback(std::uint64_t seed, const json& response) const {
  auto inv = inventory(seed);
  auto position = answered_order(response, inv);
  std::string out;
  if (position.empty()) {
    out += "order: not answered\n";
  } else {
    auto [agree, strict] = agreement(*this, inv, position);
    out += "order: " + std::to_string(agree) + " of " + std::to_string(strict) +
           " pairs the policy decides are the right way round\n";
  }
  std::string scores;
  for (const auto& f : inv) scores += (scores.empty() ? "" : ", ") + f.id + " " + cvss::base_score(f.vector).to_fixed(1);
  out += "CVSS v3.1 base scores: " + scores + "\n";
  out += "the policy's order: " + id_list(key_order(seed)) + "\n";
  for (const auto& [id, controls] : key_controls(seed)) {
    auto marked = chosen_controls(response, id);
    for (const auto& c : controls_) {
      auto rule = rules_.at(c.id);
      bool req = controls.count(c.id) != 0, chose = marked.count(c.id) != 0;
      // Controls are named by the text the candidate saw, never by their ids.
      if (req && !chose) out += id + ": missed \"" + c.text + "\"\n";
      if (!req && chose && rule == Rule::kForbidden) {
        out += id + ": \"" + c.text +
               "\" is not allowed: the manufacturer does not let the hospital patch this asset (the unsafe error)\n";
      } else if (!req && chose && rule != Rule::kOptional) {
        out += id + ": \"" + c.text + "\" is not needed here\n";
      }
    }
  }
  return out;
}

}  // namespace assay::cyber
