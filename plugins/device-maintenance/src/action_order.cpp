#include "action_order.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace device {

OrderJudgement judge_order(const OrderRules& rules, const std::vector<std::string>& taken) {
  OrderJudgement j;
  std::map<std::string, std::size_t> pos;
  for (std::size_t i = 0; i < taken.size(); ++i) pos.emplace(taken[i], i);

  for (auto& id : taken) {
    if (rules.unsafe.count(id)) j.unsafe_taken.push_back(id);
  }
  if (rules.isolation) {
    auto iso = pos.find(*rules.isolation);
    if (iso == pos.end()) {
      j.isolation_ok = false;
    } else {
      for (auto& h : rules.hazardous) {
        auto it = pos.find(h);
        if (it != pos.end() && it->second < iso->second) j.isolation_ok = false;
      }
    }
  }
  j.safe = j.unsafe_taken.empty() && j.isolation_ok;

  j.pairs_total = rules.before.size();
  for (auto& [a, b] : rules.before) {
    auto pa = pos.find(a), pb = pos.find(b);
    if (pa != pos.end() && pb != pos.end() && pa->second < pb->second) {
      ++j.pairs_kept;
    } else {
      j.pairs_broken.emplace_back(a, b);
    }
  }
  j.wasteful_total = rules.wasteful.size();
  for (auto& w : rules.wasteful) j.wasteful_taken += pos.count(w);
  return j;
}

std::optional<std::string> find_cycle(const std::vector<std::pair<std::string, std::string>>& before) {
  std::map<std::string, std::vector<std::string>> next;
  for (auto& [a, b] : before) next[a].push_back(b);
  std::map<std::string, int> state;  // 0 unseen, 1 on the stack, 2 done
  // Iterative depth-first search; the first node seen twice on the stack lies on a cycle.
  for (auto& [start, _] : next) {
    if (state[start] != 0) continue;
    std::vector<std::pair<std::string, std::size_t>> stack = {{start, 0}};
    state[start] = 1;
    while (!stack.empty()) {
      auto& [node, i] = stack.back();
      auto& out = next[node];
      if (i < out.size()) {
        std::string child = out[i++];
        if (state[child] == 1) return child;
        if (state[child] == 0) {
          state[child] = 1;
          stack.emplace_back(child, 0);
        }
      } else {
        state[node] = 2;
        stack.pop_back();
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> model_order(const OrderRules& rules, const std::vector<std::string>& actions) {
  std::vector<std::string> pending;
  for (auto& a : actions) {
    if (!rules.unsafe.count(a) && !rules.wasteful.count(a)) pending.push_back(a);
  }
  auto edges = rules.before;
  if (rules.isolation) {
    for (auto& a : pending) {
      if (a != *rules.isolation) edges.emplace_back(*rules.isolation, a);
    }
  }
  std::vector<std::string> out;
  // Kahn's algorithm, always taking the first ready action in presented order.
  while (!pending.empty()) {
    auto ready = std::find_if(pending.begin(), pending.end(), [&](const std::string& a) {
      return std::none_of(edges.begin(), edges.end(), [&](const auto& e) {
        return e.second == a && std::find(pending.begin(), pending.end(), e.first) != pending.end();
      });
    });
    if (ready == pending.end()) throw std::logic_error("model_order: the required order has a cycle");
    out.push_back(*ready);
    pending.erase(ready);
  }
  return out;
}

}  // namespace device
