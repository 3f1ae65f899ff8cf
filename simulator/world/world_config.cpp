// load_world_config: a strict reader for world TOML files. Every problem is reported as
// "<file>:<line>:<column>: <key>: <what is wrong>" at the offending node, so a user can fix a
// world file without guessing; unknown keys are errors because a misspelt optional key would
// otherwise silently fall back to its default.

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <type_traits>
#include <utility>

#include "common/time_format.h"
#include "common/toml_type_name.h"
#include "simulator/world/world.h"

namespace xee::simulator {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Checks a string value; returns what is wrong with it, or nullopt when it is fine.
using StringCheck = std::function<std::optional<std::string>(std::string_view)>;

enum class Need { optional, required };

// An inclusive range, or one that excludes its minimum (rates must be above 0).
struct Range {
  double min;
  double max;
  bool min_excluded = false;

  bool contains(double value) const {
    return (min_excluded ? value > min : value >= min) && value <= max;
  }
};

std::string format_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string describe(const Range& range) {
  if (range.min_excluded) {
    return "greater than " + format_number(range.min) + " and at most " + format_number(range.max);
  }
  return "between " + format_number(range.min) + " and " + format_number(range.max);
}

std::string_view type_name(const toml::node& node) {
  // One wording for the three TOML date kinds: the world file wants ISO-8601 strings instead.
  if (node.is_date() || node.is_time() || node.is_date_time()) return "a TOML date-time";
  return common::toml_type_name(node.type());
}

std::string located(const std::string& file, const toml::source_region& where,
                    std::string_view what) {
  return file + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column) +
         ": " + std::string(what);
}

bool all_of_chars(std::string_view text, bool (*allowed)(char)) {
  return std::all_of(text.begin(), text.end(), allowed);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c);
}
bool is_word_char(char c) {
  return is_alnum(c) || c == '_';
}
bool is_lang_char(char c) {
  return is_alnum(c) || c == '-';
}

std::string ascii_lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

std::optional<std::string> check_not_empty(std::string_view text) {
  if (text.empty()) return "must not be empty";
  return std::nullopt;
}

// X handles: 1–15 letters, digits and underscores. "user_<n>" is reserved for the synthetic
// public authors of hashtag streams, which must never be mistaken for a configured account.
std::optional<std::string> check_handle(std::string_view handle) {
  if (handle.empty() || handle.size() > 15 || !all_of_chars(handle, is_word_char)) {
    return "\"" + std::string(handle) + "\" is not an X handle (1-15 letters, digits or _)";
  }
  const std::string_view number = handle.substr(std::min<std::size_t>(5, handle.size()));
  if (ascii_lowercase(handle).starts_with("user_") && !number.empty() &&
      all_of_chars(number, is_digit)) {
    return "\"" + std::string(handle) + "\" is reserved for the simulator's public authors";
  }
  return std::nullopt;
}

// ASCII hashtags only: letters, digits and underscores, as the simulator's search matches them.
std::optional<std::string> check_tag(std::string_view tag) {
  if (!tag.empty() && tag.front() == '#') {
    return "\"" + std::string(tag) + "\" must be written without the leading '#'";
  }
  if (tag.empty() || tag.size() > 100 || !all_of_chars(tag, is_word_char)) {
    return "\"" + std::string(tag) + "\" is not a hashtag (1-100 letters, digits or _)";
  }
  return std::nullopt;
}

std::optional<std::string> check_lang(std::string_view lang) {
  if (lang.empty() || lang.size() > 16 || !all_of_chars(lang, is_lang_char)) {
    return "\"" + std::string(lang) + "\" is not a language code like \"en\" or \"pt-BR\"";
  }
  return std::nullopt;
}

// Reads the keys of one TOML table. The first problem wins and later reads do nothing, except
// that every key asked for is remembered: whatever is left over is an unknown key, reported
// ahead of any other problem, because a misspelt key usually also shows up as a missing one.
class TableReader {
 public:
  TableReader(const std::string& file, const toml::table& table, std::string name)
      : file_(file), table_(table), name_(std::move(name)) {}

