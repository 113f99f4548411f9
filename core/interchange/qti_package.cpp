// QTI beyond one item: a test (assessmentTest, qti-assessment-test) whose sections become the
// assessment's sections, a selection their draw; an IMS content package (imsmanifest.xml) whose
// test and item resources are read from the files it lists. pugixml does not process DTDs, so
// entity tricks have nothing to act on.
#include <fmt/format.h>

#include <map>
#include <set>

#include "assay/import.hpp"
#include "assay/io.hpp"
#include "qti.hpp"
#include "questions.hpp"

namespace assay::interchange {

namespace fs = std::filesystem;

namespace {

using namespace detail;

bool valid_id(const std::string& s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; });
}

struct Document {
  std::string text;
  pugi::xml_document doc;
  bool v3 = false;
};

class PackageReader {
 public:
  explicit PackageReader(Imported& out) : out_(out) {}

  /// An item, a test or a manifest, by its root element.
  void file(const fs::path& path) {
    Document d;
    if (!load(path, d)) return;
    std::string root = d.doc.document_element().name();
    if (root == "assessmentItem")
      item(path, d, section_for("Imported", 0));
    else if (root == "assessmentTest")
      test(path, d);
    else if (root == "manifest")
      manifest(path, d);
    else
      refuse(path, 1, "", "not QTI: its root element is <" + root + ">, not an item, a test or a manifest");
  }

  void finish() {
    std::map<std::string, int> used;
    for (auto& i : out_.items) {
      std::string id = valid_id(i.id) ? i.id : slug(i.title);
      if (id.empty() || !std::isalpha(static_cast<unsigned char>(id[0]))) id = "q" + (id.empty() ? "" : "-" + id);
      if (int n = ++used[id]; n > 1) id += "-" + std::to_string(n);
      i.id = id;
    }
    for (auto& s : out_.sections) {
      auto count = std::count_if(out_.items.begin(), out_.items.end(), [&](const ImportedItem& i) { return i.section == s.id; });
      if (s.draw >= count) s.draw = 0;  // every item: refused ones left fewer than the selection
    }
    std::erase_if(out_.sections, [&](const ImportedSection& s) {
      return std::none_of(out_.items.begin(), out_.items.end(), [&](const ImportedItem& i) { return i.section == s.id; });
    });
  }

 private:
  void refuse(const fs::path& path, std::size_t line, const std::string& item, const std::string& why) {
    out_.refused.push_back({line, item, why, path.string()});
  }

  bool load(const fs::path& path, Document& d) {
    auto text = io::try_read_file(path);
    if (!text) {
      refuse(path, 0, "", "could not be read: " + text.error().message);
      return false;
    }
    d.text = std::move(text.value());
    Imported probe;
    if (!utf8_or_refused(d.text, probe)) {
      refuse(path, probe.refused[0].line, "", probe.refused[0].why);
      return false;
    }
    auto parsed = d.doc.load_buffer(d.text.data(), d.text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      refuse(path, line_at(d.text, parsed.offset), "", std::string("not well-formed XML: ") + parsed.description());
      return false;
    }
    d.v3 = normalise_qti(d.doc);
    return true;
  }

  std::string section_for(const std::string& title, std::int64_t draw) {
    std::string id = slug(title);
    if (id.empty() || !std::isalpha(static_cast<unsigned char>(id[0]))) id = "section" + (id.empty() ? "" : "-" + id);
    std::string unique = id;
    for (int n = 2; std::any_of(out_.sections.begin(), out_.sections.end(), [&](const auto& s) { return s.id == unique; }); ++n)
      unique = id + "-" + std::to_string(n);
    out_.sections.push_back({unique, title, draw});
    return unique;
  }

  void item(const fs::path& path, Document& d, const std::string& section) {
    auto root = d.doc.document_element();
    std::string ident = root.attribute("identifier").as_string();
    std::size_t line = line_at(d.text, root.offset_debug());
    if (std::string(root.name()) != "assessmentItem") {
      refuse(path, line, "", "not a QTI item: its root element is <" + std::string(root.name()) + ">");
      return;
    }
    try {
      ImportedItem i = qti_item(root, d.v3);
      i.id = ident;
      i.section = section;
      i.line = line;
      i.file = path.string();
      out_.items.push_back(std::move(i));
    } catch (const Refused& r) {
      refuse(path, line, ident, r.why);
    } catch (const std::exception& e) {  // a number past every range, say: refused, never a crash
      refuse(path, line, ident, std::string("could not be read: ") + e.what());
    }
  }

  void item_file(const fs::path& path, const std::string& section) {
    auto key = path.lexically_normal().string();
    if (!read_.insert(key).second) return;
    Document d;
    if (load(path, d)) item(path, d, section);
  }

  void test(const fs::path& path, Document& d) {
    auto root = d.doc.document_element();
    bool any = false;
    for (auto part : root.children("testPart"))
      for (auto s : part.children("assessmentSection")) any = true, section(path, d, s);
    if (!any) refuse(path, 1, root.attribute("identifier").as_string(), "a test without sections");
  }

