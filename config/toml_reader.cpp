#include "config/toml_reader.h"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <tuple>

#include "common/time_format.h"
#include "common/toml_type_name.h"
#include "config/config.h"
#include "config/suggest.h"
#include "config/text.h"

namespace xee::config {

using std::chrono::milliseconds;

std::string join(std::string_view table_path, std::string_view key) {
  if (table_path.empty()) return std::string(key);
  return std::string(table_path) + "." + std::string(key);
}

std::string indexed(std::string_view array_path, std::size_t index) {
  return std::string(array_path) + "[" + std::to_string(index) + "]";
}

std::string type_of(const toml::node& node) {
  return std::string(common::toml_type_name(node.type()));
}

std::string did_you_mean(const std::optional<std::string>& match) {
  return match ? " (did you mean \"" + *match + "\"?)" : "";
}

// ----- DiagnosticList -----

void DiagnosticList::add(Diagnostic diagnostic) {
  // Keys and values are quoted as written, and TOML lets them hold any control character.
  diagnostic.text = escape_control_characters(diagnostic.text);
  kept_.push_back(Entry{std::move(diagnostic), added_++});
  std::push_heap(kept_.begin(), kept_.end(), &DiagnosticList::before);
  if (kept_.size() > limit_) {
    std::pop_heap(kept_.begin(), kept_.end(), &DiagnosticList::before);
    kept_.pop_back();
  }
}

std::vector<std::string> DiagnosticList::sorted_texts() const {
  std::vector<Entry> sorted = kept_;
  std::sort(sorted.begin(), sorted.end(), &DiagnosticList::before);
  std::vector<std::string> texts;
  texts.reserve(sorted.size());
  for (Entry& entry : sorted) texts.push_back(std::move(entry.diagnostic.text));
  return texts;
}

bool DiagnosticList::before(const Entry& a, const Entry& b) {
  const Diagnostic& x = a.diagnostic;
  const Diagnostic& y = b.diagnostic;
  return std::tie(x.line, x.column, x.list_line, a.sequence) <
         std::tie(y.line, y.column, y.list_line, b.sequence);
}

// ----- TomlReader: diagnostics -----

TomlReader::TomlReader(const std::string& path, const Environment& env)
    : path_(path), env_(env), errors_(kMaxReportedErrors) {}

std::string TomlReader::position(const toml::source_region& where) const {
  return path_ + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
}

Diagnostic TomlReader::anchor(const toml::source_region& where, std::size_t list_line) {
  return Diagnostic{where.begin.line, where.begin.column, list_line, {}};
}

Diagnostic TomlReader::at(const toml::source_region& where, std::string what) const {
  Diagnostic d = anchor(where);
  d.text = position(where) + ": " + what;
  return d;
}

void TomlReader::error(const toml::node& where, std::string what) {
  errors_.add(at(where.source(), std::move(what)));
}

void TomlReader::error(const toml::source_region& where, std::string what) {
  errors_.add(at(where, std::move(what)));
}

void TomlReader::warn(const toml::node& where, std::string what) {
  warnings_.add(at(where.source(), std::move(what)));
}

void TomlReader::warn(const toml::source_region& where, std::string what) {
  warnings_.add(at(where, std::move(what)));
}

std::string TomlReader::error_report() const {
  std::vector<std::string> texts = errors_.sorted_texts();
  if (errors_.dropped() > 0) {
    texts.push_back(path_ + ": " + std::to_string(errors_.dropped()) + " more errors not shown");
  }
  std::string report;
  for (const std::string& text : texts) report += (report.empty() ? "" : "\n") + text;
  return report;
}

// ----- TomlReader: keys -----

bool TomlReader::check_keys(const toml::table& table, std::string_view table_path,
                            const Keys& allowed) {
  bool all_known = true;
  for (auto&& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
    all_known = false;
    const auto match = closest_match(key.str(), allowed);
    std::string hint = did_you_mean(match);
    if (match) {
      misspelt_.insert(join(table_path, *match));
    } else {
      hint = " (expected ";
      for (std::size_t i = 0; i < allowed.size(); ++i) {
        hint += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + std::string(allowed[i]);
      }
      hint += ")";
    }
    error(key.source(), "unknown key " + join(table_path, key.str()) + hint);
  }
  return all_known;
}

bool TomlReader::written(const toml::table* table, std::string_view table_path,
                         std::string_view key) const {
  return table != nullptr && (table->contains(key) || misspelt_.contains(join(table_path, key)));
}

void TomlReader::require_keys(const toml::table& table, const std::string& path,
                              const Keys& required) {
  for (const std::string_view key : required) {
    if (!written(&table, path, key)) {
      error(table, path + ": missing required key \"" + std::string(key) + "\"");
    }
  }
}

bool TomlReader::first_definition(const toml::value<std::string>& value, const std::string& path,
                                  std::string_view noun, std::string identity,
                                  std::map<std::string, std::string>& first_place_by_identity) {
  const auto [it, inserted] =
      first_place_by_identity.emplace(std::move(identity), position(value.source()));
  if (!inserted) {
    error(value, path + ": duplicate " + std::string(noun) + " \"" + value.get() +
                     "\" (first defined at " + it->second + ")");
  }
  return inserted;
}

// ----- TomlReader: typed values -----

const toml::table* TomlReader::table_at(const toml::node& node, const std::string& path) {
  if (const toml::table* table = node.as_table()) return table;
  error(node, path + ": expected a table, got " + type_of(node));
  return nullptr;
}

const toml::table* TomlReader::optional_table(const toml::table& parent,
                                              std::string_view parent_path, std::string_view key) {
  const toml::node* node = parent.get(key);
  return node ? table_at(*node, join(parent_path, key)) : nullptr;
}

std::vector<std::pair<const toml::table*, std::string>> TomlReader::array_of_tables(
    const toml::table& parent, std::string_view parent_path, std::string_view key) {
  std::vector<std::pair<const toml::table*, std::string>> tables;
  const toml::node* node = parent.get(key);
  if (node == nullptr) return tables;
  const std::string array_path = join(parent_path, key);
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    error(*node, array_path + ": expected an array of tables ([[" + array_path + "]]), got " +
                     type_of(*node));
    return tables;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string path = indexed(array_path, i);
    if (const toml::table* table = table_at(*array->get(i), path)) {
      tables.emplace_back(table, path);
    }
  }
  return tables;
}

