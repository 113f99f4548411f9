#include <fmt/format.h>
#include <algorithm>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "commands.hpp"

namespace assay::app {

namespace fs = std::filesystem;

namespace {

// Files named on the command line, and the *.toml files under directories (sample cohorts and
// other *.cohort.* files skipped), each directory's in sorted order.
std::vector<fs::path> collect(const std::vector<std::string>& args, std::vector<std::string>& unreadable) {
  std::vector<fs::path> files;
  for (const auto& arg : args) {
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(arg, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        const auto& p = it->path();
        if (it->is_regular_file() && p.extension() == ".toml" && p.filename().string().find(".cohort.") == std::string::npos)
          found.push_back(p);
      }
      if (ec) unreadable.push_back(arg + ": error: cannot read the directory: " + ec.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.emplace_back(arg);
    }
  }
  return files;
}

}  // namespace

void add_validate(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("validate", "check assessments: every error with file:line:column");
  auto paths = std::make_shared<std::vector<std::string>>();
  cmd->add_option("PATH", *paths, "assessment files, or directories searched for *.toml")->required();
  cmd->callback([&ctx, paths] {
    std::vector<std::string> unreadable_dirs;
    auto files = collect(*paths, unreadable_dirs);
    auto registry = load_plugins(ctx);
    std::size_t errors = 0, warnings = 0, bad_files = 0, unreadable = unreadable_dirs.size();
    for (const auto& msg : unreadable_dirs) *ctx.err << msg << "\n";
    for (const auto& file : files) {
      auto report = model::validate_file(file, registry);
      if (report.unreadable) ++unreadable;
      std::size_t file_errors = error_count(report.diagnostics);
      if (file_errors > 0) ++bad_files;
      errors += file_errors;
      warnings += report.diagnostics.size() - file_errors;
      *ctx.err << format_all(report.diagnostics);
      // The digest attempts record (docs/authoring.md, "Digest"), for a file that can be delivered.
      if (report.diagnostics.empty()) *ctx.out << fmt::format("{}: ok, sha256 {}\n", file.string(), report.sha256);
      // Each content-outline area's possible share of the points beside its target.
      for (const auto& line : report.outline) *ctx.out << fmt::format("{}: {}\n", file.string(), line);
    }
    std::string summary = fmt::format("{} file{} checked: ", files.size(), files.size() == 1 ? "" : "s");
    if (errors == 0)
      summary += "no errors";
    else
      summary += fmt::format("{} error{} in {} file{}", errors, errors == 1 ? "" : "s", bad_files, bad_files == 1 ? "" : "s");
    // Warnings fail nothing; the count appears only when there are some.
    if (warnings > 0) summary += fmt::format(", {} warning{}", warnings, warnings == 1 ? "" : "s");
    *ctx.out << summary << "\n";
    if (unreadable > 0) throw ExitRequest{Exit::kIo, ""};
    if (errors > 0) throw ExitRequest{Exit::kProblems, ""};
  });
}

}  // namespace assay::app