  void section(const fs::path& path, Document& d, pugi::xml_node s) {
    std::string title = s.attribute("title").as_string(s.attribute("identifier").as_string());
    std::int64_t draw = 0;
    if (auto sel = s.child("selection")) {
      draw = sel.attribute("select").as_llong(0);
      if (sel.attribute("withReplacement").as_bool(false))
        refuse(path, line_at(d.text, sel.offset_debug()), s.attribute("identifier").as_string(),
               "a selection with replacement (the engine draws each item once): the section's items are imported without it");
      if (s.child("assessmentSection")) {
        refuse(path, line_at(d.text, sel.offset_debug()), s.attribute("identifier").as_string(),
               "a selection among sub-sections, which the engine's pools cannot draw: the items are imported without it");
        draw = 0;
      }
    }
    std::string id;
    for (auto c : s.children()) {
      std::string name = c.name();
      if (name == "assessmentItemRef") {
        if (id.empty()) id = section_for(title, draw);
        item_file(path.parent_path() / c.attribute("href").as_string(), id);
      } else if (name == "assessmentSection") {
        section(path, d, c);
      } else if (name == "assessmentSectionRef") {
        refuse(path, line_at(d.text, c.offset_debug()), c.attribute("identifier").as_string(),
               "a section kept in another file (assessmentSectionRef), which the importer does not follow");
      }
    }
  }

  void manifest(const fs::path& path, Document& d) {
    fs::path base = path.parent_path();
    std::vector<std::pair<fs::path, bool>> resources;  // file, is a test
    for (auto r : d.doc.select_nodes("//resource")) {
      auto node = r.node();
      std::string type = node.attribute("type").as_string();
      bool is_test = type.rfind("imsqti_test_xml", 0) == 0, is_item = type.rfind("imsqti_item_xml", 0) == 0;
      if (!is_test && !is_item) continue;
      std::string href = node.attribute("href").as_string(node.child("file").attribute("href").as_string());
      if (href.empty()) continue;
      resources.emplace_back(base / node.attribute("xml:base").as_string() / href, is_test);
    }
    bool tests = false;
    for (const auto& [file, is_test] : resources) {
      if (!is_test) continue;
      tests = true;
      Document t;
      if (load(file, t)) test(file, t);
    }
    std::string others;
    for (const auto& [file, is_test] : resources) {
      if (is_test || read_.count(file.lexically_normal().string())) continue;
      if (others.empty()) others = section_for(tests ? "Not in a test" : "Imported", 0);
      item_file(file, others);
    }
    if (resources.empty()) refuse(path, 1, "", "a manifest that lists no QTI test or item");
  }

  Imported& out_;
  std::set<std::string> read_;
};

}  // namespace

namespace {

Imported read_unpacked(const fs::path& path) {
  Imported out;
  PackageReader reader(out);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    // The manifest at the top, or (a zipped folder) the one nearest to it.
    fs::path manifest = path / "imsmanifest.xml";
    if (!fs::exists(manifest, ec)) {
      std::size_t depth = ~std::size_t{0};
      for (auto it = fs::recursive_directory_iterator(path, ec); it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->path().filename() == "imsmanifest.xml" && static_cast<std::size_t>(it.depth()) < depth)
          manifest = it->path(), depth = static_cast<std::size_t>(it.depth());
    }
    if (!fs::exists(manifest, ec)) {
      out.refused.push_back({0, "", "a directory without imsmanifest.xml, which is not a content package", path.string()});
      return out;
    }
    reader.file(manifest);
  } else {
    reader.file(path);
  }
  reader.finish();
  return out;
}

/// `text` with the unpacked directory's path replaced by the zip's.
void rename(std::string& text, const std::string& from, const std::string& to) {
  if (text.rfind(from, 0) == 0) text = to + text.substr(from.size());
}

}  // namespace

Imported read_qti(const fs::path& path) {
  if (path.extension() != ".zip") return read_unpacked(path);
  fs::path dir;
  try {
    dir = unpack_xml(path);
  } catch (const Refused& r) {
    Imported out;
    out.refused.push_back({0, "", r.why, path.string()});
    return out;
  }
  Imported out = read_unpacked(dir);
  std::error_code ec;
  fs::remove_all(dir, ec);
  // Files are named inside the zip: bank.zip/items/choice.xml.
  for (auto& r : out.refused) rename(r.file, dir.string(), path.string());
  for (auto& i : out.items) rename(i.file, dir.string(), path.string());
  return out;
}

std::string detect_format(const fs::path& path) {
  std::error_code ec;
  auto ext = path.extension().string();
  if (fs::is_directory(path, ec) || ext == ".zip") return "qti";
  if (ext == ".gift" || ext == ".txt") return "gift";
  if (ext != ".xml") return "";
  auto text = io::try_read_file(path);
  if (!text) return "";
  pugi::xml_document doc;
  if (!doc.load_buffer(text.value().data(), text.value().size(), pugi::parse_default, pugi::encoding_utf8)) return "";
  normalise_qti(doc);
  std::string root = doc.document_element().name();
  if (root == "quiz") return "moodle-xml";
  if (root == "assessmentItem" || root == "assessmentTest" || root == "manifest") return "qti";
  return "";
}

}  // namespace assay::interchange