std::optional<std::vector<std::pair<const toml::value<std::string>*, std::string>>>
TomlReader::string_array(const toml::table& table, std::string_view table_path,
                         std::string_view key) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  const std::string array_path = join(table_path, key);
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    error(*node, array_path + ": expected an array of strings, got " + type_of(*node));
    return std::nullopt;
  }
  std::vector<std::pair<const toml::value<std::string>*, std::string>> strings;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const std::string path = indexed(array_path, i);
    const auto* value = element.as_string();
    if (value == nullptr) {
      error(element, path + ": expected a string, got " + type_of(element));
    } else if (value->get().empty()) {
      error(element, path + ": must not be empty");
    } else {
      strings.emplace_back(value, path);
    }
  }
  return strings;
}

const toml::value<std::string>* TomlReader::string_node(const toml::table& table,
                                                        std::string_view table_path,
                                                        std::string_view key) {
  const auto* value = typed<std::string>(table, table_path, key, "a string");
  if (value != nullptr && value->get().empty()) {
    error(*value, join(table_path, key) + ": must not be empty");
    return nullptr;
  }
  return value;
}

std::optional<std::int64_t> TomlReader::integer_in_range(const toml::table& table,
                                                         std::string_view table_path,
                                                         std::string_view key, std::int64_t min,
                                                         std::int64_t max) {
  const auto* value = typed<std::int64_t>(table, table_path, key, "an integer");
  if (value == nullptr) return std::nullopt;
  if (value->get() < min || value->get() > max) {
    error(*value, join(table_path, key) + ": " + std::to_string(value->get()) +
                      " is out of range " + std::to_string(min) + ".." + std::to_string(max));
    return std::nullopt;
  }
  return value->get();
}

std::optional<milliseconds> TomlReader::duration_in_range(const toml::table& table,
                                                          std::string_view table_path,
                                                          std::string_view key, milliseconds min,
                                                          milliseconds max) {
  const auto* value = string_node(table, table_path, key);
  if (value == nullptr) return std::nullopt;
  const std::string path = join(table_path, key);
  const auto duration = common::parse_duration(value->get());
  if (!duration) {
    error(*value, path + ": invalid duration " + quote_shortened(value->get()) +
                      "; expected a number and a unit, as in \"250ms\", \"30s\", \"5m\" or \"1h\"");
    return std::nullopt;
  }
  if (*duration < min || *duration > max) {
    error(*value, path + ": " + value->get() + " is out of range " + common::format_duration(min) +
                      ".." + common::format_duration(max));
    return std::nullopt;
  }
  return duration;
}

std::optional<double> TomlReader::fraction_in_range(const toml::table& table,
                                                    std::string_view table_path,
                                                    std::string_view key, double min, double max) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  std::optional<double> value;
  if (const auto* real = node->as_floating_point()) value = real->get();
  if (const auto* integer = node->as_integer()) value = static_cast<double>(integer->get());
  if (!value) {
    error(*node, join(table_path, key) + ": expected a number, got " + type_of(*node));
    return std::nullopt;
  }
  if (!(*value >= min && *value <= max)) {
    std::ostringstream range;
    range << min << ".." << max;
    std::ostringstream shown;
    shown << *value;
    error(*node, join(table_path, key) + ": " + shown.str() + " is out of range " + range.str());
    return std::nullopt;
  }
  return value;
}

std::string TomlReader::resolve(std::string_view relative) const {
  const std::filesystem::path path(relative);
  if (path.is_absolute()) return path.string();
  return (std::filesystem::path(path_).parent_path() / path).string();
}

}  // namespace xee::config
