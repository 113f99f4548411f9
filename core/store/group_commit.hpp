// Group commit, as both stores write candidates' saves: the saves that arrive while groups are
// being written wait, and go together in the next group (one transaction, one commit for all).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <vector>

namespace assay::serve {

/// At most `writers` groups are written at once; a save waits for the group that holds it and is
/// woken by it alone (not by every group written meanwhile). The thread of a queued save writes
/// the next group, so no thread is kept for it.
template <class Pending>
class GroupCommit {
 public:
  explicit GroupCommit(std::size_t writers) : writers_(writers) {}

  /// Queues `mine` and returns once `write` has written a group holding it; rethrows what `write`
  /// threw for that group. `write(std::vector<Pending*>&)` runs without the queue's lock held.
  template <class Write>
  void commit(Pending& mine, Write&& write) {
    Waiter me(&mine);
    std::unique_lock lock(mu_);
    queue_.push_back(&me);
    if (writing_ < writers_) {
      ++writing_;
      me.lead = true;
    }
    for (;;) {
      me.woken.wait(lock, [&] { return me.done || me.lead; });
      if (!me.lead) break;
      // A writer's place is this thread's: the group is the queue as it is now, this save in it,
      // unless another writer took it meanwhile.
      me.lead = false;
      if (!me.claimed) write_queue(lock, write);
      --writing_;
      hand_on();
      if (me.done) break;
    }
    if (me.failure) std::rethrow_exception(me.failure);
  }

 private:
  struct Waiter {
    explicit Waiter(Pending* p) : pending(p) {}
    Pending* pending;
    std::condition_variable woken;
    bool claimed = false;  // in a group being written
    bool lead = false;     // holds a writer's place: writes the next group
    bool done = false;
    std::exception_ptr failure;
  };

  template <class Write>
  void write_queue(std::unique_lock<std::mutex>& lock, Write& write) {
    std::vector<Waiter*> group;
    group.swap(queue_);
    std::vector<Pending*> pending;
    pending.reserve(group.size());
    for (auto* w : group) {
      w->claimed = true;
      pending.push_back(w->pending);
    }
    lock.unlock();
    std::exception_ptr failure;
    try {
      write(pending);
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    // Under the lock: a waiter returns (and its condition variable goes) only once it holds it.
    // The writing thread's own waiter is not waiting: its notification is lost, as it may be.
    for (auto* w : group) {
      w->failure = failure;
      w->done = true;
      w->woken.notify_one();
    }
  }

  /// A free writer's place goes to the first queued save not given one yet: its thread writes the
  /// next group.
  void hand_on() {
    if (writing_ >= writers_) return;
    for (auto* w : queue_) {
      if (w->lead) continue;
      ++writing_;
      w->lead = true;
      w->woken.notify_one();
      return;
    }
  }

  const std::size_t writers_;
  std::mutex mu_;
  std::vector<Waiter*> queue_;
  std::size_t writing_ = 0;
};

}  // namespace assay::serve
