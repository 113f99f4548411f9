// E-mail authentication and phishing heuristics for phishing-triage items.
//
// DMARC (RFC 7489 §3.1): a message passes when SPF or DKIM passes for a domain aligned with the
// RFC5322.From domain; relaxed alignment compares organizational domains, strict compares the
// domains exactly. Results are read from an Authentication-Results header (RFC 8601): the
// `spf` method's smtp.mailfrom and the `dkim` method's header.d properties.
//
// The organizational domain here is the last two labels of a name, or the last three when the
// last two are one of the item's `multi_label_suffixes` (e.g. "nhs.uk"): a small stand-in for
// the Public Suffix List that the item states in its params.
//
// Lookalike senders, Reply-To to another organization and links whose text names another host
// than their target are heuristics (not standards); items list the ones they use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assay::cyber::email {

enum class Alignment { kRelaxed, kStrict };

struct Policy {
  std::string organization_domain;  // the hospital's own domain, protected against lookalikes
  Alignment aspf = Alignment::kRelaxed;
  Alignment adkim = Alignment::kRelaxed;
  int lookalike_distance = 2;  // edit distance at or under which a different domain is a lookalike
  std::vector<std::string> multi_label_suffixes;
};

std::string lower(std::string_view s);
std::string organizational_domain(std::string_view domain, const std::vector<std::string>& multi_label_suffixes);
bool aligned(std::string_view a, std::string_view b, Alignment mode, const std::vector<std::string>& multi_label_suffixes);

struct AuthResults {
  std::string spf, spf_domain;    // "pass", "fail", ... and smtp.mailfrom's domain
  std::string dkim, dkim_domain;  // "pass", "none", ... and header.d
};
/// Reads the spf and dkim results of an Authentication-Results value:
/// "mx.example.org; spf=pass smtp.mailfrom=a.example; dkim=pass header.d=b.example".
/// Missing methods read as "none". nullopt when the value has no authserv-id.
std::optional<AuthResults> parse_auth_results(std::string_view value);

bool dmarc_pass(const AuthResults& results, std::string_view from_domain, const Policy& policy);

/// Levenshtein distance.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The host a link text or target names: "https://Portal.Example.org/x" -> "portal.example.org";
/// a bare "portal.example.org/x" also names a host; text without a dot names none ("").
std::string host_of(std::string_view text);

struct Link {
  std::string text, href;
};

struct Message {
  std::string from;  // "Name <local@domain>" or "local@domain"
  std::string reply_to, return_path, to, subject, authentication_results, dmarc_record, body;
  std::vector<Link> links;
};

/// The domain of an address, "Name <a@b.org>" -> "b.org" (lowercase; "" when there is none).
std::string domain_of(std::string_view address);

enum class Indicator { kDmarcFail, kReplyToMismatch, kLookalikeSender, kLinkMismatch };
struct IndicatorInfo {
  Indicator indicator;
  std::string_view id;
  std::string_view text;
};
const std::vector<IndicatorInfo>& indicators();
const IndicatorInfo* find_indicator(std::string_view id);
const IndicatorInfo& info(Indicator i);

/// The indicators the message shows, in indicators() order.
std::vector<Indicator> analyse(const Message& m, const Policy& policy);

/// A message from the hospital's service desk, altered by the seed to show exactly `inject`.
Message generate(const std::vector<Indicator>& inject, const Policy& policy, std::uint64_t seed);

}  // namespace assay::cyber::email
