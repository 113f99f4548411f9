// How `assay plugin-check` prints its report: each finding and a summary of the checks, or
// one JSON document that lists every check with its status.
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "assay/plugin_check.hpp"

namespace assay::plugincheck {

using nlohmann::json;

bool heuristic(const std::string& check) { return check == "key-leak"; }

namespace {

/// "prepare (3), key-leak (heuristic)": checks in the order they first ran, with their counts.
std::string check_list(const std::vector<const CheckRun*>& runs) {
  std::vector<std::string> order;
  std::map<std::string, int> count;
  for (const auto* r : runs)
    if (count[r->check]++ == 0) order.push_back(r->check);
  std::string out;
  for (const auto& c : order) {
    if (!out.empty()) out += ", ";
    out += c;
    if (count[c] > 1 && heuristic(c))
      out += fmt::format(" ({}, a heuristic)", count[c]);
    else if (count[c] > 1)
      out += fmt::format(" ({})", count[c]);
    else if (heuristic(c))
      out += " (a heuristic)";
  }
  return out;
}

}  // namespace

void write_report(const Report& report, bool as_json, std::ostream& out) {
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& r : report.runs) (r.status == "passed" ? passed : r.status == "failed" ? failed : skipped) += 1;
  if (as_json) {
    json checks = json::array();
    for (const auto& r : report.runs) {
      json c = {{"check", r.check}, {"item_type", r.item_type}, {"example", r.example}, {"status", r.status}};
      if (!r.reason.empty()) c["reason"] = r.reason;
      if (heuristic(r.check)) c["heuristic"] = true;
      checks.push_back(std::move(c));
    }
    json doc = {{"plugin", report.lib},
                {"name", report.plugin_name},
                {"version", report.plugin_version},
                {"ok", report.clean()},
                {"summary", {{"ran", report.checks}, {"passed", passed}, {"failed", failed}, {"skipped", skipped}}},
                {"checks", checks},
                {"findings", json::array()},
                {"warnings", report.warnings}};
    for (const auto& f : report.findings) {
      doc["findings"].push_back({{"check", f.check}, {"item_type", f.item_type}, {"example", f.example}, {"message", f.message}});
    }
    out << doc.dump(2) << '\n';
    return;
  }
  for (const auto& f : report.findings) out << f.text << '\n';
  for (const auto& w : report.warnings) out << w << '\n';
  if (report.clean()) {
    out << fmt::format("{}: plugin-check passed: {} checks, no findings\n", report.lib, report.checks);
  } else {
    out << fmt::format("{}: plugin-check failed: {} finding{} in {} checks\n", report.lib, report.findings.size(),
                       report.findings.size() == 1 ? "" : "s", report.checks);
  }
  std::vector<const CheckRun*> ran;
  std::vector<std::string> reasons;
  std::map<std::string, std::vector<const CheckRun*>> skipped_for;
  for (const auto& r : report.runs) {
    if (r.status != "skipped") {
      ran.push_back(&r);
    } else {
      if (skipped_for[r.reason].empty()) reasons.push_back(r.reason);
      skipped_for[r.reason].push_back(&r);
    }
  }
  if (!ran.empty()) out << "  ran: " << check_list(ran) << '\n';
  for (const auto& why : reasons) out << "  skipped: " << check_list(skipped_for[why]) << ": " << why << '\n';
}

}  // namespace assay::plugincheck
