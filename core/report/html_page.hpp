// Shared by the HTML pages (the results report, `assay stats --html`): one look, one head.
#pragma once

#include <string>
#include <string_view>

namespace assay::report::detail {

/// From <!DOCTYPE html> to <body>: the page's title (escaped here) and the inline style sheet,
/// which styles the item-analysis section too.
std::string html_page_start(std::string_view title);

/// Closes what html_page_start opened.
inline constexpr const char* kHtmlPageEnd = "</body>\n</html>\n";

}  // namespace assay::report::detail
