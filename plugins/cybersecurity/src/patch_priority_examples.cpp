// patch-priority's examples: an author's inventory checked by hand, and generated ones, with the
// credit each response earns and the responses the type refuses as malformed.
#include "patch_priority.hpp"

namespace assay::cyber {

using sdk::json;

std::vector<sdk::Example> PatchPriority::examples() {
  using sdk::Credit;
  std::vector<sdk::Example> out;
  {
    // Hand-checked: B and C are known exploited (B internet-facing first); A and G tie on exposure
    // and score (9.8) and criticality puts A first; then F 8.1, D 7.8; E is segmented, so last.
    sdk::Example ex;
    ex.name = "an author's inventory with two devices the manufacturer locks";
    ex.params = {{"policy", {"known-exploited", "exposure", "cvss", "clinical-criticality"}},
                 {"inventory",
                  {{{"id", "A"},
                    {"asset", "EHR-APP01"},
                    {"kind", "server"},
                    {"vulnerability", "SMBv1 remote code execution"},
                    {"vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                    {"known_exploited", false},
                    {"exposure", "internal"},
                    {"criticality", "high"},
                    {"patchable", true}},
                   {{"id", "B"},
                    {"asset", "PORTAL01"},
                    {"kind", "server"},
                    {"vulnerability", "information disclosure"},
                    {"vector", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N"},
                    {"known_exploited", true},
                    {"exposure", "internet"},
                    {"criticality", "medium"},
                    {"patchable", true}},
                   {{"id", "C"},
                    {"asset", "PUMP-W4-07"},
                    {"kind", "medical-device"},
                    {"vulnerability", "Telnet hard-coded password"},
                    {"vector", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                    {"known_exploited", true},
                    {"exposure", "internal"},
                    {"criticality", "high"},
                    {"patchable", false},
                    {"service_needed", false}},
                   {{"id", "D"},
                    {"asset", "WS-ADM-05"},
                    {"kind", "workstation"},
                    {"vulnerability", "local privilege escalation"},
                    {"vector", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"},
                    {"known_exploited", false},
                    {"exposure", "internal"},
                    {"criticality", "low"},
                    {"patchable", true}},
                   {{"id", "E"},
                    {"asset", "MRI-01"},
                    {"kind", "medical-device"},
                    {"vulnerability", "weak TLS on the web interface"},
                    {"vector", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"},
                    {"known_exploited", false},
                    {"exposure", "segmented"},
                    {"criticality", "high"},
                    {"patchable", false},
                    {"service_needed", true}},
                   {{"id", "F"},
                    {"asset", "LAB-IF01"},
                    {"kind", "server"},
                    {"vulnerability", "certificate spoofing"},
                    {"vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N"},
                    {"known_exploited", false},
                    {"exposure", "internal"},
                    {"criticality", "medium"},
                    {"patchable", true}},
                   {{"id", "G"},
                    {"asset", "WS-ICU-04"},
                    {"kind", "workstation"},
                    {"vulnerability", "SMBv1 remote code execution"},
                    {"vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                    {"known_exploited", false},
                    {"exposure", "internal"},
                    {"criticality", "low"},
                    {"patchable", true}}}}};
    ex.alt_secret = {{"control_rules",
                      {{"segment", "always"},
                       {"disable-service", "optional"},
                       {"monitor", "always"},
                       {"vendor", "always"},
                       {"patch", "forbidden"}}}};
    ex.seed = 3;
    ex.responses = {
        {"the key",
         {{"order", {"B", "C", "A", "G", "F", "D", "E"}},
          {"controls-C", {"segment", "disable-service", "monitor"}},
          {"controls-E", {"monitor"}}},
         {Credit::full(), Credit::full(), Credit::full()}},
        {"by score alone, patching the pump",
         {{"order", {"A", "G", "C", "F", "D", "E", "B"}}, {"controls-C", {"patch", "monitor"}}, {"controls-E", {"monitor"}}},
         // Hand count over the 21 pairs: B is put last (6 pairs wrong), C after A and G
         // (2 wrong); the other 13 agree.
         {Credit{13, 21}, Credit::none(), Credit::none()}}};
    ex.malformed = {{"a finding left out of the order", {{"order", {"B", "C", "A", "G", "F", "D"}}}},
                    {"a control the hospital does not list", {{"controls-C", {"segment", "firewall"}}}}};
    out.push_back(ex);
  }
  {
    sdk::Example ex;
    ex.name = "a generated inventory ordered by score, then criticality";
    ex.params = {{"policy", {"cvss", "clinical-criticality"}}, {"generate", {{"findings", {{"min", 5}, {"max", 7}}}}}};
    ex.alt_secret = {{"control_rules",
                      {{"segment", "always"},
                       {"disable-service", "forbidden"},
                       {"monitor", "optional"},
                       {"vendor", "always"},
                       {"patch", "forbidden"}}}};
    ex.seed = 21;
    auto item = prepare(ex.params);
    // Reversing the policy's order turns every strictly ordered pair round; patching a device the
    // manufacturer locks forfeits the controls.
    auto key = item.key_order(ex.seed);
    json reversed = {{"order", json(std::vector<std::string>(key.rbegin(), key.rend()))}};
    for (const auto& [id, controls] : item.key_controls(ex.seed)) reversed["controls-" + id] = {"patch", "monitor"};
    ex.responses = {{"the key", item.solve(ex.seed), {Credit::full(), Credit::full(), Credit::full()}},
                    {"the reverse order, patching the devices", reversed, {Credit::none(), Credit::none(), Credit::none()}}};
    out.push_back(ex);
  }
  return out;
}

}  // namespace assay::cyber
