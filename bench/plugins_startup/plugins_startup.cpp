// Start-up cost of loading plugins: the wall time of `assay plugins` against `assay --version`
// (the process start-up floor), measured in the same run, median of N runs each.
//
//   bench_plugins_startup ASSAY [RUNS] [-- extra arguments for `assay plugins`]
//
// The two commands alternate, after one warm-up run each, so drift in machine load hits both
// alike. Output goes to /dev/null; the exit code of the last `assay plugins` run is printed
// (1 means some file was refused, which the figure then includes).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace {

struct Run {
  double ms = 0;
  int code = -1;
};

Run run_once(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int err = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) {
    std::fprintf(stderr, "bench_plugins_startup: error: cannot run %s\n", args[0]);
    std::exit(3);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  auto end = std::chrono::steady_clock::now();
  Run r;
  r.ms = std::chrono::duration<double, std::milli>(end - start).count();
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_plugins_startup ASSAY [RUNS] [-- extra arguments for 'assay plugins']\n");
    return 2;
  }
  std::string assay = argv[1];
  int runs = 21;
  int i = 2;
  if (i < argc && std::string(argv[i]) != "--") runs = std::max(1, std::atoi(argv[i++]));
  std::vector<std::string> version = {assay, "--version"};
  std::vector<std::string> plugins = {assay, "plugins"};
  if (i < argc && std::string(argv[i]) == "--")
    for (++i; i < argc; ++i) plugins.emplace_back(argv[i]);

  run_once(version);  // warm-up: page cache, dynamic loader
  int code = run_once(plugins).code;
  std::vector<double> t_version, t_plugins;
  for (int k = 0; k < runs; ++k) {
    t_version.push_back(run_once(version).ms);
    auto r = run_once(plugins);
    t_plugins.push_back(r.ms);
    code = r.code;
  }
  double v = median(t_version), p = median(t_plugins);
  std::string extra;
  for (std::size_t k = 2; k < plugins.size(); ++k) extra += " " + plugins[k];
  std::printf("plugin start-up: median of %d runs each, alternating, after one warm-up\n", runs);
  std::printf("  assay --version        %8.2f ms\n", v);
  std::printf("  assay plugins          %8.2f ms   (exit %d)%s%s\n", p, code, extra.empty() ? "" : "  with", extra.c_str());
  std::printf("  ratio                  %8.2f x\n", v > 0 ? p / v : 0.0);
  return 0;
}
