#pragma once
// Small text helpers for configuration messages and values read from files.

#include <string>
#include <string_view>

namespace xee::config {

// Without leading and trailing ASCII whitespace (a Post list line).
std::string_view trim(std::string_view text);
// Without trailing ASCII whitespace: a secret file written by `echo` ends in a newline that is
// not part of the secret.
std::string_view trim_end(std::string_view text);
// ASCII lower case: handles, hosts and URL schemes compare case-insensitively.
std::string to_lower(std::string_view text);
// `text` with each control character written as TOML would escape it ("\n", "\u001B"), so a
// diagnostic quoting a key or value stays on one line and cannot drive a terminal.
std::string escape_control_characters(std::string_view text);
// "\"value\"", cut to 40 characters plus "…" so a pasted URL or a garbage line keeps the message
// on one readable line.
std::string quote_shortened(std::string_view text);

}  // namespace xee::config
