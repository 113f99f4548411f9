// The browser UI embedded in the binary (core/serve/web/, cmake/AssayEmbedWeb.cmake).
#pragma once

#include <string_view>

namespace assay::serve {

struct Asset {
  std::string_view path;        // "/index.html"
  std::string_view media_type;  // "text/html; charset=utf-8"
  std::string_view data;
};

/// The embedded file at `path` ("/app.js"), or nullptr.
const Asset* find_asset(std::string_view path);

}  // namespace assay::serve
