// Plugin calls in worker processes (pool.hpp). The wire between host and worker is private to
// this file: a request or an answer is one frame, a 32-bit length and then the fields in this
// machine's byte order (both ends are the same binary).
//
//   request: op u8, type u32, params str, n u32, then n times (seed u64, response str)
//   answer:  status i32, message str, pointer str, written u8, then when the status is ok:
//            text str (present, solve, feedback) | k u32, k credits (score)
//            | n u32, n statuses i32, m u32, m credits (score_batch)
//   str: length u32 and the bytes; credit: numerator u64, denominator u64
#include "pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace assay::plugins::detail {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kMaxFrame = 1u << 30;
constexpr std::size_t kMaxPreparedPerWorker = 4096;
constexpr std::size_t kMaxRemembered = 1000;
constexpr unsigned kHangsBeforeGivingUp = 3;
constexpr int kChannelFd = 3;  // where the zygote and each worker keep their socket

// ---- the wire ------------------------------------------------------------------------------

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void i32(std::int32_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void credit(const assay_credit& c) {
    u64(c.numerator);
    u64(c.denominator);
  }
  std::string& bytes() { return out_; }

 private:
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

/// Reads fields until one is short; then every later read gives zero and ok() is false.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }
  std::uint8_t u8() { return fixed<std::uint8_t>(); }
  std::uint32_t u32() { return fixed<std::uint32_t>(); }
  std::int32_t i32() { return fixed<std::int32_t>(); }
  std::uint64_t u64() { return fixed<std::uint64_t>(); }
  std::string_view str() {
    std::uint32_t n = u32();
    if (!ok_ || n > in_.size()) return fail<std::string_view>();
    auto s = in_.substr(0, n);
    in_.remove_prefix(n);
    return s;
  }
  assay_credit credit() {
    assay_credit c{};
    c.numerator = u64();
    c.denominator = u64();
    return c;
  }

 private:
  template <class T>
  T fail() {
    ok_ = false;
    in_ = {};
    return T{};
  }
  template <class T>
  T fixed() {
    if (!ok_ || in_.size() < sizeof(T)) return fail<T>();
    T v;
    std::memcpy(&v, in_.data(), sizeof v);
    in_.remove_prefix(sizeof v);
    return v;
  }
  std::string_view in_;
  bool ok_ = true;
};

void put_error(Writer& out, assay_status status, std::string_view message, std::string_view pointer, bool written = true) {
  out.i32(status);
  out.str(message);
  out.str(pointer);
  out.u8(written ? 1 : 0);
}

void put_error(Writer& out, const CallError& e) { put_error(out, e.status, e.message, e.pointer, e.plugin_message); }

void put_ok(Writer& out) { put_error(out, ASSAY_STATUS_OK, "", ""); }

/// The status, message and pointer at the head of an answer; ok when the call succeeded.
std::optional<CallError> take_error(Reader& in) {
  auto status = static_cast<assay_status>(in.i32());
  auto message = in.str();
  auto pointer = in.str();
  bool written = in.u8() != 0;
  if (!in.ok()) return CallError{ASSAY_STATUS_INTERNAL, "a plugin worker sent an answer that could not be read", ""};
  if (status == ASSAY_STATUS_OK) return std::nullopt;
  return CallError{status, std::string(message), std::string(pointer), written};
}

// ---- frames on a socket --------------------------------------------------------------------

enum class Io { kOk, kClosed, kTimedOut };

int millis_left(std::optional<Clock::time_point> deadline) {
  if (!deadline) return -1;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

/// Waits until `fd` is ready for `events`; kTimedOut once the deadline has passed.
Io wait_for(int fd, short events, std::optional<Clock::time_point> deadline) {
  for (;;) {
    int ms = millis_left(deadline);
    if (deadline && ms == 0 && Clock::now() >= *deadline) return Io::kTimedOut;
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, ms);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Io::kClosed;
    if (r > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0 ? Io::kOk : Io::kClosed;
  }
}

Io send_all(int fd, const char* data, std::size_t len, std::optional<Clock::time_point> deadline) {
  while (len > 0) {
    ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data += n;
      len -= static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (auto w = wait_for(fd, POLLOUT, deadline); w != Io::kOk) return w;
      continue;
    }
    return Io::kClosed;
  }
  return Io::kOk;
}

