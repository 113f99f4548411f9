// The HL7 v2 parser (plugins/ehr-admin) on any bytes. The first line is a location path
// ("PID-3(5=MR).1"), the rest a message. A message it accepts shows as text that parses to the
// same segments; every field's leaves unescape, and escaping then unescaping gives back the text.
#include <string>

#include "harness.hpp"
#include "hl7v2.hpp"

namespace hl7 = assay::ehr::hl7;

ASSAY_FUZZ_TARGET(hl7) {
  auto [path_text, message] = assay::fuzz::cut(assay::fuzz::as_text(data, size), '\n');
  std::string error;
  auto path = hl7::parse_path(path_text, &error);
  ASSAY_FUZZ_CHECK(path || !error.empty(), "a path refused without a reason");
  hl7::Message msg;
  try {
    msg = hl7::parse(message);
  } catch (const hl7::ParseError& e) {
    ASSAY_FUZZ_CHECK(e.segment() <= hl7::segment_lines(message).size(), e.what());
    return;
  }
  ASSAY_FUZZ_CHECK(!msg.segments.empty() && msg.segments[0].id == "MSH", "a message that does not start with MSH");
  auto again = hl7::parse(hl7::display(msg));
  ASSAY_FUZZ_CHECK(again.segments.size() == msg.segments.size(), "display() changed the segments");
  for (std::size_t n = 0; n < msg.segments.size(); ++n)
    ASSAY_FUZZ_CHECK(again.segments[n].fields == msg.segments[n].fields, "display() changed segment " + std::to_string(n + 1));
  if (path) (void)hl7::value(msg, *path);
  for (const auto& seg : msg.segments) {
    for (const auto& field : seg.fields) {
      std::string plain = hl7::unescape(field, msg.encoding);
      ASSAY_FUZZ_CHECK(hl7::unescape(hl7::escape(plain, msg.encoding), msg.encoding) == plain, "escape/unescape: " + plain);
    }
  }
}
