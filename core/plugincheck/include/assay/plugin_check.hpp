// `assay plugin-check`: the conformance check a plugin author runs before shipping.
//
// The file is inspected and loaded as `assay plugins` would (a refusal is a finding). Each check
// of each example then runs in a forked child process that reports through a pipe, so a crash
// (a signal) or a hang (past the timeout; the child is killed) is reported as a finding naming
// the check, the item type, the example and the plugin function that was running.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace assay::plugincheck {

struct Options {
  double timeout_seconds = 10.0;  // per check and example
  int seeds = 50;                 // seeds for score(solve(seed)), the example's own included
};

struct Finding {
  std::string check;  // "load", "metadata", "prepare", "examples", "malformed", "solve", "determinism", "threads", "key-flip",
                      // "key-leak", "presentation", "generated-material"
  std::string item_type;  // "" for the plugin as a whole
  std::string example;    // "" unless the finding concerns one example
  std::string message;    // what is wrong, without the location prefix
  std::string text;       // the full text printed: "LIB: error: TYPE example 'NAME': MESSAGE" (+ hint lines)
};

/// One check as it ran, or why it did not: `--json` lists every one, the text summary counts them.
struct CheckRun {
  std::string check;      // as Finding::check
  std::string item_type;  // "" for the plugin as a whole
  std::string example;    // "" unless the check concerns one example
  std::string status;     // "passed", "failed" or "skipped"
  std::string reason;     // why it was skipped; "" otherwise
};

/// The checks that are heuristics: they can miss, and their findings say so.
bool heuristic(const std::string& check);

struct Report {
  std::string lib;  // the path as given
  std::string plugin_name, plugin_version;
  int checks = 0;  // checks run (metadata counts as one), skipped ones not counted
  std::vector<CheckRun> runs;
  std::vector<Finding> findings;
  std::vector<std::string> warnings;  // full texts: "LIB: warning: ..."; they do not fail the check
  bool clean() const { return findings.empty(); }
};

/// Runs every check on one plugin file. Never throws for anything the plugin does.
Report run_plugin_check(const std::filesystem::path& lib, const Options& options);

/// Prints each finding and a summary line, or (as_json) one JSON document.
void write_report(const Report& report, bool as_json, std::ostream& out);

}  // namespace assay::plugincheck