  void string(std::string_view key, std::string& out, Need need, const StringCheck& check) {
    const auto* value = typed<std::string>(key, need, "a string");
    if (value == nullptr) return;
    if (const auto problem = check(value->get())) return fail(value->source(), key, *problem);
    out = value->get();
  }

  void number(std::string_view key, double& out, const Range& range) {
    const toml::node* node = find(key, Need::optional);
    if (node == nullptr) return;
    if (!node->is_number()) return wrong_type(*node, key, "a number");
    const double value = node->value<double>().value_or(0.0);
    if (!range.contains(value)) {
      return fail(node->source(), key,
                  "must be " + describe(range) + ", got " + format_number(value));
    }
    out = value;
  }

  void integer(std::string_view key, std::int64_t& out, Need need, std::int64_t min,
               std::int64_t max) {
    const auto* value = typed<std::int64_t>(key, need, "an integer");
    if (value == nullptr) return;
    if (value->get() < min || value->get() > max) {
      return fail(value->source(), key,
                  "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                      ", got " + std::to_string(value->get()));
    }
    out = value->get();
  }

  // An integer that must be one of `allowed` (e.g. an HTTP status among those X uses).
  template <std::size_t N>
  void one_of(std::string_view key, int& out, const std::array<int, N>& allowed) {
    const auto* value = typed<std::int64_t>(key, Need::optional, "an integer");
    if (value == nullptr) return;
    if (std::find(allowed.begin(), allowed.end(), value->get()) == allowed.end()) {
      std::string listed;
      for (const int option : allowed)
        listed += (listed.empty() ? "" : ", ") + std::to_string(option);
      return fail(value->source(), key,
                  "must be one of " + listed + ", got " + std::to_string(value->get()));
    }
    out = static_cast<int>(value->get());
  }

  template <typename Int>
  void small_integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max) {
    std::int64_t wide = out;
    integer(key, wide, Need::optional, min, max);
    out = static_cast<Int>(wide);
  }

  void timestamp(std::string_view key, TimePoint& out, Need need, TimePoint earliest,
                 TimePoint latest) {
    const auto* value =
        typed<std::string>(key, need, "an ISO-8601 string like \"2026-06-01T00:00:00Z\"");
    if (value == nullptr) return;
    const auto parsed = common::parse_iso8601(value->get());
    if (!parsed) {
      return fail(value->source(), key,
                  "\"" + value->get() +
                      "\" is not an ISO-8601 UTC timestamp like \"2026-06-01T00:00:00Z\"");
    }
    if (*parsed < earliest || *parsed > latest) {
      return fail(value->source(), key,
                  "must be between " +
                      common::format_iso8601(std::chrono::floor<seconds>(earliest)) + " and " +
                      common::format_iso8601(std::chrono::floor<seconds>(latest)) + ", got \"" +
                      value->get() + "\"");
    }
    out = *parsed;
  }

  // A duration string ("365d", "300s") holding a whole number of `Unit`s within [min, max].
  template <typename Unit>
  void duration(std::string_view key, Unit& out, Unit min, Unit max, std::string_view example) {
    const auto* value = typed<std::string>(key, Need::optional, "a duration string");
    if (value == nullptr) return;
    const auto parsed = common::parse_duration(value->get());
    if (!parsed) {
      return fail(
          value->source(), key,
          "\"" + value->get() + "\" is not a duration like \"" + std::string(example) + "\"");
    }
    const auto whole = std::chrono::floor<Unit>(*parsed);
    if (whole != *parsed) {
      return fail(value->source(), key,
                  "\"" + value->get() + "\" must be a whole number of " +
                      (std::is_same_v<Unit, days> ? "days" : "seconds"));
    }
    if (whole < min || whole > max) {
      return fail(value->source(), key,
                  "must be between " + common::format_duration(min) + " and " +
                      common::format_duration(max) + ", got \"" + value->get() + "\"");
    }
    out = whole;
  }

  void string_list(std::string_view key, std::vector<std::string>& out, const StringCheck& check) {
    const auto* list = typed<toml::array>(key, Need::optional, "an array of strings");
    if (list == nullptr) return;
    std::vector<std::string> values;
    for (const toml::node& element : *list) {
      const auto* text = element.as_string();
      if (text == nullptr) return wrong_type(element, key, "an array of strings");
      if (const auto problem = check(text->get())) return fail(element.source(), key, *problem);
      values.push_back(text->get());
    }
    out = std::move(values);
  }

