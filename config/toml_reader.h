#pragma once
// Strict, typed reading of a parsed config file, shared by the parts of the loader
// (config/load_config.cpp, config/discovery_config.cpp): every problem becomes a
// "<file>:<line>:<column>: …" diagnostic, all of them collected so a config is fixed in one pass.

#include <toml++/toml.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/environment.h"

namespace xee::config {

using Keys = std::vector<std::string_view>;

// "table.key", or "key" at the top level.
std::string join(std::string_view table_path, std::string_view key);
// "array[index]".
std::string indexed(std::string_view array_path, std::size_t index);
// "an integer", "a table", … for "expected …, got …" messages.
std::string type_of(const toml::node& node);
// " (did you mean "listen_address"?)", or nothing without a match.
std::string did_you_mean(const std::optional<std::string>& match);

struct Diagnostic {
  // Position in the config file, then the line within a Post list file the config names there.
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::size_t list_line = 0;
  std::string text;
};

// Diagnostics in position order, keeping only the first `limit`: a Post list of a million bad
// lines must not hold a million messages in memory.
class DiagnosticList {
 public:
  explicit DiagnosticList(std::size_t limit) : limit_(limit) {}

  void add(Diagnostic diagnostic);
  // Errors found but never kept (a Post list's problems past its own cap): counted only.
  void add_unshown(std::size_t count) { added_ += count; }
  bool empty() const { return added_ == 0; }
  std::size_t dropped() const { return added_ - kept_.size(); }
  std::vector<std::string> sorted_texts() const;

 private:
  struct Entry {
    Diagnostic diagnostic;
    std::size_t sequence = 0;  // keeps diagnostics at one position in the order they came
  };

  static bool before(const Entry& a, const Entry& b);

  std::size_t limit_;
  std::size_t added_ = 0;
  std::vector<Entry> kept_;  // a max-heap by position while adding
};

// Typed access to one config file's tables. Each accessor reports its own errors and returns
// nullopt/nullptr on them, so callers only decide what a valid value means.
class TomlReader {
 public:
  TomlReader(const std::string& path, const Environment& env);

  const std::string& config_file() const { return path_; }
  const Environment& environment() const { return env_; }

  // ----- diagnostics -----

  std::string position(const toml::source_region& where) const;
  // Where a diagnostic sorts; its text is set by the caller.
  static Diagnostic anchor(const toml::source_region& where, std::size_t list_line = 0);
  Diagnostic at(const toml::source_region& where, std::string what) const;
  void error(const toml::node& where, std::string what);
  void error(const toml::source_region& where, std::string what);
  void error(Diagnostic diagnostic) { errors_.add(std::move(diagnostic)); }
  void count_unshown_errors(std::size_t count) { errors_.add_unshown(count); }
  void warn(const toml::node& where, std::string what);
  void warn(const toml::source_region& where, std::string what);
  bool has_errors() const { return !errors_.empty(); }
  // Every error, one per line, sorted by position; beyond the limit only a count.
  std::string error_report() const;
  std::vector<std::string> warnings() const { return warnings_.sorted_texts(); }

  // ----- keys -----

  // Reports unknown keys; false when there was one. The key an unknown one was taken for counts
  // as written (see written()), so a typo is reported once and not also as a missing key.
  bool check_keys(const toml::table& table, std::string_view table_path, const Keys& allowed);
  bool written(const toml::table* table, std::string_view table_path, std::string_view key) const;
  void require_keys(const toml::table& table, const std::string& path, const Keys& required);
  // True the first time `identity` is seen (remembering where); after that, reports
  // "<path>: duplicate <noun> "<value>" (first defined at <place>)" and returns false.
  bool first_definition(const toml::value<std::string>& value, const std::string& path,
                        std::string_view noun, std::string identity,
                        std::map<std::string, std::string>& first_place_by_identity);

  // ----- typed values -----

  const toml::table* table_at(const toml::node& node, const std::string& path);
  const toml::table* optional_table(const toml::table& parent, std::string_view parent_path,
                                    std::string_view key);
  // The tables of `[[key]]` (or `key = [{…}, …]`), each with its "parent.key[i]" path.
  std::vector<std::pair<const toml::table*, std::string>> array_of_tables(
      const toml::table& parent, std::string_view parent_path, std::string_view key);
  // The strings of `key = ["…", …]`, each with its "parent.key[i]" path; nullopt when the key is
  // absent or not an array. Elements that are not non-empty strings are reported and left out.
  std::optional<std::vector<std::pair<const toml::value<std::string>*, std::string>>> string_array(
      const toml::table& table, std::string_view table_path, std::string_view key);

  template <typename T>
  const toml::value<T>* typed(const toml::table& table, std::string_view table_path,
                              std::string_view key, std::string_view expected) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return nullptr;
    if (const toml::value<T>* value = node->as<T>()) return value;
    error(*node, join(table_path, key) + ": expected " + std::string(expected) + ", got " +
                     type_of(*node));
    return nullptr;
  }

  // A string that must not be empty.
  const toml::value<std::string>* string_node(const toml::table& table, std::string_view table_path,
                                              std::string_view key);
  std::optional<std::int64_t> integer_in_range(const toml::table& table,
                                               std::string_view table_path, std::string_view key,
                                               std::int64_t min, std::int64_t max);
  std::optional<std::chrono::milliseconds> duration_in_range(const toml::table& table,
                                                             std::string_view table_path,
                                                             std::string_view key,
                                                             std::chrono::milliseconds min,
                                                             std::chrono::milliseconds max);
  // A TOML float or integer within [min, max].
  std::optional<double> fraction_in_range(const toml::table& table, std::string_view table_path,
                                          std::string_view key, double min, double max);

  // Relative paths are relative to the config file's folder, so a config and the files it
  // names move together.
  std::string resolve(std::string_view relative) const;

 private:
  const std::string& path_;
  const Environment& env_;
  DiagnosticList errors_;
  // Few: at most a handful per key of the config.
  DiagnosticList warnings_{SIZE_MAX};
  std::set<std::string, std::less<>> misspelt_;  // e.g. "accounts[0].access_token"
};

}  // namespace xee::config
