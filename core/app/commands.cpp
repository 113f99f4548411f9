#include "commands.hpp"

#include <nlohmann/json.hpp>

namespace assay::app {

namespace {
constexpr Command kCommands[] = {
    {"help", "show the commands and what they do", &add_help},
    {"plugins", "list the plugins found on the search path, and the files refused", &add_plugins},
    {"types", "list the item types, or describe one: params, criteria, a TOML example", &add_types},
    {"new-plugin", "write a plugin project to build out of tree (for plugin authors)", &add_new_plugin},
    {"plugin-check", "check that a plugin keeps the plugin contract (for plugin authors)", &add_plugin_check},
    {"plugin-sign", "sign a plugin library, or make a signing key (for plugin providers)", &add_plugin_sign},
    {"validate", "check assessments: every error with file:line:column", &add_validate},
    {"import", "turn a question bank from another platform (GIFT, Moodle XML, QTI) into an assessment", &add_import},
    {"export", "write an assessment's core-items questions for another platform (Moodle XML, QTI 3.0)", &add_export},
    {"preview", "show an item as a candidate sees it, for a given seed", &add_preview},
    {"take", "practise an assessment in the terminal, with feedback or as a timed exam", &add_take},
    {"score", "score attempts (JSON Lines) into results and a CSV summary", &add_score},
    {"report", "summarise results in the terminal or as an HTML page; one candidate's review", &add_report},
    {"stats", "item analysis, reliability, Rasch and 2PL calibration over results or a matrix", &add_stats},
    {"cohort", "generate a seeded cohort of synthetic candidates for an assessment", &add_cohort},
    {"serve", "run screening campaigns in the browser (HTTP server, SQLite or PostgreSQL store)", &add_serve},
};
}  // namespace

std::span<const Command> commands() { return kCommands; }

void check_xapi_options(const std::string& command, const std::string& option, const xapi::Options& x) {
  auto irl = nlohmann::json::object({{"objectType", "Agent"}, {"account", {{"homePage", x.home_page}, {"name", "c"}}}});
  auto base = x.activity_base.empty() ? x.home_page : x.activity_base;
  auto problems = xapi::check_statement({{"actor", irl}, {"verb", {{"id", "urn:x"}}}, {"object", {{"id", base}}}});
  if (!x.activity_base.empty() && !problems.empty() && problems.front().rfind("object", 0) == 0)
    throw ExitRequest{Exit::kUsage, command + ": error: --xapi-activity-base: expected an IRI, found '" + base + "'"};
  if (x.home_page.empty() || !problems.empty())
    throw ExitRequest{Exit::kUsage, command + ": error: " + option +
                                        " needs --xapi-home URL, the http(s) home page of the system whose candidate "
                                        "ids these are" +
                                        (x.home_page.empty() ? std::string() : " (found '" + x.home_page + "')") +
                                        "\n  hint: --xapi-home https://careers.example-hospital.org"};
}

}  // namespace assay::app
