#include "email.hpp"

#include <algorithm>
#include <assay/sdk.hpp>

namespace assay::cyber::email {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string organizational_domain(std::string_view domain, const std::vector<std::string>& multi_label_suffixes) {
  std::string d = lower(domain);
  std::vector<std::size_t> dots;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d[i] == '.') dots.push_back(i);
  }
  auto last = [&](std::size_t labels) -> std::string {
    if (dots.size() < labels) return d;
    return d.substr(dots[dots.size() - labels] + 1);
  };
  auto two = last(2);
  bool multi = std::find(multi_label_suffixes.begin(), multi_label_suffixes.end(), two) != multi_label_suffixes.end();
  return multi ? last(3) : two;
}

bool aligned(std::string_view a, std::string_view b, Alignment mode, const std::vector<std::string>& multi_label_suffixes) {
  if (a.empty() || b.empty()) return false;
  if (mode == Alignment::kStrict) return lower(a) == lower(b);
  return organizational_domain(a, multi_label_suffixes) == organizational_domain(b, multi_label_suffixes);
}

namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::optional<AuthResults> parse_auth_results(std::string_view value) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto semi = value.find(';', start);
    parts.push_back(trim(value.substr(start, semi == std::string_view::npos ? std::string_view::npos : semi - start)));
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  if (parts.empty() || parts[0].empty() || parts[0].find('=') != std::string::npos) return std::nullopt;
  AuthResults r{"none", "", "none", ""};
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::vector<std::string> words;
    std::string w;
    for (char c : parts[i] + " ") {
      if (c == ' ' || c == '\t') {
        if (!w.empty()) words.push_back(w);
        w.clear();
      } else {
        w += c;
      }
    }
    if (words.empty()) continue;
    auto eq = words[0].find('=');
    if (eq == std::string::npos) continue;
    auto method = lower(words[0].substr(0, eq));
    auto result = lower(words[0].substr(eq + 1));
    auto property = [&](std::string_view name) -> std::string {
      for (std::size_t k = 1; k < words.size(); ++k) {
        if (lower(words[k].substr(0, name.size())) == name && words[k].size() > name.size() && words[k][name.size()] == '=') {
          auto v = words[k].substr(name.size() + 1);
          if (auto at = v.rfind('@'); at != std::string::npos) v = v.substr(at + 1);
          return lower(v);
        }
      }
      return "";
    };
    if (method == "spf") {
      r.spf = result;
      r.spf_domain = property("smtp.mailfrom");
    } else if (method == "dkim" && (r.dkim != "pass")) {  // any passing signature counts
      r.dkim = result;
      r.dkim_domain = property("header.d");
    }
  }
  return r;
}