  const toml::table* table(std::string_view key, Need need) {
    return typed<toml::table>(key, need, "a table", "table [" + std::string(key) + "]");
  }

  // [[key]] sections, or an inline array of tables; an absent key is an empty list.
  std::vector<const toml::table*> tables(std::string_view key) {
    const auto* list = typed<toml::array>(key, Need::optional,
                                          "an array of tables ([[" + std::string(key) + "]])");
    std::vector<const toml::table*> tables;
    if (list == nullptr) return tables;
    for (const toml::node& element : *list) {
      const auto* table = element.as_table();
      if (table == nullptr) {
        wrong_type(element, key, "an array of tables ([[" + std::string(key) + "]])");
        return {};
      }
      tables.push_back(table);
    }
    return tables;
  }

  // Problems found by a nested reader or by checks across several tables.
  void adopt(std::optional<std::string> problem) {
    if (!problem_ && problem) problem_ = std::move(problem);
  }
  void fail_at(const toml::source_region& where, std::string_view what) {
    if (!problem_) problem_ = located(file_, where, what);
  }
  bool failed() const { return problem_.has_value(); }

  std::optional<std::string> finish() const {
    const toml::key* first_unknown = nullptr;
    for (const auto& [key, node] : table_) {
      if (read_keys_.count(key.str()) != 0) continue;
      if (first_unknown == nullptr || key.source().begin < first_unknown->source().begin) {
        first_unknown = &key;
      }
    }
    if (first_unknown != nullptr) {
      return located(file_, first_unknown->source(),
                     prefix() + "unknown key \"" + std::string(first_unknown->str()) + "\"");
    }
    return problem_;
  }

 private:
  std::string prefix() const { return name_.empty() ? "" : name_ + ": "; }
  std::string field(std::string_view key) const {
    return name_.empty() ? std::string(key) : name_ + "." + std::string(key);
  }

  // `what` names the key in "missing required …"; a key "x" by default.
  const toml::node* find(std::string_view key, Need need, std::string_view what = {}) {
    read_keys_.insert(std::string(key));
    if (problem_) return nullptr;
    const toml::node* node = table_.get(key);
    if (node == nullptr && need == Need::required) {
      fail_at(table_.source(),
              prefix() + "missing required " +
                  (what.empty() ? "key \"" + std::string(key) + "\"" : std::string(what)));
    }
    return node;
  }

  // The node's value as T (toml::value<std::string>, toml::table…), or nullptr when absent or of
  // another type (reported).
  template <typename T>
  auto typed(std::string_view key, Need need, std::string_view expected, std::string_view what = {})
      -> decltype(std::declval<const toml::node&>().as<T>()) {
    const toml::node* node = find(key, need, what);
    const auto* value = node == nullptr ? nullptr : node->as<T>();
    if (node != nullptr && value == nullptr) wrong_type(*node, key, expected);
    return value;
  }

  void wrong_type(const toml::node& node, std::string_view key, std::string_view expected) {
    fail(node.source(), key,
         "must be " + std::string(expected) + ", not " + std::string(type_name(node)));
  }

  void fail(const toml::source_region& where, std::string_view key, std::string_view what) {
    fail_at(where, field(key) + ": " + std::string(what));
  }

  const std::string& file_;
  const toml::table& table_;
  std::string name_;
  std::set<std::string, std::less<>> read_keys_;
  std::optional<std::string> problem_;
};

// Posting must start after X's snowflake epoch (2010-11-04) and end before snowflakes run out.
constexpr TimePoint kEarliestPostingSince{std::chrono::sys_days{std::chrono::year{2010} / 11 / 5}};
constexpr TimePoint kLatestPostingSince{std::chrono::sys_days{std::chrono::year{2070} / 1 / 1}};
constexpr Range kFraction{0, 1};
constexpr Range kReach{0, 1000};
// At most one Post per second per stream.
constexpr Range kPostsPerDay{0, 86400, true};
constexpr Range kPostsPerHour{0, 3600, true};
constexpr std::int64_t kLargestLimit = 1'000'000;
constexpr std::int64_t kLargestId = std::numeric_limits<std::int64_t>::max();

