// Inspecting a plugin file without running any of its code: ELF header, exports, trust.
#include <elf.h>
#include <sys/stat.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <bit>
#include <boost/dll/library_info.hpp>
#include <boost/dll/runtime_symbol_info.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <string_view>

#include "assay/plugins.hpp"
#include "detail.hpp"

namespace assay::plugins {

std::optional<unsigned> detail::others_may_write(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) == 0) return std::nullopt;
  return static_cast<unsigned>(st.st_mode & 07777);
}

namespace {

constexpr std::string_view kBuildHint =
    "build the plugin as a shared library: assay_add_plugin() or add_library(NAME MODULE ...) in CMake, or 'cc -shared'";

struct ElfIdent {
  unsigned char elf_class = 0;  // ELFCLASS32 / ELFCLASS64
  unsigned char data = 0;       // ELFDATA2LSB / ELFDATA2MSB
  std::uint16_t type = 0;
  std::uint16_t machine = 0;
};

std::uint16_t read_u16(const unsigned char* p, unsigned char data) {
  return data == ELFDATA2MSB ? static_cast<std::uint16_t>((p[0] << 8) | p[1]) : static_cast<std::uint16_t>((p[1] << 8) | p[0]);
}

/// The header fields of an ELF file, or nullopt with `why` set.
std::optional<ElfIdent> read_elf_header(const fs::path& file, std::string& why) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    why = fmt::format("cannot read the file: {}", std::strerror(errno));
    return std::nullopt;
  }
  std::array<unsigned char, sizeof(Elf64_Ehdr)> buf{};
  in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
  auto n = static_cast<std::size_t>(in.gcount());
  if (n == 0) {
    why = "not a shared library: the file is empty";
    return std::nullopt;
  }
  if (n < SELFMAG || std::memcmp(buf.data(), ELFMAG, SELFMAG) != 0) {
    std::size_t len = 0;
    while (len < n && len < 24 && buf[len] != '\n' && buf[len] >= 0x20 && buf[len] < 0x7f) ++len;
    bool text = len > 0 && (len == n || len == 24 || buf[len] == '\n');
    if (text) {
      why = fmt::format("not a shared library: expected an ELF header, found text \"{}\"",
                        std::string(reinterpret_cast<const char*>(buf.data()), len));
    } else {
      why = "not a shared library: expected an ELF header, found other binary data";
    }
    return std::nullopt;
  }
  ElfIdent id;
  id.elf_class = buf[EI_CLASS];
  id.data = buf[EI_DATA];
  std::size_t need = id.elf_class == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
  if (n < need) {
    why = fmt::format("not a shared library: the ELF header is truncated ({} of {} bytes)", n, need);
    return std::nullopt;
  }
  id.type = read_u16(buf.data() + offsetof(Elf64_Ehdr, e_type), id.data);
  id.machine = read_u16(buf.data() + offsetof(Elf64_Ehdr, e_machine), id.data);
  return id;
}

const char* machine_name(std::uint16_t m) {
  switch (m) {
    case EM_386:
      return "x86";
    case EM_X86_64:
      return "x86-64";
    case EM_ARM:
      return "ARM";
    case EM_AARCH64:
      return "AArch64";
    case EM_RISCV:
      return "RISC-V";
    case EM_PPC64:
      return "PowerPC64";
    case EM_S390:
      return "s390x";
    case EM_MIPS:
      return "MIPS";
    default:
      return "unknown";
  }
}

/// This process's own ELF header: what a loadable plugin must match.
const ElfIdent& host_ident() {
  static const ElfIdent host = [] {
    std::string why;
    boost::dll::fs::error_code ec;
    auto exe = boost::dll::program_location(ec);
    std::optional<ElfIdent> id;
    if (!ec) id = read_elf_header(fs::path(exe.string()), why);
    if (id) return *id;
    // /proc unavailable: fall back to what this binary was compiled for.
    ElfIdent fallback;
    fallback.elf_class = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
    fallback.data = std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;
    fallback.type = ET_DYN;
#if defined(__x86_64__)
    fallback.machine = EM_X86_64;
#elif defined(__aarch64__)
    fallback.machine = EM_AARCH64;
#elif defined(__i386__)
    fallback.machine = EM_386;
#endif
    return fallback;
  }();
  return host;
}

