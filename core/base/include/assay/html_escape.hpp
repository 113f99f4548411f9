// Text made safe inside HTML and XML: every writer of markup (the HTML report, the Moodle XML
// export's question text) escapes through this one function.
#pragma once

#include <string>
#include <string_view>

namespace assay {

/// &, <, >, " and ' as entities.
std::string html_escape(std::string_view text);

}  // namespace assay
