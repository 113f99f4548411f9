// Rasch calibration speed: CML with standard errors (fit_rasch) on a simulated 10,000 x 60 0/1
// matrix, against eRm::RM(X, se = TRUE) on the same matrix, timed in the same run; both fits'
// difficulties are compared too. Issue 17 asks for at least 20 times eRm's speed. Then the 2PL
// fit of the same matrix, which issue 17 asks to take under one second.
//
//   bench_stats [PERSONS] [ITEMS]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "assay/rasch.hpp"
#include "assay/twopl.hpp"

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

namespace {

assay::stats::Binary simulate(std::size_t persons, std::size_t items) {
  std::mt19937 rng(20261207);
  std::normal_distribution<double> ability(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  assay::stats::Binary x;
  x.persons = persons;
  x.items = items;
  x.cells.reserve(persons * items);
  for (std::size_t p = 0; p < persons; ++p) {
    const double theta = ability(rng);
    for (std::size_t i = 0; i < items; ++i) {
      const double b = -2.0 + 4.0 * static_cast<double>(i) / static_cast<double>(items - 1);
      x.cells.push_back(static_cast<signed char>(u(rng) < 1 / (1 + std::exp(b - theta))));
    }
  }
  return x;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  if (pclose(pipe) != 0) return "";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t persons = argc > 1 ? std::stoul(argv[1]) : 10000;
  const std::size_t items = argc > 2 ? std::stoul(argv[2]) : 60;
  auto x = simulate(persons, items);

  double best = 1e300;
  assay::stats::RaschFit fit;
  for (int rep = 0; rep < 3; ++rep) {
    auto t0 = Steady::now();
    fit = assay::stats::fit_rasch(x);
    best = std::min(best, std::chrono::duration<double>(Steady::now() - t0).count());
  }
  fmt::print("Rasch CML with SEs, {} x {}: assay {:.3f} s ({} iterations, {})\n", persons, items, best, fit.iterations,
             fit.converged ? "converged" : "NOT converged");

  {
    assay::stats::TwoPlOptions no_se;
    no_se.standard_errors = false;
    auto t0 = Steady::now();
    auto two = assay::stats::fit_2pl(x, no_se);
    const double fit_s = std::chrono::duration<double>(Steady::now() - t0).count();
    t0 = Steady::now();
    two = assay::stats::fit_2pl(x);
    const double se_s = std::chrono::duration<double>(Steady::now() - t0).count();
    fmt::print(
        "2PL MML (Bock-Aitkin EM, 61 nodes), {} x {}: fit {:.3f} s (issue 17 asks for under 1 s), "
        "with standard errors {:.3f} s ({} EM cycles, {})\n",
        persons, items, fit_s, se_s, two.iterations, two.converged ? "converged" : "NOT converged");
  }

  if (run("Rscript -e 'suppressMessages(library(eRm))' 2>/dev/null && echo yes").find("yes") == std::string::npos) {
    fmt::print("eRm: skipped (R with eRm is not installed: apt-get install r-base-core r-cran-erm)\n");
    return 0;
  }
  const fs::path dir = fs::temp_directory_path() / fmt::format("assay-bench-stats-{}", ::getpid());
  fs::create_directories(dir);
  {
    std::ofstream csv(dir / "x.csv");
    for (std::size_t p = 0; p < persons; ++p) {
      for (std::size_t i = 0; i < items; ++i) csv << (i ? "," : "") << int(x.at(p, i));
      csv << "\n";
    }
  }
  {
    std::ofstream r(dir / "fit.R");
    r << "suppressMessages(library(eRm))\n"
         "X <- as.matrix(read.csv('"
      << (dir / "x.csv").string()
      << "', header = FALSE))\n"
         "t <- system.time(fit <- RM(X, se = TRUE))[['elapsed']]\n"
         "cat(t, -fit$betapar, sep = '\\n')\n";
  }
  auto out = run("Rscript " + (dir / "fit.R").string());
  fs::remove_all(dir);
  std::vector<double> values;
  for (std::size_t pos = 0; pos < out.size();) {
    auto end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    if (end > pos) values.push_back(std::stod(out.substr(pos, end - pos)));
    pos = end + 1;
  }
  if (values.size() != items + 1) {
    fmt::print("eRm: failed (no estimates read back)\n");
    return 1;
  }
  double largest = 0;
  for (std::size_t i = 0; i < items; ++i) largest = std::max(largest, std::abs(values[i + 1] - fit.b[i]));
  fmt::print(
      "eRm::RM(X, se = TRUE): {:.3f} s; assay is {:.1f} times faster (issue 17 asks for 20); "
      "largest difference in b {:.2e}\n",
      values[0], values[0] / best, largest);
  return 0;
}