bool dmarc_pass(const AuthResults& r, std::string_view from_domain, const Policy& p) {
  bool spf = r.spf == "pass" && aligned(r.spf_domain, from_domain, p.aspf, p.multi_label_suffixes);
  bool dkim = r.dkim == "pass" && aligned(r.dkim_domain, from_domain, p.adkim, p.multi_label_suffixes);
  return spf || dkim;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string host_of(std::string_view text) {
  std::string t = lower(trim(text));
  for (std::string_view scheme : {"https://", "http://"}) {
    if (t.rfind(scheme, 0) == 0) {
      t = t.substr(scheme.size());
      break;
    }
  }
  auto end = t.find_first_of("/:?# ");
  t = t.substr(0, end);
  if (auto at = t.rfind('@'); at != std::string::npos) t = t.substr(at + 1);
  if (t.find('.') == std::string::npos || t.front() == '.' || t.back() == '.') return "";
  return t;
}

std::string domain_of(std::string_view address) {
  std::string a(address);
  if (auto lt = a.find('<'); lt != std::string::npos) {
    auto gt = a.find('>', lt);
    a = a.substr(lt + 1, gt == std::string::npos ? std::string::npos : gt - lt - 1);
  }
  auto at = a.rfind('@');
  if (at == std::string::npos) return "";
  return lower(trim(a.substr(at + 1)));
}

const std::vector<IndicatorInfo>& indicators() {
  static const std::vector<IndicatorInfo> all = {
      {Indicator::kDmarcFail, "dmarc-fail", "DMARC fails: no passing SPF or DKIM identifier aligns with the From domain"},
      {Indicator::kReplyToMismatch, "reply-to-mismatch", "Reply-To belongs to another organization than From"},
      {Indicator::kLookalikeSender, "lookalike-sender", "The From domain imitates the hospital's domain"},
      {Indicator::kLinkMismatch, "link-mismatch", "A link's text names another host than the link's target"},
  };
  return all;
}

const IndicatorInfo* find_indicator(std::string_view id) {
  for (const auto& i : indicators()) {
    if (i.id == id) return &i;
  }
  return nullptr;
}

const IndicatorInfo& info(Indicator ind) {
  for (const auto& i : indicators()) {
    if (i.indicator == ind) return i;
  }
  throw std::logic_error("email: unknown indicator");
}

std::vector<Indicator> analyse(const Message& m, const Policy& p) {
  std::vector<Indicator> out;
  auto from = domain_of(m.from);
  auto results = parse_auth_results(m.authentication_results);
  if (!results || !dmarc_pass(*results, from, p)) out.push_back(Indicator::kDmarcFail);
  auto reply = domain_of(m.reply_to);
  if (!reply.empty() && !aligned(reply, from, Alignment::kRelaxed, p.multi_label_suffixes))
    out.push_back(Indicator::kReplyToMismatch);
  auto org = organizational_domain(from, p.multi_label_suffixes);
  auto own = organizational_domain(p.organization_domain, p.multi_label_suffixes);
  if (org != own && edit_distance(org, own) <= static_cast<std::size_t>(p.lookalike_distance))
    out.push_back(Indicator::kLookalikeSender);
  for (const auto& l : m.links) {
    auto shown = host_of(l.text);
    if (!shown.empty() && shown != host_of(l.href)) {
      out.push_back(Indicator::kLinkMismatch);
      break;
    }
  }
  return out;
}

namespace {

// A lookalike of `domain`'s first label at edit distance 1 or 2.
std::string lookalike_of(const std::string& domain, sdk::Rng& rng) {
  auto dot = domain.find('.');
  std::string label = domain.substr(0, dot), rest = domain.substr(dot);
  std::vector<std::string> options;
  for (std::size_t i = 0; i < label.size(); ++i) {
    char c = label[i];
    char sub = c == 'l' ? '1' : c == 'o' ? '0' : c == 'i' ? 'l' : c == 'm' ? 'n' : 0;
    if (sub != 0) options.push_back(label.substr(0, i) + sub + label.substr(i + 1));
  }
  for (std::size_t i = 1; i + 1 < label.size(); ++i) {
    if (label[i] != label[i + 1] && label[i] != '-' && label[i + 1] != '-') {
      std::string swapped = label;
      std::swap(swapped[i], swapped[i + 1]);
      options.push_back(swapped);
    }
  }
  if (options.empty()) options.push_back(label + label.back());
  return rng.pick(options) + rest;
}

const std::vector<std::string> kSenders = {"servicedesk", "it-support", "noreply", "security"};
const std::vector<std::string> kSubjects = {"Action required: password expiry", "Your EHR access will be suspended",
                                            "Mailbox storage full", "Mandatory security update"};
// A message without indicators is an ordinary notice, not a credential lure: a lure that passes
// SPF, DKIM and DMARC can still come from a compromised mailbox, so keying one "legitimate"
// would teach the wrong lesson (issue 16).
const std::vector<std::string> kNoticeSubjects = {"Planned EHR downtime on Sunday", "New service desk opening hours",
                                                  "Printer replacement on 3 West", "Reminder: IT drop-in session"};
// Reserved names (RFC 2606), each its own organizational domain.
const std::vector<std::string> kOtherOrgs = {"mailercloud.example", "bulksend.example", "freemailbox.example"};
const std::vector<std::string> kEvilHosts = {"portal-login.example", "secure-reset.example", "auth-check.example"};

}  // namespace

Message generate(const std::vector<Indicator>& inject, const Policy& p, std::uint64_t seed) {
  sdk::Rng rng(seed);
  auto has = [&](Indicator i) { return std::find(inject.begin(), inject.end(), i) != inject.end(); };
  const std::string& org = p.organization_domain;
  std::string from_domain = has(Indicator::kLookalikeSender) ? lookalike_of(org, rng) : org;
  std::string sender = rng.pick(kSenders);
  Message m;
  m.from = "IT Service Desk <" + sender + "@" + from_domain + ">";
  m.to = "staff-all@" + org;
  m.subject = inject.empty() ? rng.pick(kNoticeSubjects) : rng.pick(kSubjects);
  std::string envelope = from_domain, signer = from_domain;
  if (has(Indicator::kDmarcFail)) {
    envelope = rng.pick(kOtherOrgs);
    signer = rng.chance(1, 2) ? envelope : "";
  }
  m.return_path = "<bounce@" + envelope + ">";
  m.authentication_results = "mx." + org + "; spf=pass smtp.mailfrom=" + envelope + "; " +
                             (signer.empty() ? std::string("dkim=none") : "dkim=pass header.d=" + signer);
  m.dmarc_record = "_dmarc." + organizational_domain(from_domain, p.multi_label_suffixes) + " TXT \"v=DMARC1; p=quarantine" +
                   (p.adkim == Alignment::kStrict ? "; adkim=s" : "") + (p.aspf == Alignment::kStrict ? "; aspf=s" : "") + "\"";
  if (has(Indicator::kReplyToMismatch))
    m.reply_to = "helpdesk." + std::to_string(rng.between(10, 99)) + "@" + rng.pick(kOtherOrgs);
  if (inject.empty()) {
    std::string page = "https://intranet." + org + "/it/notices";
    m.links.push_back({page, page});
    m.body = "Dear colleague,\n\n" + m.subject +
             ": the details are on the IT notices page of the intranet:\n[link 1]\n\nNo action is needed from you, and we will "
             "never ask for your password by email.\n\nIT Service Desk";
    return m;
  }
  std::string shown = "https://portal." + org + "/account";
  std::string target = has(Indicator::kLinkMismatch) ? "https://" + rng.pick(kEvilHosts) + "/account" : shown;
  m.links.push_back({shown, target});
  m.body =
      "Dear colleague,\n\nTo keep your access to clinical systems, confirm your account within 24 hours:\n[link 1]\n\nIT Service "
      "Desk";
  return m;
}

}  // namespace assay::cyber::email
