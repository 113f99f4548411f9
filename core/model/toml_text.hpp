// How the loader names TOML values, keys and errors in its messages, and the small readers of
// TOML text it needs (ids, durations). Private to the model module.
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "assay/diagnostic.hpp"

namespace assay::model::toml_text {

/// A string as JSON writes it, quotes included; invalid UTF-8 replaced.
std::string quote(std::string_view s);
/// The shortest text that reads back as `d`.
std::string shortest(double d);
std::string format_date(const toml::date& d);
std::string format_time(const toml::time& t);
std::string format_date_time(const toml::date_time& dt);
/// What a value is, for "found ...": `string "4"`, `integer 4`, `a table`.
std::string describe(const toml::node& n);
/// toml++ words its errors "Error while parsing SCOPE: DETAIL"; we print "invalid TOML: scope:
/// detail", and say plainly what an unclosed string is (toml++ reports the line break it meets).
void describe_parse_error(std::string_view bytes, std::string text, Diagnostic& d);
/// Letters, digits, '-', '_' and '.'.
bool valid_id(std::string_view s);
/// A key TOML lets stand unquoted: letters, digits, '-' and '_'.
bool bare_key(std::string_view s);
/// "path.key", the key quoted when it is not bare.
std::string key_join(const std::string& path, std::string_view key);
/// "path[i]".
std::string index_join(const std::string& path, std::size_t i);
/// "40m", "1h30m", "90s", "2h": seconds, or -1.
std::int64_t parse_duration(std::string_view s);

}  // namespace assay::model::toml_text
