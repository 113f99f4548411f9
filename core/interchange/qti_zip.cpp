// A zipped content package, unpacked with libzip: only its XML files (the manifest, tests and
// items; images are refused by the items anyway), into a new private directory. An entry whose
// name would leave that directory, and a package too large to be a question bank, are refused.
#include <zip.h>

#include <cstdlib>
#include <fstream>
#include <memory>

#include "qti.hpp"
#include "questions.hpp"

namespace assay::interchange::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMaxTotal = 256ull << 20;  // bytes unpacked, all XML files together
constexpr std::int64_t kMaxEntries = 100'000;

bool is_xml(std::string name) {
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name.size() > 4 && name.ends_with(".xml");
}

/// A name that stays inside the directory: relative, no "..", no empty or "." part.
bool safe(const std::string& name) {
  if (name.empty() || name[0] == '/' || name.find('\\') != std::string::npos) return false;
  for (const auto& part : fs::path(name)) {
    auto p = part.string();
    if (p == ".." || p == "." || p.empty()) return false;
  }
  return true;
}

struct Closer {
  void operator()(zip_t* z) const { zip_discard(z); }
};

}  // namespace

fs::path unpack_xml(const fs::path& zip_path) {
  int code = 0;
  std::unique_ptr<zip_t, Closer> z(zip_open(zip_path.c_str(), ZIP_RDONLY, &code));
  if (!z) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw Refused{"not a zip file that can be read: " + why};
  }
  auto n = zip_get_num_entries(z.get(), 0);
  if (n < 0 || n > kMaxEntries) throw Refused{"a zip file of more than " + std::to_string(kMaxEntries) + " entries"};
  std::string dir_template = (fs::temp_directory_path() / "assay-qti-XXXXXX").string();
  if (::mkdtemp(dir_template.data()) == nullptr) throw Refused{"no temporary directory to unpack it into"};
  fs::path dir(dir_template);
  try {
    std::uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; ++i) {
      zip_stat_t st;
      if (zip_stat_index(z.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || st.name == nullptr) continue;
      std::string name = st.name;
      if (name.ends_with("/") || !is_xml(name)) continue;
      if (!safe(name)) throw Refused{"an entry named '" + name + "', which would be written outside the package"};
      total += st.size;
      if (total > kMaxTotal) throw Refused{"more than 256 MB of XML, more than a question bank holds"};
      std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> f(zip_fopen_index(z.get(), static_cast<zip_uint64_t>(i), 0), zip_fclose);
      if (!f) throw Refused{"the entry '" + name + "' cannot be read: " + zip_strerror(z.get())};
      fs::path out = dir / name;
      fs::create_directories(out.parent_path());
      std::ofstream os(out, std::ios::binary);
      char buf[65536];
      std::uint64_t got = 0;
      for (zip_int64_t r; (r = zip_fread(f.get(), buf, sizeof buf)) > 0;) {
        got += static_cast<std::uint64_t>(r);
        if (got > st.size) throw Refused{"the entry '" + name + "' is larger than its header says"};
        os.write(buf, r);
      }
      if (!os) throw Refused{"the entry '" + name + "' could not be unpacked into " + dir.string()};
    }
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    throw;
  }
  return dir;
}

}  // namespace assay::interchange::detail
