// Inviting a campaign's candidates from a CSV file: all rows or none, answered with the links
// for the hospital's mail system.
#include <fmt/format.h>

#include <algorithm>

#include "assay/io.hpp"
#include "routes.hpp"

namespace assay::serve::detail {

HttpResponse import_csv(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  refuse_if_closed(api, c);
  auto parsed = io::try_parse_csv(call.req.body);
  if (!parsed) {
    const auto& e = parsed.error();
    refuse(400, "bad_csv", fmt::format("line {}, column {}: {}: {}", e.line, e.column, e.message, e.hints.at(0)));
  }
  auto& rows = *parsed;
  if (rows.empty()) refuse(400, "bad_csv", "line 1: expected the header row 'name,email,external_ref'");
  auto& header = rows[0].fields;
  auto col = [&](const char* name) -> std::ptrdiff_t {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : it - header.begin();
  };
  auto cn = col("name"), ce = col("email"), cr = col("external_ref");
  if (cn < 0) refuse(400, "bad_csv", fmt::format("line {}: the header row has no 'name' column", rows[0].line));
  std::vector<Candidate> v;
  std::vector<std::string> tokens;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    auto& r = rows[i].fields;
    auto line = rows[i].line;
    auto at = [&](std::ptrdiff_t k) {
      return k >= 0 && static_cast<std::size_t>(k) < r.size() ? r[static_cast<std::size_t>(k)] : "";
    };
    if (r.size() != header.size())
      refuse(400, "bad_csv", fmt::format("line {}: expected {} fields, found {}", line, header.size(), r.size()));
    if (at(cn).empty()) refuse(400, "bad_csv", fmt::format("line {}: the name is empty", line));
    std::string token;
    v.push_back(new_candidate(c.id, at(cn), at(ce), at(cr), token));
    tokens.push_back(token);
  }
  api.store.insert_candidates(v);
  api.log(c.id, call.staff->user.username, "import", fmt::format("{} candidate{}", v.size(), v.size() == 1 ? "" : "s"));
  io::CsvWriter csv;
  csv.row({"name", "email", "external_ref", "candidate_id", "link"});
  for (std::size_t i = 0; i < v.size(); ++i)
    csv.row({v[i].name, v[i].email, v[i].external_ref, std::to_string(v[i].id), api.base_url(call.req) + "/c/" + tokens[i]});
  HttpResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = csv.text();
  return r;
}

}  // namespace assay::serve::detail
