// The worker processes of an isolated registry: the host side (Pool) and the wire between them.
//
// One process, the zygote, is forked when the registry is isolated, while the host is still one
// thread; it does nothing but fork workers on request and report how they ended. Each worker is a
// fork of the zygote: it has the plugins loaded already, prepares the items it is asked about
// (keeping them by params), and answers one request at a time on a socket of its own. A host
// thread takes a free worker, sends one request, and waits for the answer up to the time limit.
// A worker that dies or overruns is stopped and reaped, and the call fails with what happened;
// the next call starts a new worker.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "assay/plugins.hpp"

namespace assay::plugins::detail {

enum class Op : std::uint8_t { kPrepare = 1, kPresent, kSolve, kFeedback, kScore, kScoreBatch };

/// An item prepared in the workers: which type, and the params each worker prepares it from.
struct Remote {
  Pool* pool;
  std::uint32_t type;
  std::string params;
};

class Pool {
 public:
  /// Forks the zygote. Throws std::runtime_error when it cannot.
  Pool(std::vector<const ItemType*> types, const IsolationOptions& options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Prepares the item in a worker, to check the params; the item is then prepared again by each
  /// worker that is asked about it.
  Expected<PreparedItem, CallError> prepare(const ItemType& type, std::string_view params);
  Expected<std::string, CallError> text(Op op, const Remote& item, std::uint64_t seed, std::string_view response);
  Expected<std::vector<assay_credit>, CallError> score(const Remote& item, std::uint64_t seed, std::string_view response);
  assay_status score_batch(const Remote& item, std::span<const std::uint64_t> seeds, std::span<const std::string_view> responses,
                           std::span<assay_credit> credits, std::span<assay_status> statuses);

 private:
  struct Worker {
    int fd = -1;
    pid_t pid = 0;
  };
  /// What came back: the answer's bytes, or why there is none ("crashed ...", "did not return ...").
  struct Reply {
    std::string bytes;
    std::string abnormal;
  };

  Reply call(const std::string& request);
  Expected<Worker, std::string> acquire();
  void release(Worker worker);
  void discard(Worker worker, bool kill_it, std::string& why);
  Expected<Worker, std::string> spawn();
  /// One score, or what stopped it; `hung` tells a time-out from the other failures.
  Expected<std::vector<assay_credit>, CallError> score_one(const Remote& item, std::uint64_t seed, std::string_view response,
                                                           bool& hung);
  CallError abnormal_error(const Remote& item, const char* function, const std::string& abnormal) const;
  std::optional<CallError> remembered(const std::string& key);
  void remember(std::string key, CallError error);

  std::vector<const ItemType*> types_;
  std::unordered_map<const ItemType*, std::uint32_t> index_;
  IsolationOptions options_;
  int zygote_fd_ = -1;
  pid_t zygote_pid_ = 0;
  std::mutex zygote_mutex_;  // one request to the zygote at a time

  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<Worker> idle_;
  unsigned running_ = 0;  // workers started and not discarded

  std::mutex failures_mutex_;
  std::map<std::string, CallError> failures_;  // single scores that crashed or hung, by request
};

}  // namespace assay::plugins::detail
