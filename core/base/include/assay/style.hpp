// Terminal styling with ANSI escapes, or none: the one place the engine writes them. Callers
// decide `color` from the terminal and NO_COLOR (https://no-color.org); text is unchanged
// without it.
#pragma once

#include <string>
#include <string_view>

namespace assay {

struct Style {
  bool color = false;

  std::string bold(std::string_view s) const { return wrap("\x1b[1m", s); }
  std::string dim(std::string_view s) const { return wrap("\x1b[2m", s); }
  std::string green(std::string_view s) const { return wrap("\x1b[32m", s); }
  std::string red(std::string_view s) const { return wrap("\x1b[31m", s); }
  std::string yellow(std::string_view s) const { return wrap("\x1b[33m", s); }

 private:
  std::string wrap(const char* on, std::string_view s) const {
    return color ? std::string(on).append(s).append("\x1b[0m") : std::string(s);
  }
};

}  // namespace assay
