// Running one check in a forked child with a pipe back and a timeout.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace assay::plugincheck::detail {

/// What a check running in the child reports. Calls are thread-safe.
class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}
  /// Before each call into plugin code: names the function that may crash or hang.
  void calling(const char* function);
  void finding(const std::string& message);
  /// A fact for the parent that is not a finding (what a later, per-type check reads).
  void note(const std::string& text);

 private:
  void send(char tag, const std::string& text);
  int fd_;
};

struct Outcome {
  std::vector<std::string> findings;
  std::vector<std::string> notes;
  bool completed = false;  // the check ran to its end (findings may still be present)
  std::string abnormal;    // "crash: ..." or "hang: ..." when the child did not complete
};

/// Runs `check` in a child process; `check_name` only serves the messages.
Outcome run_isolated(const std::string& check_name, double timeout_seconds, const std::function<void(Channel&)>& check);

}  // namespace assay::plugincheck::detail
