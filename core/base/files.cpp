#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "assay/io.hpp"

namespace assay::io {

namespace {

std::string reason(int err) { return std::strerror(err); }

// Closes a descriptor and removes the temporary file unless released.
struct TempFile {
  int fd = -1;
  std::string path;
  bool keep = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!keep && !path.empty()) ::unlink(path.c_str());
  }
};

mode_t new_file_mode(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return st.st_mode & 07777;
  mode_t mask = ::umask(0);  // reading the umask means setting it; put it straight back
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

Expected<std::size_t, Diagnostic> try_write_atomic(const fs::path& path, std::string_view content) {
  fs::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string name = path.filename().string();
  if (name.empty()) return error_at(path.string(), "not a file name");
  TempFile tmp;
  std::string pattern = (dir / ("." + name + ".tmp.XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  tmp.fd = ::mkstemp(buf.data());
  if (tmp.fd < 0) return error_at(path.string(), "cannot write: " + reason(errno));
  tmp.path = buf.data();
  auto fail = [&](const char* what) { return error_at(path.string(), std::string(what) + ": " + reason(errno)); };
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(tmp.fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fchmod(tmp.fd, new_file_mode(path)) != 0) return fail("cannot set the file mode");
  if (::fsync(tmp.fd) != 0) return fail("cannot flush to disk");
  int fd = tmp.fd;
  tmp.fd = -1;
  if (::close(fd) != 0) return fail("cannot write");
  if (::rename(tmp.path.c_str(), path.c_str()) != 0) return fail("cannot replace the file");
  tmp.keep = true;
  // Make the rename itself durable; a directory that cannot be opened for syncing is not an error.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return content.size();
}

Expected<std::string, Diagnostic> try_read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error_at(path.string(), "cannot read: " + reason(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return error_at(path.string(), "cannot read: " + reason(errno));
  return ss.str();
}

}  // namespace assay::io
