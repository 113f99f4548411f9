// Group commit, as both stores write candidates' saves (core/store/group_commit.hpp): every save
// is written exactly once and before its caller goes on, by at most the allowed number of writers
// at once, saves that wait go together, and a group's failure is its members' alone.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "store/group_commit.hpp"

namespace group_commit_test {

struct Pending {
  int id = 0;
  bool poison = false;  // the group holding it fails
  int written = 0;      // times a group held it
  int group = -1;       // the group that held it
};

struct Log {
  std::atomic<int> in_flight{0};
  std::atomic<int> most_in_flight{0};
  std::atomic<int> groups{0};
  std::atomic<int> largest{0};
  std::mutex mu;
  std::set<int> failed_groups;
};

/// Raises `most` to `value` when it is below, whatever other threads do meanwhile.
void raise_to(std::atomic<int>& most, int value) {
  int seen = most.load();
  while (value > seen && !most.compare_exchange_weak(seen, value)) {
  }
}

void write(Log& log, std::vector<Pending*>& group) {
  raise_to(log.most_in_flight, ++log.in_flight);
  int number = log.groups++;
  raise_to(log.largest, static_cast<int>(group.size()));
  bool poisoned = false;
  for (auto* p : group) {
    ++p->written;
    p->group = number;
    poisoned = poisoned || p->poison;
  }
  std::this_thread::sleep_for(std::chrono::microseconds(300));
  --log.in_flight;
  if (poisoned) {
    std::lock_guard lock(log.mu);
    log.failed_groups.insert(number);
    throw std::runtime_error("this group failed");
  }
}

TEST_CASE("a group commit writes each save once before it returns, by no more writers than allowed", "[group-commit]") {
  for (std::size_t writers : {std::size_t{1}, std::size_t{2}}) {
    CAPTURE(writers);
    assay::serve::GroupCommit<Pending> commit(writers);
    Log log;
    constexpr int kThreads = 16, kEach = 150;
    std::vector<std::vector<Pending>> pending(kThreads, std::vector<Pending>(kEach));
    std::atomic<int> early{0}, thrown{0}, wrong_failure{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          auto& p = pending[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)];
          p.id = t * kEach + i;
          p.poison = p.id % 97 == 0;
          bool failed = false;
          try {
            commit.commit(p, [&](std::vector<Pending*>& group) { write(log, group); });
          } catch (const std::runtime_error&) {
            failed = true;
            ++thrown;
          }
          if (p.written != 1) ++early;
          // It failed exactly when the group that held it failed.
          std::lock_guard lock(log.mu);
          if (failed != (log.failed_groups.count(p.group) == 1)) ++wrong_failure;
        }
      });
    for (auto& th : threads) th.join();
    CHECK(early == 0);
    CHECK(wrong_failure == 0);
    CHECK(thrown > 0);
    CHECK(log.most_in_flight <= static_cast<int>(writers));
    // Sixteen threads saving against a writer that takes a while: saves went together.
    CHECK(log.largest > 1);
    CHECK(log.groups < kThreads * kEach);
    for (const auto& row : pending)
      for (const auto& p : row) REQUIRE(p.written == 1);
  }
}

TEST_CASE("a save queued behind a busy writer is written when it is done, with nothing arriving after it", "[group-commit]") {
  for (std::size_t writers : {std::size_t{1}, std::size_t{2}}) {
    CAPTURE(writers);
    assay::serve::GroupCommit<Pending> commit(writers);
    // The writers' places are taken by saves whose writes last until the last save has queued.
    std::atomic<int> busy{0};
    std::atomic<bool> queued{false};
    std::vector<Pending> first(writers);
    Pending last;
    std::vector<std::thread> threads;
    for (auto& p : first)
      threads.emplace_back([&] {
        commit.commit(p, [&](std::vector<Pending*>& group) {
          ++busy;
          while (!queued) std::this_thread::yield();
          std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the last save waits in the queue
          for (auto* q : group) ++q->written;
        });
      });
    while (busy.load() < static_cast<int>(writers)) std::this_thread::yield();
    std::thread late([&] {
      queued = true;
      commit.commit(last, [&](std::vector<Pending*>& group) {
        for (auto* q : group) ++q->written;
      });
    });
    late.join();  // hangs if no writer's place is handed on to it
    for (auto& th : threads) th.join();
    CHECK(last.written == 1);
    for (const auto& p : first) CHECK(p.written == 1);
  }
}

}  // namespace group_commit_test