Io recv_all(int fd, char* data, std::size_t len, std::optional<Clock::time_point> deadline) {
  while (len > 0) {
    ssize_t n = ::recv(fd, data, len, MSG_DONTWAIT);
    if (n > 0) {
      data += n;
      len -= static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0) return Io::kClosed;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (auto w = wait_for(fd, POLLIN, deadline); w != Io::kOk) return w;
      continue;
    }
    return Io::kClosed;
  }
  return Io::kOk;
}

Io send_frame(int fd, std::string_view payload, std::optional<Clock::time_point> deadline) {
  auto len = static_cast<std::uint32_t>(payload.size());
  if (auto r = send_all(fd, reinterpret_cast<const char*>(&len), sizeof len, deadline); r != Io::kOk) return r;
  return send_all(fd, payload.data(), payload.size(), deadline);
}

Io recv_frame(int fd, std::string& payload, std::optional<Clock::time_point> deadline) {
  std::uint32_t len = 0;
  if (auto r = recv_all(fd, reinterpret_cast<char*>(&len), sizeof len, deadline); r != Io::kOk) return r;
  if (len > kMaxFrame) return Io::kClosed;
  payload.resize(len);
  return recv_all(fd, payload.data(), len, deadline);
}

// ---- the worker ----------------------------------------------------------------------------

/// One request, answered with the worker's own prepared copy of the item.
std::string answer(std::string_view request, const std::vector<const ItemType*>& types,
                   std::unordered_map<std::string, PreparedItem>& items) {
  Writer out;
  Reader in(request);
  auto op = static_cast<Op>(in.u8());
  std::uint32_t type = in.u32();
  std::string_view params = in.str();
  std::uint32_t n = in.u32();
  std::vector<std::uint64_t> seeds;
  std::vector<std::string_view> responses;
  if (in.ok() && n <= request.size()) {
    seeds.reserve(n);
    responses.reserve(n);
    for (std::uint32_t i = 0; i < n && in.ok(); ++i) {
      seeds.push_back(in.u64());
      responses.push_back(in.str());
    }
  }
  if (!in.done() || type >= types.size() || seeds.size() != n || (op != Op::kScoreBatch && op != Op::kPrepare && n != 1)) {
    put_error(out, ASSAY_STATUS_INTERNAL, "a plugin worker received a request it could not read", "");
    return std::move(out.bytes());
  }
  std::string key(reinterpret_cast<const char*>(&type), sizeof type);
  key += params;
  auto it = items.find(key);
  if (it == items.end()) {
    if (items.size() >= kMaxPreparedPerWorker) items.clear();
    auto prepared = types[type]->prepare(params);
    if (!prepared) {
      put_error(out, prepared.error());
      return std::move(out.bytes());
    }
    it = items.emplace(std::move(key), std::move(prepared.value())).first;
  }
  const PreparedItem& item = it->second;
  auto text_answer = [&](const Expected<std::string, CallError>& r) {
    if (!r) return put_error(out, r.error());
    put_ok(out);
    out.str(r.value());
  };
  switch (op) {
    case Op::kPrepare:
      put_ok(out);
      break;
    case Op::kPresent:
      text_answer(item.present(seeds[0]));
      break;
    case Op::kSolve:
      text_answer(item.solve(seeds[0]));
      break;
    case Op::kFeedback:
      text_answer(item.feedback(seeds[0], responses[0]));
      break;
    case Op::kScore: {
      auto r = item.score_verbose(seeds[0], responses[0]);
      if (!r) {
        put_error(out, r.error());
        break;
      }
      put_ok(out);
      out.u32(static_cast<std::uint32_t>(r.value().size()));
      for (const auto& c : r.value()) out.credit(c);
      break;
    }
    case Op::kScoreBatch: {
      std::size_t k = item.type().n_criteria();
      std::vector<assay_credit> credits(n * k, assay_credit{0, 1});
      std::vector<assay_status> statuses(n, ASSAY_STATUS_INTERNAL);
      assay_status status = item.score_batch(seeds, responses, credits, statuses);
      if (status != ASSAY_STATUS_OK) {
        put_error(out, status, "", "");
        break;
      }
      put_ok(out);
      out.u32(n);
      for (auto s : statuses) out.i32(s);
      out.u32(static_cast<std::uint32_t>(credits.size()));
      for (const auto& c : credits) out.credit(c);
      break;
    }
    default:
      put_error(out, ASSAY_STATUS_INTERNAL, "a plugin worker received a request it could not read", "");
  }
  return std::move(out.bytes());
}

