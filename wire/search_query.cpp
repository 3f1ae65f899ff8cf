#include "wire/search_query.h"

#include <optional>
#include <vector>

#include "common/text.h"
#include "wire/api_limits.h"

namespace xee::wire {
namespace {

// Long values are cut in messages: the start is enough to find the entry in the config.
constexpr std::size_t kMaxQuotedLength = 60;

bool is_utf8_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) count += is_utf8_continuation(c) ? 0 : 1;
  return count;
}

// 1-based character position of byte `offset` in `text`, as an editor shows it.
std::size_t position_of(std::string_view text, std::size_t offset) {
  return code_points(text.substr(0, offset)) + 1;
}

using common::hex_byte;
using common::is_ascii_control;

// `value` in double quotes, escaped so the message stays one readable line.
std::string quoted(std::string_view value) {
  std::string out = "\"";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!is_utf8_continuation(value[i]) && ++shown > kMaxQuotedLength) {
      out += "...";
      break;
    }
    if (value[i] == '"' || value[i] == '\\') {
      out += '\\';
      out += value[i];
    } else if (is_ascii_control(value[i])) {
      out += "\\x" + hex_byte(value[i]).substr(2);
    } else {
      out += value[i];
    }
  }
  out += '"';
  return out;
}

tl::unexpected<Error> refuse(std::string_view what, std::string_view value,
                             std::string_view problem) {
  return fail(std::string(what) + " " + quoted(value) + ": " + std::string(problem));
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A hashtag or handle: 1..max_length of [A-Za-z0-9_], given without its sigil.
Result<void> check_name(std::string_view what, std::string_view name, std::size_t max_length,
                        char sigil) {
  if (name.empty()) return refuse(what, name, "is empty");
  if (name.front() == sigil) {
    return refuse(what, name,
                  "give it without the leading '" + std::string(1, sigil) + "'; the query adds it");
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (is_name_char(name[i])) continue;
    const std::string character =
        static_cast<unsigned char>(name[i]) >= 0x80 ? "a non-ASCII character"
        : is_ascii_control(name[i])                 ? "control character " + hex_byte(name[i])
                                                    : "'" + std::string(1, name[i]) + "'";
    return refuse(what, name,
                  character + " at position " + std::to_string(position_of(name, i)) +
                      " is not an ASCII letter, digit or underscore");
  }
  if (name.size() > max_length) {
    return refuse(what, name,
                  std::to_string(name.size()) + " characters, more than the " +
                      std::to_string(max_length) + " allowed");
  }
  return {};
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

bool ends_word(char c) {
  return c == ' ' || c == '(' || c == ')' || c == '"';
}

// Finds what would break the AND between `source_term` and `operators`: X's query grammar binds
// OR looser than the implicit AND of a space, so "#tag a OR b" means "(#tag a) OR b".
std::optional<std::string> operators_problem(std::string_view operators,
                                             std::string_view source_term) {
  std::vector<std::size_t> open_parentheses;  // byte offsets, innermost last
  std::optional<std::size_t> open_quote;
  std::size_t word_start = 0;
  bool in_word = false;
  const auto position = [operators](std::size_t offset) {
    return std::to_string(position_of(operators, offset));
  };
  for (std::size_t i = 0; i <= operators.size(); ++i) {
    const bool at_end = i == operators.size();
    const char c = at_end ? ' ' : operators[i];
    if (!at_end && is_ascii_control(c)) {
      return "control character " + hex_byte(c) + " at position " + position(i) +
             "; separate operators with spaces";
    }
    if (open_quote) {
      if (c == '"' && !at_end) open_quote.reset();
      continue;
    }
    if (in_word && ends_word(c)) {
      in_word = false;
      if (open_parentheses.empty() && operators.substr(word_start, i - word_start) == "OR") {
        return "a top-level OR would widen the search beyond " + std::string(source_term) +
               "; wrap alternatives in parentheses";
      }
    }
    if (at_end) break;
    if (c == '"') {
      open_quote = i;
    } else if (c == '(') {
      open_parentheses.push_back(i);
    } else if (c == ')') {
      if (open_parentheses.empty()) return "')' at position " + position(i) + " has no '('";
      open_parentheses.pop_back();
    } else if (c != ' ' && !in_word) {
      in_word = true;
      word_start = i;
    }
  }
  if (open_quote) return "the quote at position " + position(*open_quote) + " is never closed";
  if (!open_parentheses.empty()) {
    return "'(' at position " + position(open_parentheses.back()) + " is never closed";
  }
  return std::nullopt;
}

Result<std::string> build_query(std::string source_term, std::string_view operators) {
  // Checked as given, so that positions in messages count from what the user wrote.
  if (auto problem = operators_problem(operators, source_term)) {
    return refuse("operators", operators, *problem);
  }
  const std::string_view trimmed = trim_spaces(operators);
  std::string query = std::move(source_term);
  if (!trimmed.empty()) {
    query += ' ';
    query += trimmed;
  }
  if (const std::size_t length = code_points(query); length > kSearchMaxQueryLength) {
    return refuse("operators", operators,
                  "the query would be " + std::to_string(length) + " characters, more than the " +
                      std::to_string(kSearchMaxQueryLength) + " X accepts");
  }
  return query;
}

}  // namespace

Result<std::string> hashtag_query(std::string_view tag, std::string_view operators) {
  if (auto checked = check_name("hashtag", tag, kHashtagMaxLength, '#'); !checked) {
    return tl::unexpected(checked.error());
  }
  return build_query("#" + std::string(tag), operators);
}

Result<std::string> account_query(std::string_view handle, std::string_view operators) {
  if (auto checked = check_name("handle", handle, kHandleMaxLength, '@'); !checked) {
    return tl::unexpected(checked.error());
  }
  return build_query("from:" + std::string(handle), operators);
}

}  // namespace xee::wire
