#include <fmt/format.h>

#include <filesystem>
#include <ostream>
#include <string>

#include "assay/import.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "commands.hpp"

namespace assay::app {

namespace fs = std::filesystem;

namespace {

struct ImportArgs {
  std::string file, format, out, id, title;
};

/// An id from a file name: lowercase letters, digits and '-'.
std::string id_from(const fs::path& file) {
  std::string out;
  for (unsigned char c : file.stem().string()) {
    if (std::isalnum(c))
      out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() || !std::isalpha(static_cast<unsigned char>(out[0])) ? "imported" + (out.empty() ? "" : "-" + out) : out;
}

/// The questions' pictures, written into a folder beside the assessment named after it
/// (bank.toml: bank-figures/ITEM-K.png), each file written atomically; `file` set for the TOML.
void write_figures(interchange::Imported& imported, const fs::path& out) {
  const std::string folder = out.stem().string() + "-figures";
  for (auto& item : imported.items)
    for (std::size_t k = 0; k < item.figures.size(); ++k) {
      auto& f = item.figures[k];
      std::string type = model::media_type_of_picture(f.bytes);
      f.file = folder + "/" + item.id + "-" + std::to_string(k + 1) + "." + (type == "image/jpeg" ? "jpg" : type.substr(6));
      fs::path target = out.parent_path() / f.file;
      std::error_code ec;
      fs::create_directories(target.parent_path(), ec);
      if (auto w = io::try_write_atomic(target, f.bytes); !w) throw ExitRequest{Exit::kIo, format_all({w.error()})};
    }
}

}  // namespace

void add_import(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("import", "turn a question bank from another platform (GIFT, Moodle XML, QTI) into an assessment");
  auto args = std::make_shared<ImportArgs>();
  cmd->add_option("FILE", args->file,
                  "the question bank: a file, or a QTI content package (a .zip, or a directory with imsmanifest.xml)")
      ->required();
  cmd->add_option("--format", args->format,
                  "gift (the default for *.gift and *.txt), moodle-xml or qti (told apart by the root element of *.xml; "
                  "qti for a .zip or a directory)")
      ->check(CLI::IsMember({"gift", "moodle-xml", "qti"}));
  cmd->add_option("--out,-o", args->out, "the assessment to write (default: FILE with .toml)")->type_name("OUT.toml");
  cmd->add_option("--id", args->id, "the assessment's id (default: from the file name)");
  cmd->add_option("--title", args->title, "the assessment's title (default: the file name)");
  cmd->callback([&ctx, args] {
    fs::path in(args->file);
    std::string format = args->format;
    std::error_code ec;
    if (!fs::exists(in, ec)) throw ExitRequest{Exit::kIo, format_all({io::try_read_file(in).error()})};
    if (format.empty()) format = interchange::detect_format(in);
    if (format.empty())
      throw ExitRequest{Exit::kUsage, "assay import: error: cannot tell the format of '" + args->file +
                                          "' from its name or its root element\n  hint: --format gift, moodle-xml or qti"};
    interchange::Imported imported;
    if (format == "qti") {
      imported = interchange::read_qti(in);
    } else {
      auto text = io::try_read_file(in);
      if (!text) throw ExitRequest{Exit::kIo, format_all({text.error()})};
      imported = format == "gift" ? interchange::read_gift(text.value()) : interchange::read_moodle_xml(text.value());
    }
    for (const auto& r : imported.refused)
      *ctx.err << fmt::format("{}{}: error: {}cannot be imported: {}\n", r.file.empty() ? args->file : r.file,
                              r.line > 0 ? ":" + std::to_string(r.line) : "",
                              r.item.empty() ? "" : (format == "qti" ? "item '" : "question '") + r.item + "' ", r.why);
    if (imported.items.empty()) {
      *ctx.err << fmt::format("assay import: error: no {} of {} could be imported; nothing was written\n",
                              format == "qti" ? "item" : "question", args->file);
      throw ExitRequest{Exit::kProblems, ""};
    }
    fs::path base = in.filename().empty() ? in.parent_path() : in;  // "pkg/" names the directory pkg
    fs::path out = !args->out.empty()           ? fs::path(args->out)
                   : fs::is_directory(base, ec) ? fs::path(base.string() + ".toml")
                                                : fs::path(base).replace_extension(".toml");
    std::string id = args->id.empty() ? id_from(base) : args->id;
    std::string title = args->title.empty() ? fs::path(base).stem().string() : args->title;
    write_figures(imported, out);
    if (auto w = io::try_write_atomic(out, interchange::assessment_toml(imported, id, title, base.filename().string())); !w)
      throw ExitRequest{Exit::kIo, format_all({w.error()})};
    // What was written must load: the same check `assay validate` makes.
    auto registry = load_plugins(ctx);
    auto report = model::validate_file(out, registry);
    *ctx.err << format_all(report.diagnostics);
    *ctx.out << fmt::format("imported {} of {} {} into {}", imported.items.size(),
                            imported.items.size() + imported.refused.size(), format == "qti" ? "items" : "questions",
                            out.string());
    if (!imported.refused.empty()) *ctx.out << fmt::format("; {} refused", imported.refused.size());
    *ctx.out << "\n";
    if (error_count(report.diagnostics) > 0 || !imported.refused.empty()) throw ExitRequest{Exit::kProblems, ""};
  });
}

}  // namespace assay::app