[[noreturn]] void worker_main(int fd, const std::vector<const ItemType*>& types) {
  std::unordered_map<std::string, PreparedItem> items;
  std::string request;
  for (;;) {
    if (recv_frame(fd, request, std::nullopt) != Io::kOk) ::_exit(0);
    std::string reply;
    try {
      reply = answer(request, types, items);
    } catch (...) {  // out of memory in the worker's own code: say so rather than die
      Writer out;
      put_error(out, ASSAY_STATUS_INTERNAL, "a plugin worker ran out of memory", "");
      reply = std::move(out.bytes());
    }
    if (send_frame(fd, reply, std::nullopt) != Io::kOk) ::_exit(0);
  }
}

/// What a forked child of the host or of the zygote does first: die with its parent, see its
/// own crashes as signals (not the sanitizers' or the host's handlers), keep one socket at
/// kChannelFd and no other descriptor but the standard three, and keep stdout for the host.
void become_child(pid_t parent, int channel) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(0);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) ::signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (channel != kChannelFd) ::dup2(channel, kChannelFd);
  ::close_range(kChannelFd + 1, ~0u, 0);
  ::fcntl(kChannelFd, F_SETFD, 0);
}

// ---- the zygote ----------------------------------------------------------------------------
// It allocates nothing: the host may have had other threads when it was forked.

constexpr std::size_t kMaxChildren = 1024;

ssize_t recv_command(int fd, char* buf, std::size_t len, int& passed_fd) {
  passed_fd = -1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  iovec iov{buf, len};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(fd, &msg, 0);
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) std::memcpy(&passed_fd, CMSG_DATA(c), sizeof(int));
    }
  }
  return n;
}

[[noreturn]] void zygote_main(const std::vector<const ItemType*>& types) {
  pid_t children[kMaxChildren];
  std::size_t n_children = 0;
  const pid_t self = ::getpid();
  for (;;) {
    char command[1 + sizeof(pid_t)];
    int passed = -1;
    ssize_t got = recv_command(kChannelFd, command, sizeof command, passed);
    if (got <= 0) {  // the host is gone or closed the pool: so are the workers
      for (std::size_t i = 0; i < n_children; ++i) ::kill(children[i], SIGKILL);
      for (std::size_t i = 0; i < n_children; ++i) ::waitpid(children[i], nullptr, 0);
      ::_exit(0);
    }
    if (command[0] == 'S' && passed >= 0) {
      std::int64_t reply = -EAGAIN;
      if (n_children < kMaxChildren) {
        pid_t pid = ::fork();
        if (pid == 0) {
          become_child(self, passed);
          worker_main(kChannelFd, types);
        }
        reply = pid > 0 ? pid : -errno;
        if (pid > 0) children[n_children++] = pid;
      }
      ::close(passed);
      ::send(kChannelFd, &reply, sizeof reply, MSG_NOSIGNAL);
    } else if (command[0] == 'W' && got == static_cast<ssize_t>(sizeof command)) {
      pid_t pid;
      std::memcpy(&pid, command + 1, sizeof pid);
      int status = 0;
      bool known = std::find(children, children + n_children, pid) != children + n_children;
      if (known) {
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        *std::find(children, children + n_children, pid) = children[n_children - 1];
        --n_children;
      }
      ::send(kChannelFd, &status, sizeof status, MSG_NOSIGNAL);
    } else if (passed >= 0) {
      ::close(passed);
    }
  }
}

std::string ended_text(int status) {
  if (WIFSIGNALED(status)) return "crashed its worker process (" + signal_text(WTERMSIG(status)) + ")";
  if (WIFEXITED(status)) return fmt::format("ended its worker process with exit status {}", WEXITSTATUS(status));
  return "ended its worker process";
}

void request_head(Writer& out, Op op, const Remote& item, std::uint32_t n) {
  out.u8(static_cast<std::uint8_t>(op));
  out.u32(item.type);
  out.str(item.params);
  out.u32(n);
}

/// A request about one seed and response; a single score's is also its key among remembered failures.
std::string one_request(Op op, const Remote& item, std::uint64_t seed, std::string_view response) {
  Writer out;
  request_head(out, op, item, 1);
  out.u64(seed);
  out.str(response);
  return std::move(out.bytes());
}

}  // namespace

// ---- the host ------------------------------------------------------------------------------

