#include <fmt/format.h>

#include <filesystem>
#include <ostream>
#include <string>

#include "assay/export.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "commands.hpp"

namespace assay::app {

namespace fs = std::filesystem;

void add_export(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("export", "write an assessment's core-items questions for another platform (Moodle XML, QTI 3.0)");
  auto file = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("moodle-xml");
  auto out = std::make_shared<std::string>();
  cmd->add_option("ASSESSMENT", *file, "the assessment (TOML)")->required();
  cmd->add_option("--format", *format,
                  "moodle-xml (the default: one file) or qti3 (a QTI 3.0 content package: OUT is a directory, with "
                  "imsmanifest.xml, test.xml and items/)")
      ->check(CLI::IsMember({"moodle-xml", "qti3"}));
  cmd->add_option("--out,-o", *out, "where to write it")->required()->type_name("OUT");
  cmd->callback([&ctx, file, out, format] {
    auto registry = load_plugins(ctx);
    auto loaded = model::try_load_and_prepare(*file, registry);
    if (!loaded) throw ExitRequest{Exit::kProblems, format_all(loaded.error())};
    interchange::Exported exported;
    interchange::ExportedPackage package;
    if (*format == "qti3") {
      package = interchange::qti3(loaded.value().assessment);
      exported.refused = package.refused;
    } else {
      exported = interchange::moodle_xml(loaded.value().assessment);
    }
    for (const auto& r : exported.refused)
      *ctx.err << fmt::format("{}: error: item '{}' cannot be exported: {}\n", *file, r.item, r.why);
    std::size_t total = loaded.value().assessment.items.size(), written = total - exported.refused.size();
    if (written == 0) {
      *ctx.err << fmt::format("assay export: error: no item of {} can be exported; nothing was written\n", *file);
      throw ExitRequest{Exit::kProblems, ""};
    }
    if (*format == "qti3") {
      for (const auto& f : package.files) {
        fs::path path = fs::path(*out) / f.path;
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        if (auto w = io::try_write_atomic(path, f.text); !w) throw ExitRequest{Exit::kIo, format_all({w.error()})};
      }
    } else if (auto w = io::try_write_atomic(*out, exported.text); !w) {
      throw ExitRequest{Exit::kIo, format_all({w.error()})};
    }
    *ctx.out << fmt::format("exported {} of {} items to {}\n", written, total, *out);
    if (!exported.refused.empty()) throw ExitRequest{Exit::kProblems, ""};
  });
}

}  // namespace assay::app