std::string check_elf(const fs::path& file) {
  std::string why;
  auto id = read_elf_header(file, why);
  if (!id) {
    if (why.starts_with("cannot read")) return detail::refusal(file, why, "check the path and the file's permissions");
    return detail::refusal(file, why, kBuildHint);
  }
  if (id->type == ET_REL) {
    return detail::refusal(file, "an ELF relocatable object (.o), not a shared library",
                           "link it into a shared library: add_library(NAME MODULE ...) in CMake, or 'cc -shared'");
  }
  if (id->type == ET_EXEC) return detail::refusal(file, "an ELF executable, not a shared library", kBuildHint);
  if (id->type == ET_CORE) return detail::refusal(file, "an ELF core dump, not a shared library", kBuildHint);
  if (id->type != ET_DYN) {
    return detail::refusal(file, fmt::format("ELF file type {}, expected a shared object", id->type), kBuildHint);
  }
  const auto& host = host_ident();
  auto bits = [](unsigned char c) { return c == ELFCLASS32 ? "32-bit" : c == ELFCLASS64 ? "64-bit" : "unknown-class"; };
  auto order = [](unsigned char d) {
    return d == ELFDATA2LSB ? "little-endian" : d == ELFDATA2MSB ? "big-endian" : "unknown-order";
  };
  if (id->elf_class != host.elf_class || id->data != host.data || id->machine != host.machine) {
    return detail::refusal(
        file,
        fmt::format("built for {} {} {}, this assay runs on {} {} {}", bits(id->elf_class), order(id->data),
                    machine_name(id->machine), bits(host.elf_class), order(host.data), machine_name(host.machine)),
        "build the plugin on (or cross-compile it for) this machine");
  }
  return "";
}

std::string check_exports(const fs::path& file) {
  std::vector<std::string> symbols;
  try {
    boost::dll::library_info info(boost::dll::fs::path(file.string()), true);
    symbols = info.symbols();
  } catch (const std::exception& e) {
    return detail::refusal(file, fmt::format("not a shared library: its symbol table cannot be read ({})", e.what()), kBuildHint);
  }
  auto has = [&](std::string_view s) { return std::find(symbols.begin(), symbols.end(), s) != symbols.end(); };
  // Markers of other majors: "assay_abi_" followed by digits only.
  constexpr std::string_view kMarker = "assay_abi_";
  std::vector<std::string> other_markers;
  for (const auto& s : symbols) {
    if (s.size() <= kMarker.size() || s.compare(0, kMarker.size(), kMarker) != 0) continue;
    auto digits = std::string_view(s).substr(kMarker.size());
    if (std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        digits != std::to_string(ASSAY_ABI_MAJOR))
      other_markers.push_back(s);
  }
  const std::string wanted_marker = fmt::format("assay_abi_{}", ASSAY_ABI_MAJOR);
  if (!other_markers.empty() && !has(wanted_marker)) {
    std::sort(other_markers.begin(), other_markers.end());
    return detail::refusal(file, fmt::format("exports {}, this assay loads {}", other_markers.front(), wanted_marker),
                           detail::kRebuildHint);
  }
  if (!has("assay_plugin_v1")) {
    return detail::refusal(file, "does not export the entry symbol 'assay_plugin_v1'",
                           "define it with ASSAY_PLUGIN(...) from <assay/sdk.hpp>, or as the example in <assay/plugin.h> "
                           "shows, with default visibility");
  }
  if (!has(wanted_marker)) {
    return detail::refusal(file, fmt::format("exports 'assay_plugin_v1' but not the ABI marker '{}'", wanted_marker),
                           "define it with ASSAY_PLUGIN(...) from <assay/sdk.hpp>, or as the example in <assay/plugin.h> "
                           "shows, with default visibility");
  }
  return "";
}

std::string check_trust(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    return detail::refusal(file, fmt::format("cannot read the file: {}", std::strerror(errno)),
                           "check the path and the file's permissions");
  }
  if (auto mode = detail::others_may_write(file)) {
    return detail::refusal(file, fmt::format("the file is writable by group or others (mode {:04o})", *mode),
                           fmt::format("if you trust it, run 'chmod go-w {}'", file.string()));
  }
  fs::path dir = fs::absolute(file).parent_path();
  if (auto mode = detail::others_may_write(dir)) {
    return detail::refusal(file,
                           fmt::format("its directory '{}' is writable by group or others (mode {:04o})", dir.string(), *mode),
                           fmt::format("if you trust that directory, run 'chmod go-w {}', or move the plugin", dir.string()));
  }
  return "";
}

}  // namespace

std::string inspect_plugin_file(const fs::path& file) {
  if (auto why = check_elf(file); !why.empty()) return why;
  if (auto why = check_exports(file); !why.empty()) return why;
  return check_trust(file);
}

}  // namespace assay::plugins