Pool::Pool(std::vector<const ItemType*> types, const IsolationOptions& options) : types_(std::move(types)), options_(options) {
  for (std::uint32_t i = 0; i < types_.size(); ++i) index_.emplace(types_[i], i);
  options_.workers = options_.worker_count();
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    throw std::runtime_error(fmt::format("cannot start the plugin worker processes: socketpair: {}", std::strerror(errno)));
  const pid_t host = ::getpid();
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    int e = errno;
    ::close(sv[0]);
    ::close(sv[1]);
    throw std::runtime_error(fmt::format("cannot start the plugin worker processes: fork: {}", std::strerror(e)));
  }
  if (pid == 0) {
    become_child(host, sv[1]);
    zygote_main(types_);
  }
  ::close(sv[1]);
  zygote_fd_ = sv[0];
  zygote_pid_ = pid;
}

Pool::~Pool() {
  for (const auto& w : idle_) ::close(w.fd);  // each worker ends when its socket closes
  ::close(zygote_fd_);                        // and the zygote, reaping them all
  while (::waitpid(zygote_pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

Expected<Pool::Worker, std::string> Pool::spawn() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return fmt::format("could not start a worker process (socketpair: {})", std::strerror(errno));
  std::int64_t reply = 0;
  {
    std::lock_guard lock(zygote_mutex_);
    char command = 'S';
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    iovec iov{&command, 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &sv[1], sizeof(int));
    ssize_t sent = ::sendmsg(zygote_fd_, &msg, MSG_NOSIGNAL);
    ssize_t got = sent == 1 ? ::recv(zygote_fd_, &reply, sizeof reply, 0) : -1;
    if (got != static_cast<ssize_t>(sizeof reply)) reply = 0;
  }
  ::close(sv[1]);
  if (reply <= 0) {
    ::close(sv[0]);
    return reply == 0 ? std::string("could not start a worker process (the process that starts them has stopped)")
                      : fmt::format("could not start a worker process (fork: {})", std::strerror(static_cast<int>(-reply)));
  }
  return Worker{sv[0], static_cast<pid_t>(reply)};
}

Expected<Pool::Worker, std::string> Pool::acquire() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [&] { return !idle_.empty() || running_ < options_.workers; });
  if (!idle_.empty()) {
    Worker w = idle_.back();
    idle_.pop_back();
    return w;
  }
  ++running_;
  lock.unlock();
  auto w = spawn();
  if (!w) {
    lock.lock();
    --running_;
    freed_.notify_one();
  }
  return w;
}

void Pool::release(Worker worker) {
  std::lock_guard lock(mutex_);
  idle_.push_back(worker);
  freed_.notify_one();
}

void Pool::discard(Worker worker, bool kill_it, std::string& why) {
  if (kill_it) ::kill(worker.pid, SIGKILL);
  ::close(worker.fd);
  int status = 0;
  {
    std::lock_guard lock(zygote_mutex_);
    char command[1 + sizeof(pid_t)] = {'W'};
    std::memcpy(command + 1, &worker.pid, sizeof worker.pid);
    if (::send(zygote_fd_, command, sizeof command, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof command)) {
      if (::recv(zygote_fd_, &status, sizeof status, 0) != static_cast<ssize_t>(sizeof status)) status = 0;
    }
  }
  if (why.empty()) why = ended_text(status);
  std::lock_guard lock(mutex_);
  --running_;
  freed_.notify_one();
}

Pool::Reply Pool::call(const std::string& request) {
  auto worker = acquire();
  if (!worker) return Reply{"", worker.error()};
  auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.timeout_seconds));
  Reply reply;
  Io io = send_frame(worker.value().fd, request, deadline);
  if (io == Io::kOk) io = recv_frame(worker.value().fd, reply.bytes, deadline);
  if (io == Io::kOk) {
    release(worker.value());
    return reply;
  }
  if (io == Io::kTimedOut)
    reply.abnormal = fmt::format("did not return within {:g} s; its worker process was stopped", options_.timeout_seconds);
  discard(worker.value(), io == Io::kTimedOut, reply.abnormal);
  reply.bytes.clear();
  return reply;
}

CallError Pool::abnormal_error(const Remote& item, const char* function, const std::string& abnormal) const {
  return CallError{ASSAY_STATUS_INTERNAL, fmt::format("item type '{}': {} {}", types_[item.type]->name(), function, abnormal),
                   ""};
}

