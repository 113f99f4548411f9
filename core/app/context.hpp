// The context every command receives from main: no globals.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <vector>

#include "assay/clock.hpp"

namespace assay {

struct Context {
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  std::unique_ptr<Clock> clock;
  bool out_is_terminal = false;  // colours, progress bars
  bool err_is_terminal = false;
  bool color = false;                              // out is a terminal and NO_COLOR is unset
  std::vector<std::filesystem::path> plugin_dirs;  // --plugin-dir, in order
  // Which plugin files are trusted (assay/plugin_trust.hpp; plugin_options.cpp reads them).
  std::vector<std::filesystem::path> trusted_key_dirs;  // --trusted-keys, in order
  bool require_signed = false;                          // --require-signed, ASSAY_REQUIRE_SIGNED
  std::filesystem::path plugin_lock;                    // --plugin-lock, ASSAY_PLUGIN_LOCK
};

}  // namespace assay
