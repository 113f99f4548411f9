// Item type `log-triage`: the candidate reads a Windows Security event log, selects the lines
// that belong to an attack (or an indicator of one) and names the ATT&CK techniques.
//
// The log is generated from the seed (hospital background activity plus the patterns listed in
// `patterns`) or given by the author in `log`; either way the key is what winlog::detect finds in
// it, with the thresholds in `thresholds`. Pass-the-hash lines are indicators: their selection is
// scored, naming T1550.002 is neither rewarded nor penalised.
#pragma once

#include <assay/sdk.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "winlog.hpp"

namespace assay::cyber {

class LogTriage {
 public:
  static constexpr const char* kName = "log-triage";
  static constexpr const char* kSummary = "select the attack lines in a Windows Security log and name the ATT&CK techniques";

  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static LogTriage prepare(const sdk::json& params);

  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  /// The log for `seed` (the author's log, or a generated one).
  std::vector<winlog::Event> log(std::uint64_t seed) const;

  struct Key {
    std::set<std::string> lines;       // line ids
    std::set<std::string> techniques;  // scored ATT&CK ids
    std::vector<winlog::Finding> findings;
  };
  Key key(std::uint64_t seed) const;

 private:
  struct Answer {
    std::set<std::string> lines, techniques;
  };
  /// The lines and techniques a response selects; one not in the log or not offered is malformed.
  Answer read(std::uint64_t seed, const sdk::json& response) const;

  std::optional<std::vector<winlog::Event>> fixed_;
  winlog::GeneratorSpec spec_;
  std::string context_;
  bool ask_technique_ = true;
};

}  // namespace assay::cyber
