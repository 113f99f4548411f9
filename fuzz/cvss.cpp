// The CVSS v3.1 vector parser (plugins/cybersecurity) on any text: a vector it accepts scores
// within 0.0-10.0 and reads back from its canonical text as the same vector.
#include <string>

#include "cvss.hpp"
#include "harness.hpp"

namespace cvss = assay::cyber::cvss;

ASSAY_FUZZ_TARGET(cvss) {
  auto parsed = cvss::try_parse(assay::fuzz::as_text(data, size));
  if (!parsed) {
    ASSAY_FUZZ_CHECK(parsed.error.message.rfind("invalid vector", 0) == 0, parsed.error.message);
    return;
  }
  const cvss::Vector& v = *parsed.vector;
  std::string text = v.to_string();
  auto again = cvss::try_parse(text);
  ASSAY_FUZZ_CHECK(again && again.vector->to_string() == text, "the canonical text does not read back: " + text);
  const cvss::Decimal zero{0}, ten{10};
  auto base = cvss::base_score(v);
  ASSAY_FUZZ_CHECK(zero <= base && base <= ten, text);
  auto temporal = cvss::temporal_score(v);
  ASSAY_FUZZ_CHECK(zero <= temporal && temporal <= base, text);
  ASSAY_FUZZ_CHECK(!cvss::severity(base).empty(), text);
}