std::optional<std::string> read_app(const std::string& file, const toml::table& table,
                                    AppConfig& app) {
  TableReader reader(file, table, "app");
  reader.string("consumer_key", app.consumer_key, Need::required, check_not_empty);
  reader.string("consumer_secret", app.consumer_secret, Need::required, check_not_empty);
  reader.string("bearer_token", app.bearer_token, Need::required, check_not_empty);
  return reader.finish();
}

std::optional<std::string> read_account(const std::string& file, const toml::table& table,
                                        const std::string& name, AccountConfig& account) {
  TableReader reader(file, table, name);
  reader.string("handle", account.handle, Need::required, check_handle);
  std::int64_t user_id = 0;
  reader.integer("user_id", user_id, Need::required, 1, kLargestId);
  account.user_id = static_cast<std::uint64_t>(user_id);
  if (account.user_id >= kPublicAuthorIdBase &&
      account.user_id < kPublicAuthorIdBase + kPublicAuthorCount) {
    reader.fail_at(table.get("user_id")->source(),
                   name + ".user_id: " + std::to_string(user_id) +
                       " is reserved for the simulator's public authors (9000000000-9000004999)");
  }
  reader.string("access_token", account.access_token, Need::required, check_not_empty);
  reader.string("access_token_secret", account.access_token_secret, Need::required,
                check_not_empty);
  reader.timestamp("posting_since", account.posting_since, Need::required, kEarliestPostingSince,
                   kLatestPostingSince);
  reader.number("posts_per_day", account.posts_per_day, kPostsPerDay);
  reader.number("video_fraction", account.video_fraction, kFraction);
  reader.string_list("hashtags", account.hashtags, check_tag);
  reader.number("hashtag_fraction", account.hashtag_fraction, kFraction);
  reader.number("reach", account.reach, kReach);
  return reader.finish();
}

std::optional<std::string> read_hashtag(const std::string& file, const toml::table& table,
                                        const std::string& name, HashtagConfig& hashtag) {
  TableReader reader(file, table, name);
  reader.string("tag", hashtag.tag, Need::required, check_tag);
  reader.timestamp("posting_since", hashtag.posting_since, Need::required, kEarliestPostingSince,
                   kLatestPostingSince);
  reader.number("posts_per_hour", hashtag.posts_per_hour, kPostsPerHour);
  reader.number("video_fraction", hashtag.video_fraction, kFraction);
  reader.number("reach", hashtag.reach, kReach);
  reader.string("lang", hashtag.lang, Need::optional, check_lang);
  return reader.finish();
}

std::optional<std::string> read_limits(const std::string& file, const toml::table& table,
                                       LimitsConfig& limits) {
  TableReader reader(file, table, "limits");
  reader.small_integer("per_minute", limits.per_minute, 1, kLargestLimit);
  reader.small_integer("per_second", limits.per_second, 0, kLargestLimit);
  reader.small_integer("search_per_15min", limits.search_per_15min, 1, kLargestLimit);
  reader.string("rate_limit_message", limits.rate_limit_message, Need::optional, check_not_empty);
  reader.duration("historical_lookback", limits.historical_lookback, days{0}, days{36500}, "365d");
  reader.duration("timestamp_skew", limits.timestamp_skew, seconds{1}, seconds{86400}, "300s");
  return reader.finish();
}

std::optional<std::string> read_variants(const std::string& file, const toml::table& table,
                                         VariantsConfig& variants) {
  TableReader reader(file, table, "variants");
  reader.one_of("forbidden_tweets_status", variants.forbidden_tweets_status,
                kForbiddenTweetsStatuses);
  return reader.finish();
}

// Values that must be unique across the tables of one list (handles, user IDs, tokens, tags).
// Handles and tags compare case-insensitively, as X matches them.
class UniqueValues {
 public:
  UniqueValues(std::string list_name, std::string key, bool ignore_case)
      : list_name_(std::move(list_name)), key_(std::move(key)), ignore_case_(ignore_case) {}

