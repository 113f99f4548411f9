// Judging a troubleshooting sequence: which actions a technician takes, in what order, against
// a required partial order, a safety isolation step, unsafe and wasteful actions.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace device {

struct OrderRules {
  std::vector<std::pair<std::string, std::string>> before;  // (a, b): a must be taken, and before b
  std::optional<std::string> isolation;                     // the make-safe action, if the item has one
  std::set<std::string> hazardous;                          // taken only after `isolation`
  std::set<std::string> unsafe;                             // must never be taken
  std::set<std::string> wasteful;                           // cost efficiency when taken
};

/// How a sequence fares. Definitions (the item type's criteria use them as they are):
/// - safe: no unsafe action is taken and, when the rules name an isolation action, it is taken
///   and comes before every hazardous action taken.
/// - pairs_kept / pairs_total: required pairs (a, b) with both taken and a before b.
/// - wasteful_taken / wasteful_total: wasteful actions taken, of those the rules list.
struct OrderJudgement {
  bool safe = true;
  std::vector<std::string> unsafe_taken;
  bool isolation_ok = true;
  std::size_t pairs_kept = 0, pairs_total = 0;
  std::vector<std::pair<std::string, std::string>> pairs_broken;
  std::size_t wasteful_taken = 0, wasteful_total = 0;
};

/// Judges `taken`, the actions taken in order (each id at most once).
OrderJudgement judge_order(const OrderRules& rules, const std::vector<std::string>& taken);

/// An action on a cycle of `before` (e.g. a before b before a), or nullopt if there is none.
std::optional<std::string> find_cycle(const std::vector<std::pair<std::string, std::string>>& before);

/// A sequence that earns full marks: every action except unsafe and wasteful ones, isolation
/// first, then in an order keeping every required pair (stable with respect to `actions`).
/// Requires an acyclic `before`.
std::vector<std::string> model_order(const OrderRules& rules, const std::vector<std::string>& actions);

}  // namespace device