std::optional<CallError> Pool::remembered(const std::string& key) {
  std::lock_guard lock(failures_mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  return it->second;
}

void Pool::remember(std::string key, CallError error) {
  std::lock_guard lock(failures_mutex_);
  if (failures_.size() >= kMaxRemembered) failures_.clear();
  failures_.insert_or_assign(std::move(key), std::move(error));
}

Expected<PreparedItem, CallError> Pool::prepare(const ItemType& type, std::string_view params) {
  auto remote = std::make_shared<Remote>(Remote{this, index_.at(&type), std::string(params)});
  Writer out;
  request_head(out, Op::kPrepare, *remote, 0);
  auto reply = call(out.bytes());
  if (!reply.abnormal.empty()) return abnormal_error(*remote, "prepare", reply.abnormal);
  Reader in(reply.bytes);
  if (auto error = take_error(in)) return *error;
  return PreparedItem(&type, std::move(remote));
}

Expected<std::string, CallError> Pool::text(Op op, const Remote& item, std::uint64_t seed, std::string_view response) {
  auto reply = call(one_request(op, item, seed, response));
  const char* function = op == Op::kPresent ? "present" : op == Op::kSolve ? "solve" : "feedback";
  if (!reply.abnormal.empty()) return abnormal_error(item, function, reply.abnormal);
  Reader in(reply.bytes);
  if (auto error = take_error(in)) return *error;
  std::string text(in.str());
  if (!in.done()) return CallError{ASSAY_STATUS_INTERNAL, "a plugin worker sent an answer that could not be read", ""};
  return text;
}

Expected<std::vector<assay_credit>, CallError> Pool::score(const Remote& item, std::uint64_t seed, std::string_view response) {
  bool hung = false;
  return score_one(item, seed, response, hung);
}

Expected<std::vector<assay_credit>, CallError> Pool::score_one(const Remote& item, std::uint64_t seed, std::string_view response,
                                                               bool& hung) {
  std::string request = one_request(Op::kScore, item, seed, response);
  if (auto known = remembered(request)) return *known;
  auto reply = call(request);
  if (!reply.abnormal.empty()) {
    hung = reply.abnormal.starts_with("did not return");
    auto error = abnormal_error(item, "score", reply.abnormal);
    remember(std::move(request), error);
    return error;
  }
  Reader in(reply.bytes);
  if (auto error = take_error(in)) return *error;
  std::uint32_t k = in.u32();
  std::vector<assay_credit> credits;
  if (in.ok() && k == types_[item.type]->n_criteria()) {
    credits.reserve(k);
    for (std::uint32_t i = 0; i < k; ++i) credits.push_back(in.credit());
  }
  if (!in.done() || credits.size() != k)
    return CallError{ASSAY_STATUS_INTERNAL, "a plugin worker sent an answer that could not be read", ""};
  return credits;
}

assay_status Pool::score_batch(const Remote& item, std::span<const std::uint64_t> seeds,
                               std::span<const std::string_view> responses, std::span<assay_credit> credits,
                               std::span<assay_status> statuses) {
  const std::size_t n = seeds.size();
  const std::size_t k = types_[item.type]->n_criteria();
  Writer out;
  request_head(out, Op::kScoreBatch, item, static_cast<std::uint32_t>(n));
  for (std::size_t i = 0; i < n; ++i) {
    out.u64(seeds[i]);
    out.str(responses[i]);
  }
  auto reply = call(out.bytes());
  if (reply.abnormal.empty()) {
    Reader in(reply.bytes);
    if (auto error = take_error(in)) return error->status;
    if (in.u32() != n) return ASSAY_STATUS_INTERNAL;
    for (std::size_t i = 0; i < n; ++i) statuses[i] = static_cast<assay_status>(in.i32());
    if (in.u32() != n * k) return ASSAY_STATUS_INTERNAL;
    for (std::size_t i = 0; i < n * k; ++i) credits[i] = in.credit();
    return in.done() ? ASSAY_STATUS_OK : ASSAY_STATUS_INTERNAL;
  }
  // The batch crashed or hung: score its responses one by one, so that the one that did it
  // costs only itself. A plugin that hangs on several in a row is not waited for again.
  unsigned hangs = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (hangs >= kHangsBeforeGivingUp) {
      statuses[i] = ASSAY_STATUS_INTERNAL;
      remember(one_request(Op::kScore, item, seeds[i], responses[i]),
               abnormal_error(item, "score",
                              fmt::format("was not asked: it did not return on {} responses before this one in the same batch",
                                          kHangsBeforeGivingUp)));
      continue;
    }
    bool hung = false;
    auto one = score_one(item, seeds[i], responses[i], hung);
    hangs = hung ? hangs + 1 : 0;
    if (!one) {
      statuses[i] = one.error().status;
      continue;
    }
    statuses[i] = ASSAY_STATUS_OK;
    std::copy(one.value().begin(), one.value().end(), credits.begin() + static_cast<std::ptrdiff_t>(i * k));
  }
  return ASSAY_STATUS_OK;
}

}  // namespace assay::plugins::detail
