#include "assets.hpp"

#include <cstddef>
#include <vector>

namespace assay::serve {

namespace detail {
struct EmbeddedAsset {
  const char* path;
  const char* media_type;
  const char* data;
  std::size_t size;
};
extern const EmbeddedAsset kEmbeddedAssets[];
extern const std::size_t kEmbeddedAssetCount;
}  // namespace detail

const Asset* find_asset(std::string_view path) {
  static const std::vector<Asset> assets = [] {
    std::vector<Asset> v;
    for (std::size_t i = 0; i < detail::kEmbeddedAssetCount; ++i) {
      const auto& a = detail::kEmbeddedAssets[i];
      v.push_back({a.path, a.media_type, std::string_view(a.data, a.size)});
    }
    return v;
  }();
  for (const auto& a : assets)
    if (a.path == path) return &a;
  return nullptr;
}

}  // namespace assay::serve