  void check(TableReader& reader, const toml::table& table, std::size_t index,
             const std::string& shown_value) {
    const auto [seen, inserted] =
        first_index_.emplace(ignore_case_ ? ascii_lowercase(shown_value) : shown_value, index);
    if (inserted) return;
    reader.fail_at(table.get(key_)->source(), list_name_ + "[" + std::to_string(index) + "]." +
                                                  key_ + ": " + shown_value +
                                                  " is already used by " + list_name_ + "[" +
                                                  std::to_string(seen->second) + "]");
  }

 private:
  std::string list_name_;
  std::string key_;
  bool ignore_case_;
  std::map<std::string, std::size_t, std::less<>> first_index_;
};

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

void check_unique(TableReader& top, const std::vector<const toml::table*>& account_tables,
                  const std::vector<const toml::table*>& hashtag_tables, const WorldConfig& world) {
  UniqueValues handles("accounts", "handle", true);
  UniqueValues user_ids("accounts", "user_id", false);
  UniqueValues tokens("accounts", "access_token", false);
  for (std::size_t i = 0; i < world.accounts.size(); ++i) {
    const AccountConfig& account = world.accounts[i];
    handles.check(top, *account_tables[i], i, quoted(account.handle));
    user_ids.check(top, *account_tables[i], i, std::to_string(account.user_id));
    tokens.check(top, *account_tables[i], i, quoted(account.access_token));
  }
  UniqueValues tags("hashtags", "tag", true);
  for (std::size_t j = 0; j < world.hashtags.size(); ++j) {
    tags.check(top, *hashtag_tables[j], j, quoted(world.hashtags[j].tag));
  }
}

template <typename Config, typename ReadOne>
std::vector<Config> read_list(TableReader& top, const std::vector<const toml::table*>& tables,
                              std::string_view key, std::size_t max_count, ReadOne read_one) {
  std::vector<Config> configs;
  for (std::size_t i = 0; i < tables.size() && !top.failed(); ++i) {
    if (i == max_count) {
      top.fail_at(tables[i]->source(), "at most " + std::to_string(max_count) + " [[" +
                                           std::string(key) +
                                           "]] are allowed (one snowflake worker each)");
      break;
    }
    Config config;
    top.adopt(read_one(*tables[i], std::string(key) + "[" + std::to_string(i) + "]", config));
    configs.push_back(std::move(config));
  }
  return configs;
}

std::optional<std::string> read_world(const std::string& file, const toml::table& root,
                                      WorldConfig& world) {
  TableReader top(file, root, "");
  std::int64_t seed = static_cast<std::int64_t>(world.seed);
  top.integer("seed", seed, Need::optional, 0, kLargestId);
  world.seed = static_cast<std::uint64_t>(seed);
  if (const toml::table* app = top.table("app", Need::required)) {
    top.adopt(read_app(file, *app, world.app));
  }
  const auto account_tables = top.tables("accounts");
  world.accounts = read_list<AccountConfig>(
      top, account_tables, "accounts", kMaxAccounts,
      [&](const toml::table& table, const std::string& name, AccountConfig& account) {
        return read_account(file, table, name, account);
      });
  const auto hashtag_tables = top.tables("hashtags");
  world.hashtags = read_list<HashtagConfig>(
      top, hashtag_tables, "hashtags", kMaxHashtags,
      [&](const toml::table& table, const std::string& name, HashtagConfig& hashtag) {
        return read_hashtag(file, table, name, hashtag);
      });
  if (const toml::table* limits = top.table("limits", Need::optional)) {
    top.adopt(read_limits(file, *limits, world.limits));
  }
  if (const toml::table* variants = top.table("variants", Need::optional)) {
    top.adopt(read_variants(file, *variants, world.variants));
  }
  if (!top.failed()) check_unique(top, account_tables, hashtag_tables, world);
  return top.finish();
}

}  // namespace

Result<WorldConfig> load_world_config(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    // A file that cannot be opened has no position.
    if (error.source().begin.line == 0) {
      return fail(path + ": cannot read world file: " + std::string(error.description()));
    }
    return fail(located(path, error.source(), error.description()));
  }
  WorldConfig world;
  if (auto problem = read_world(path, root, world)) return fail(std::move(*problem));
  return world;
}

}  // namespace xee::simulator
