#include "isolate.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>

#include "assay/plugins.hpp"

namespace assay::plugincheck::detail {

namespace {
std::mutex& send_mutex() {
  static std::mutex m;
  return m;
}

void write_all(int fd, const char* data, std::size_t len) {
  while (len > 0) {
    ssize_t n = ::write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    len -= static_cast<std::size_t>(n);
  }
}

}  // namespace

void Channel::send(char tag, const std::string& text) {
  std::string line;
  line.reserve(text.size() + 3);
  line += tag;
  line += ' ';
  for (char c : text) line += c == '\n' ? ' ' : c;
  line += '\n';
  std::lock_guard lock(send_mutex());
  write_all(fd_, line.data(), line.size());
}

void Channel::calling(const char* function) { send('C', function); }
void Channel::finding(const std::string& message) { send('F', message); }
void Channel::note(const std::string& text) { send('N', text); }

Outcome run_isolated(const std::string& check_name, double timeout_seconds, const std::function<void(Channel&)>& check) {
  Outcome outcome;
  int fds[2];
  if (::pipe(fds) != 0) {
    outcome.abnormal = fmt::format("check '{}' could not start: pipe: {}", check_name, std::strerror(errno));
    return outcome;
  }
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    outcome.abnormal = fmt::format("check '{}' could not start: fork: {}", check_name, std::strerror(errno));
    return outcome;
  }
  if (pid == 0) {
    // The child: default signal dispositions (so a crash is a signal the parent sees, even under
    // sanitizers), plugin output kept off stdout, and no return into the parent's code.
    ::close(fds[0]);
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGPIPE}) ::signal(sig, SIG_DFL);
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    Channel channel(fds[1]);
    try {
      check(channel);
      channel.calling("");
      write_all(fds[1], "D \n", 3);
    } catch (const std::exception& e) {
      channel.finding(fmt::format("the check itself failed: {}", e.what()));
      write_all(fds[1], "D \n", 3);
    } catch (...) {
      channel.finding("the check itself failed");
      write_all(fds[1], "D \n", 3);
    }
    ::_exit(0);
  }
  ::close(fds[1]);

  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_seconds));
  std::string buffer, last_call;
  bool timed_out = false;
  auto consume = [&] {
    std::size_t start = 0;
    for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n', start)) {
      std::string line = buffer.substr(start, nl - start);
      start = nl + 1;
      if (line.size() < 2) continue;
      std::string text = line.substr(2);
      if (line[0] == 'C') last_call = text;
      if (line[0] == 'F') outcome.findings.push_back(text);
      if (line[0] == 'N') outcome.notes.push_back(text);
      if (line[0] == 'D') outcome.completed = true;
    }
    buffer.erase(0, start);
  };
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    if (r == 0) continue;
    char chunk[4096];
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child finished or died
    buffer.append(chunk, static_cast<std::size_t>(n));
    consume();
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    outcome.completed = false;
    std::string fn = last_call.empty() ? "the check" : last_call;
    outcome.abnormal = fmt::format("hang: {} did not return within {:g} s (check '{}')", fn, timeout_seconds, check_name);
  } else if (WIFSIGNALED(status)) {
    outcome.completed = false;
    std::string where = last_call.empty() ? "" : fmt::format(" in {}", last_call);
    outcome.abnormal = fmt::format("crash: {}{} (check '{}')", plugins::signal_text(WTERMSIG(status)), where, check_name);
  } else if (!outcome.completed) {
    std::string where = last_call.empty() ? "" : fmt::format(" in {}", last_call);
    outcome.abnormal = fmt::format("crash: the process exited with status {}{} (check '{}')",
                                   WIFEXITED(status) ? WEXITSTATUS(status) : -1, where, check_name);
  }
  return outcome;
}

}  // namespace assay::plugincheck::detail
