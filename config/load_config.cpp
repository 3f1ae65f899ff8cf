#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <map>
#include <sstream>
#include <set>
#include <tuple>

#include "common/time_format.h"
#include "common/toml_type_name.h"
#include "config/addresses.h"
#include "config/config.h"
#include "config/posts_file.h"
#include "config/suggest.h"
#include "config/text.h"

namespace xee::config {

const AccountConfig* ExporterConfig::find_account(std::string_view handle) const {
  for (const AccountConfig& account : accounts) {
    if (account.handle == handle) return &account;
  }
  return nullptr;
}

wire::oauth::Credentials user_credentials(const AppConfig& app, const AccountConfig& account) {
  return wire::oauth::Credentials{
      .consumer_key = app.consumer_key ? app.consumer_key->reveal() : std::string(),
      .consumer_secret = app.consumer_secret ? app.consumer_secret->reveal() : std::string(),
      .token = account.access_token.reveal(),
      .token_secret = account.access_token_secret.reveal(),
  };
}

namespace {

using std::chrono::milliseconds;
using Keys = std::vector<std::string_view>;

const Keys kTopLevelKeys = {"web",   "api",        "app",    "accounts",
                            "posts", "collectors", "limits", "state"};
const Keys kWebKeys = {"listen_address"};
const Keys kApiKeys = {"engagement_url",      "search_url",  "timeout", "connect_timeout",
                       "requests_per_minute", "max_retries", "ca_file"};
const Keys kAppKeys = {"consumer_key", "consumer_secret", "bearer_token"};
const Keys kSecretKeys = {"env", "file"};
const Keys kAccountKeys = {"handle", "access_token", "access_token_secret"};
const Keys kPostKeys = {"id", "file", "account"};
const Keys kCollectorsKeys = {"totals", "hourly"};
const Keys kTotalsKeys = {"interval"};
const Keys kHourlyKeys = {"enabled", "delay", "inactive_after", "slow_interval", "budget_share"};
const Keys kStateKeys = {"file"};
const Keys kLimitsKeys = {"max_posts"};

constexpr std::size_t kMaxHandleLength = 15;

std::string type_of(const toml::node& node) {
  return std::string(common::toml_type_name(node.type()));
}

std::string join(std::string_view table_path, std::string_view key) {
  if (table_path.empty()) return std::string(key);
  return std::string(table_path) + "." + std::string(key);
}

std::string indexed(std::string_view array_path, std::size_t index) {
  return std::string(array_path) + "[" + std::to_string(index) + "]";
}

bool is_handle(std::string_view handle) {
  return !handle.empty() && handle.size() <= kMaxHandleLength &&
         std::all_of(handle.begin(), handle.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

bool is_variable_name(std::string_view name) {
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
         std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

// " (did you mean "listen_address"?)", or nothing without a match.
std::string did_you_mean(const std::optional<std::string>& match) {
  return match ? " (did you mean \"" + *match + "\"?)" : "";
}

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

  void add(Diagnostic diagnostic) {
    kept_.push_back(Entry{std::move(diagnostic), added_++});
    std::push_heap(kept_.begin(), kept_.end(), &DiagnosticList::before);
    if (kept_.size() > limit_) {
      std::pop_heap(kept_.begin(), kept_.end(), &DiagnosticList::before);
      kept_.pop_back();
    }
  }

  bool empty() const { return added_ == 0; }
  std::size_t dropped() const { return added_ - kept_.size(); }

  std::vector<std::string> sorted_texts() const {
    std::vector<Entry> sorted = kept_;
    std::sort(sorted.begin(), sorted.end(), &DiagnosticList::before);
    std::vector<std::string> texts;
    texts.reserve(sorted.size());
    for (Entry& entry : sorted) texts.push_back(std::move(entry.diagnostic.text));
    return texts;
  }

 private:
  struct Entry {
    Diagnostic diagnostic;
    std::size_t sequence = 0;  // keeps diagnostics at one position in the order they came
  };

  static bool before(const Entry& a, const Entry& b) {
    const Diagnostic& x = a.diagnostic;
    const Diagnostic& y = b.diagnostic;
    return std::tie(x.line, x.column, x.list_line, a.sequence) <
           std::tie(y.line, y.column, y.list_line, b.sequence);
  }

  std::size_t limit_;
  std::size_t added_ = 0;
  std::vector<Entry> kept_;  // a max-heap by position while adding
};

// One [[posts]] entry: an inline id or a Post list file.
struct PostsEntry {
  const toml::table* table = nullptr;
  std::string path;                    // "posts[2]"
  toml::source_region value;           // of its id or file value
  std::string list_file;               // the resolved Post list path; empty for an inline id
  std::optional<std::string> account;  // the owner, when it names an [[accounts]] entry
};

// One listed Post ID, small because a Post list may hold a million.
struct ListedPost {
  wire::PostId id = 0;
  std::uint32_t entry = 0;      // index of its PostsEntry
  std::uint32_t list_line = 0;  // its line in the entry's Post list; 0 for an inline id
};

class Loader {
 public:
  Loader(const std::string& path, const Environment& env) : path_(path), env_(env) {
    config_.file = path;
  }

  Result<LoadedConfig> load() {
    const auto text = env_.read_file(path_);
    if (!text) return fail(path_ + ": cannot read the config file: " + text.error().message);
    toml::table root;
    try {
      root = toml::parse(*text, std::string_view{path_});
    } catch (const toml::parse_error& e) {
      return fail(position(e.source()) + ": " + std::string(e.description()));
    }
    check_keys(root, "", kTopLevelKeys);
    read_web(root);
    read_api(root);
    read_limits(root);
    read_collectors(root);
    read_state(root);
    read_accounts(root);
    read_app(root);
    read_posts(root);
    if (!errors_.empty()) return fail(error_report());
    return LoadedConfig{std::move(config_), warnings_.sorted_texts()};
  }

 private:
  // ----- diagnostics -----

  std::string position(const toml::source_region& where) const {
    return path_ + ":" + std::to_string(where.begin.line) + ":" +
           std::to_string(where.begin.column);
  }

  // Where a diagnostic sorts; its text is set by the caller.
  static Diagnostic anchor(const toml::source_region& where, std::size_t list_line = 0) {
    return Diagnostic{where.begin.line, where.begin.column, list_line, {}};
  }

  Diagnostic at(const toml::source_region& where, std::string what) const {
    Diagnostic d = anchor(where);
    d.text = position(where) + ": " + what;
    return d;
  }

  void error(const toml::node& where, std::string what) {
    errors_.add(at(where.source(), std::move(what)));
  }
  void error(const toml::source_region& where, std::string what) {
    errors_.add(at(where, std::move(what)));
  }
  void warn(const toml::node& where, std::string what) {
    warnings_.add(at(where.source(), std::move(what)));
  }

  std::string error_report() const {
    std::vector<std::string> texts = errors_.sorted_texts();
    if (errors_.dropped() > 0) {
      texts.push_back(path_ + ": " + std::to_string(errors_.dropped()) + " more errors not shown");
    }
    std::string report;
    for (const std::string& text : texts) report += (report.empty() ? "" : "\n") + text;
    return report;
  }

  // ----- typed access; each reports its own errors and returns nullopt/nullptr on them -----

  // Reports unknown keys; false when there was one. The key an unknown one was taken for counts
  // as written (see written()), so a typo is reported once and not also as a missing key.
  bool check_keys(const toml::table& table, std::string_view table_path, const Keys& allowed) {
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

  const toml::table* table_at(const toml::node& node, const std::string& path) {
    if (const toml::table* table = node.as_table()) return table;
    error(node, path + ": expected a table, got " + type_of(node));
    return nullptr;
  }

  const toml::table* optional_table(const toml::table& parent, std::string_view parent_path,
                                    std::string_view key) {
    const toml::node* node = parent.get(key);
    return node ? table_at(*node, join(parent_path, key)) : nullptr;
  }

  // The tables of `[[key]]` (or `key = [{…}, …]`), each with its "key[i]" path.
  std::vector<std::pair<const toml::table*, std::string>> array_of_tables(const toml::table& parent,
                                                                          std::string_view key) {
    std::vector<std::pair<const toml::table*, std::string>> tables;
    const toml::node* node = parent.get(key);
    if (node == nullptr) return tables;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      error(*node, std::string(key) + ": expected an array of tables ([[" + std::string(key) +
                       "]]), got " + type_of(*node));
      return tables;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string path = indexed(key, i);
      if (const toml::table* table = table_at(*array->get(i), path)) {
        tables.emplace_back(table, path);
      }
    }
    return tables;
  }

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

  const toml::value<std::string>* string_node(const toml::table& table, std::string_view table_path,
                                              std::string_view key) {
    const auto* value = typed<std::string>(table, table_path, key, "a string");
    if (value != nullptr && value->get().empty()) {
      error(*value, join(table_path, key) + ": must not be empty");
      return nullptr;
    }
    return value;
  }

  std::optional<std::int64_t> integer_in_range(const toml::table& table,
                                               std::string_view table_path, std::string_view key,
                                               std::int64_t min, std::int64_t max) {
    const auto* value = typed<std::int64_t>(table, table_path, key, "an integer");
    if (value == nullptr) return std::nullopt;
    if (value->get() < min || value->get() > max) {
      error(*value, join(table_path, key) + ": " + std::to_string(value->get()) +
                        " is out of range " + std::to_string(min) + ".." + std::to_string(max));
      return std::nullopt;
    }
    return value->get();
  }

  std::optional<milliseconds> duration_in_range(const toml::table& table,
                                                std::string_view table_path, std::string_view key,
                                                milliseconds min, milliseconds max) {
    const auto* value = string_node(table, table_path, key);
    if (value == nullptr) return std::nullopt;
    const std::string path = join(table_path, key);
    const auto duration = common::parse_duration(value->get());
    if (!duration) {
      error(*value,
            path + ": invalid duration " + quote_shortened(value->get()) +
                "; expected a number and a unit, as in \"250ms\", \"30s\", \"5m\" or \"1h\"");
      return std::nullopt;
    }
    if (*duration < min || *duration > max) {
      error(*value, path + ": " + value->get() + " is out of range " +
                        common::format_duration(min) + ".." + common::format_duration(max));
      return std::nullopt;
    }
    return duration;
  }

  std::optional<BaseUrl> base_url(const toml::table& table, std::string_view key) {
    const auto* value = string_node(table, "api", key);
    if (value == nullptr) return std::nullopt;
    const std::string path = join("api", key);
    auto url = parse_base_url(value->get());
    if (!url) {
      error(*value,
            path + ": invalid URL " + quote_shortened(value->get()) + ": " + url.error().message);
      return std::nullopt;
    }
    if (url->scheme == "http" && !url->is_loopback()) {
      warn(*value, path + " uses plain http to " + url->host +
                       "; credentials would cross the network unencrypted");
    }
    return *url;
  }

  // Relative paths are relative to the config file's folder, so a config and the files it
  // names move together.
  std::string resolve(std::string_view relative) const {
    const std::filesystem::path path(relative);
    if (path.is_absolute()) return path.string();
    return (std::filesystem::path(path_).parent_path() / path).string();
  }

  // ----- secrets -----

  std::optional<Secret> secret(const toml::table& table, std::string_view table_path,
                               std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    const std::string path = join(table_path, key);
    if (const auto* inline_value = node->as_string()) {
      if (trim_end(inline_value->get()).empty()) {
        error(*node, path + ": must not be empty");
        return std::nullopt;
      }
      warn(*node, path + " is inline; prefer { env = \"…\" } or { file = \"…\" }");
      return Secret(inline_value->get(), "inline at " + position(node->source()));
    }
    const toml::table* reference = node->as_table();
    if (reference == nullptr) {
      error(*node, path + ": expected { env = \"…\" }, { file = \"…\" } or a string, got " +
                       type_of(*node));
      return std::nullopt;
    }
    if (!check_keys(*reference, path, kSecretKeys)) return std::nullopt;
    const bool has_env = reference->contains("env");
    const bool has_file = reference->contains("file");
    if (has_env && has_file) {
      error(*reference, path + ": set either env or file, not both");
      return std::nullopt;
    }
    if (has_env) return secret_from_variable(*reference, path);
    if (has_file) return secret_from_file(*reference, path);
    error(*reference, path + ": expected { env = \"NAME\" } or { file = \"/path\" }");
    return std::nullopt;
  }

  std::optional<Secret> secret_from_variable(const toml::table& reference,
                                             const std::string& path) {
    const auto* name = string_node(reference, path, "env");
    if (name == nullptr) return std::nullopt;
    if (!is_variable_name(name->get())) {
      // Not quoted: a common mistake is to write the secret itself where its variable's name
      // belongs, and this message ends up in logs.
      error(*name, path +
                       ".env: not an environment variable name (letters, digits and "
                       "underscores, not starting with a digit)");
      return std::nullopt;
    }
    const auto value = env_.variable(name->get());
    if (!value) {
      error(*name, path + ": environment variable " + name->get() + " is not set");
      return std::nullopt;
    }
    // Trailing whitespace is never part of a token; it comes from `echo` or a copied line.
    const std::string_view trimmed = trim_end(*value);
    if (trimmed.empty()) {
      error(*name, path + ": environment variable " + name->get() + " is empty");
      return std::nullopt;
    }
    return Secret(std::string(trimmed), "environment variable " + name->get());
  }

  std::optional<Secret> secret_from_file(const toml::table& reference, const std::string& path) {
    const auto* file = string_node(reference, path, "file");
    if (file == nullptr) return std::nullopt;
    const std::string resolved = resolve(file->get());
    const auto content = env_.read_file(resolved);
    if (!content) {
      error(*file, path + ": cannot read secret file " + resolved + ": " + content.error().message);
      return std::nullopt;
    }
    const std::string_view trimmed = trim_end(*content);
    if (trimmed.empty()) {
      error(*file, path + ": secret file " + resolved + " is empty");
      return std::nullopt;
    }
    return Secret(std::string(trimmed), "file " + resolved);
  }

  // ----- sections -----

  void read_web(const toml::table& root) {
    const toml::table* web = optional_table(root, "", "web");
    if (web == nullptr) return;
    check_keys(*web, "web", kWebKeys);
    if (const auto* address = string_node(*web, "web", "listen_address")) {
      if (auto parsed = parse_listen_address(address->get()); !parsed) {
        error(*address, "web.listen_address: invalid listen address " +
                            quote_shortened(address->get()) + ": " + parsed.error().message);
      } else {
        config_.web.listen_address = address->get();
      }
    }
  }

  void read_api(const toml::table& root) {
    const toml::table* api = optional_table(root, "", "api");
    if (api == nullptr) return;
    check_keys(*api, "api", kApiKeys);
    if (const auto url = base_url(*api, "engagement_url")) {
      config_.api.engagement_url = url->to_string();
    }
    if (const auto url = base_url(*api, "search_url")) config_.api.search_url = url->to_string();
    const milliseconds min_timeout{1};
    const auto timeout = duration_in_range(*api, "api", "timeout", min_timeout, kMaxTimeout);
    if (timeout) config_.api.timeout = *timeout;
    const auto connect_timeout =
        duration_in_range(*api, "api", "connect_timeout", min_timeout, kMaxTimeout);
    if (connect_timeout) config_.api.connect_timeout = *connect_timeout;
    if (connect_timeout && (timeout || !api->contains("timeout")) &&
        *connect_timeout > config_.api.timeout) {
      error(*api->get("connect_timeout"),
            "api.connect_timeout: " + common::format_duration(*connect_timeout) +
                " is longer than api.timeout (" + common::format_duration(config_.api.timeout) +
                "), which bounds the whole request");
    }
    if (const auto rpm = integer_in_range(*api, "api", "requests_per_minute", kMinRequestsPerMinute,
                                          kMaxRequestsPerMinute)) {
      config_.api.requests_per_minute = static_cast<int>(*rpm);
    }
    if (const auto retries = integer_in_range(*api, "api", "max_retries", 0, kMaxRetries)) {
      config_.api.max_retries = static_cast<int>(*retries);
    }
    if (const auto* ca_file = string_node(*api, "api", "ca_file")) {
      const std::string resolved = resolve(ca_file->get());
      // Read now so --config.check catches a wrong path before the first TLS handshake does.
      if (const auto content = env_.read_file(resolved); !content) {
        error(*ca_file, "api.ca_file: cannot read " + resolved + ": " + content.error().message);
      } else {
        config_.api.ca_file = resolved;
      }
    }
  }

  void read_limits(const toml::table& root) {
    const toml::table* limits = optional_table(root, "", "limits");
    if (limits == nullptr) return;
    check_keys(*limits, "limits", kLimitsKeys);
    const auto max_posts = integer_in_range(*limits, "limits", "max_posts", 1,
                                            static_cast<std::int64_t>(kMaxMaxPosts));
    if (max_posts) {
      config_.limits.max_posts = static_cast<std::size_t>(*max_posts);
    } else if (limits->contains("max_posts")) {
      max_posts_valid_ = false;
    }
  }

  void read_collectors(const toml::table& root) {
    const toml::table* collectors = optional_table(root, "", "collectors");
    if (collectors == nullptr) return;
    check_keys(*collectors, "collectors", kCollectorsKeys);
    read_hourly(*collectors);
    const toml::table* totals = optional_table(*collectors, "collectors", "totals");
    if (totals == nullptr) return;
    check_keys(*totals, "collectors.totals", kTotalsKeys);
    if (const auto interval = duration_in_range(*totals, "collectors.totals", "interval",
                                                kMinTotalsInterval, kMaxTotalsInterval)) {
      config_.collectors.totals.interval = *interval;
    }
  }

  void read_hourly(const toml::table& collectors) {
    const toml::table* hourly = optional_table(collectors, "collectors", "hourly");
    if (hourly == nullptr) return;
    const std::string path = "collectors.hourly";
    check_keys(*hourly, path, kHourlyKeys);
    HourlyCollectorConfig& config = config_.collectors.hourly;
    if (const auto* enabled = typed<bool>(*hourly, path, "enabled", "a boolean")) {
      config.enabled = enabled->get();
    }
    if (const auto delay =
            duration_in_range(*hourly, path, "delay", milliseconds{0}, kMaxHourlyDelay)) {
      config.delay = *delay;
    }
    if (const auto inactive = duration_in_range(*hourly, path, "inactive_after",
                                                kMinInactiveAfter, kMaxInactiveAfter)) {
      config.inactive_after = *inactive;
    }
    if (const auto slow = duration_in_range(*hourly, path, "slow_interval", kMinSlowInterval,
                                            kMaxSlowInterval)) {
      config.slow_interval = *slow;
    }
    if (const auto share = fraction_in_range(*hourly, path, "budget_share", kMinBudgetShare,
                                             kMaxBudgetShare)) {
      config.budget_share = *share;
    }
  }

  // A TOML float or integer within [min, max].
  std::optional<double> fraction_in_range(const toml::table& table, std::string_view table_path,
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

  void read_state(const toml::table& root) {
    config_.state.file = resolve(kDefaultStateFile);
    const toml::table* state = optional_table(root, "", "state");
    if (state == nullptr) return;
    check_keys(*state, "state", kStateKeys);
    if (const auto* file = string_node(*state, "state", "file")) {
      config_.state.file = resolve(file->get());
    }
  }

  void read_accounts(const toml::table& root) {
    std::map<std::string, std::string> first_place_by_lower_handle;
    for (const auto& [table, path] : array_of_tables(root, "accounts")) {
      if (first_account_ == nullptr) first_account_ = table;
      check_keys(*table, path, kAccountKeys);
      require_keys(*table, path, kAccountKeys);
      std::optional<std::string> handle;
      if (const auto* value = string_node(*table, path, "handle")) {
        handle = account_handle(*value, path, first_place_by_lower_handle);
      }
      auto token = secret(*table, path, "access_token");
      auto token_secret = secret(*table, path, "access_token_secret");
      if (handle && token && token_secret) {
        config_.accounts.push_back({*handle, std::move(*token), std::move(*token_secret)});
      }
    }
  }

  bool written(const toml::table* table, std::string_view table_path, std::string_view key) const {
    return table != nullptr && (table->contains(key) || misspelt_.contains(join(table_path, key)));
  }

  void require_keys(const toml::table& table, const std::string& path, const Keys& required) {
    for (const std::string_view key : required) {
      if (!written(&table, path, key)) {
        error(table, path + ": missing required key \"" + std::string(key) + "\"");
      }
    }
  }

  // The handle when valid and not a duplicate; it is then known to [[posts]] references.
  std::optional<std::string> account_handle(const toml::value<std::string>& value,
                                            const std::string& path,
                                            std::map<std::string, std::string>& first_place) {
    const std::string& handle = value.get();
    if (!is_handle(handle)) {
      error(value, path + ".handle: invalid handle " + quote_shortened(handle) +
                       ": expected 1 to 15 letters, digits or underscores, without the @");
      return std::nullopt;
    }
    // X handles are case-insensitive: "Acme" and "acme" are the same account.
    const auto [it, inserted] = first_place.emplace(to_lower(handle), position(value.source()));
    if (!inserted) {
      error(value, path + ".handle: duplicate handle \"" + handle + "\" (first defined at " +
                       it->second + ")");
      return std::nullopt;
    }
    known_handles_.push_back(handle);
    return handle;
  }

  void read_app(const toml::table& root) {
    const toml::table* app = optional_table(root, "", "app");
    if (app == nullptr && root.contains("app")) return;  // not a table: already reported
    if (app != nullptr) {
      check_keys(*app, "app", kAppKeys);
      config_.app.consumer_key = secret(*app, "app", "consumer_key");
      config_.app.consumer_secret = secret(*app, "app", "consumer_secret");
      config_.app.bearer_token = secret(*app, "app", "bearer_token");
    }
    // Decided by what is written, not by what resolved: an unset variable is already an error of
    // its own and must not also read as a missing key.
    const auto has = [&](std::string_view key) { return written(app, "app", key); };
    const bool has_key = has("consumer_key");
    const bool has_secret = has("consumer_secret");
    const toml::source_region where = app != nullptr ? app->source() : root.source();
    if (has_key != has_secret) {
      error(where, has_key ? "app: consumer_key is set but consumer_secret is missing"
                           : "app: consumer_secret is set but consumer_key is missing");
    } else if (!has_key && !has("bearer_token")) {
      error(where,
            "app: no credentials; set bearer_token, or consumer_key and consumer_secret (the "
            "bearer token is then fetched from api.search_url)");
    }
    if (!has_key && !has_secret && first_account_ != nullptr) {
      error(*first_account_,
            "accounts: signing requests for [[accounts]] needs app.consumer_key and "
            "app.consumer_secret");
    }
  }

  void read_posts(const toml::table& root) {
    const auto tables = array_of_tables(root, "posts");
    if (tables.empty()) {
      const toml::node* posts = root.get("posts");
      warnings_.add(at(posts != nullptr ? posts->source() : root.source(),
                       "no [[posts]] configured; the exporter will report only its own "
                       "health"));
    }
    std::vector<PostsEntry> entries;
    std::vector<ListedPost> listed;
    for (const auto& [table, path] : tables) {
      PostsEntry& entry = entries.emplace_back();
      entry.table = table;
      entry.path = path;
      list_posts(entry, static_cast<std::uint32_t>(entries.size() - 1), listed);
    }
    check_duplicates(entries, listed);
    if (max_posts_valid_ && listed.size() > config_.limits.max_posts) {
      const PostsEntry& crossing = entries[listed[config_.limits.max_posts].entry];
      error(*crossing.table, crossing.path + ": " + std::to_string(listed.size()) +
                                 " Posts configured, more than limits.max_posts (" +
                                 std::to_string(config_.limits.max_posts) + ")");
    }
    config_.posts.reserve(listed.size());
    for (const ListedPost& post : listed) {
      config_.posts.push_back({post.id, entries[post.entry].account});
    }
  }

  void list_posts(PostsEntry& entry, std::uint32_t entry_index, std::vector<ListedPost>& listed) {
    const toml::table& table = *entry.table;
    const std::string& path = entry.path;
    check_keys(table, path, kPostKeys);
    if (const auto* value = string_node(table, path, "account"))
      entry.account = owner(*value, path);
    const bool has_id = written(&table, path, "id");
    const bool has_file = written(&table, path, "file");
    if (has_id && has_file) {
      error(table, path + ": set either id or file, not both");
    } else if (!has_id && !has_file) {
      error(table, path + ": missing required key \"id\" or \"file\"");
    } else if (has_id) {
      const auto* value = string_node(table, path, "id");
      if (value == nullptr) return;
      entry.value = value->source();
      const auto id = parse_configured_post_id(value->get());
      if (!id) {
        error(*value, path + ".id: " + id.error().message);
        return;
      }
      listed.push_back(ListedPost{*id, entry_index, 0});
    } else if (const auto* file = string_node(table, path, "file")) {
      entry.value = file->source();
      list_posts_file(*file, entry, entry_index, listed);
    }
  }

  void list_posts_file(const toml::value<std::string>& file, PostsEntry& entry,
                       std::uint32_t entry_index, std::vector<ListedPost>& listed) {
    entry.list_file = resolve(file.get());
    const auto content = env_.read_file(entry.list_file);
    if (!content) {
      error(file, entry.path + ".file: cannot read Post list " + entry.list_file + ": " +
                      content.error().message);
      return;
    }
    const PostsFile posts = parse_posts_file(*content);
    for (const PostsFileProblem& problem : posts.problems) {
      const ListedPost at_line{0, entry_index, static_cast<std::uint32_t>(problem.line)};
      errors_.add(listing_diagnostic(entry, at_line, problem.message));
    }
    if (posts.ids.empty() && posts.problems.empty()) {
      warn(file, entry.path + ".file: " + entry.list_file + " lists no Post IDs");
    }
    for (const PostsFileLine& line : posts.ids) {
      listed.push_back(ListedPost{line.id, entry_index, static_cast<std::uint32_t>(line.line)});
    }
  }

  // "cfg:line:column" for an inline id, "list:line" for a Post list line.
  std::string place(const PostsEntry& entry, const ListedPost& post) const {
    if (post.list_line == 0) return position(entry.value);
    return entry.list_file + ":" + std::to_string(post.list_line);
  }

  // An error about one listing: at the id in the config, or at the line of the Post list, naming
  // the [[posts]] entry that brought the list in.
  Diagnostic listing_diagnostic(const PostsEntry& entry, const ListedPost& post,
                                const std::string& what) const {
    Diagnostic d = anchor(entry.value, post.list_line);
    d.text = post.list_line == 0 ? place(entry, post) + ": " + entry.path + ".id: " + what
                                 : place(entry, post) + ": " + what + " (in the Post list of " +
                                       entry.path + ".file at " + position(entry.value) + ")";
    return d;
  }

  // The owner's handle when it names an [[accounts]] entry.
  std::optional<std::string> owner(const toml::value<std::string>& value, const std::string& path) {
    const std::string& handle = value.get();
    if (std::find(known_handles_.begin(), known_handles_.end(), handle) != known_handles_.end()) {
      return handle;
    }
    const Keys candidates(known_handles_.begin(), known_handles_.end());
    error(value, path + ".account: no [[accounts]] entry has handle " + quote_shortened(handle) +
                     did_you_mean(closest_match(handle, candidates)));
    return std::nullopt;
  }

  void check_duplicates(const std::vector<PostsEntry>& entries,
                        const std::vector<ListedPost>& listed) {
    // Sorting indices rather than hashing IDs keeps a million-Post config cheap to check.
    std::vector<std::uint32_t> order(listed.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return listed[a].id < listed[b].id; });
    std::size_t group_start = 0;  // the first listing of the current ID in `order`
    for (std::size_t i = 1; i < order.size(); ++i) {
      const ListedPost& post = listed[order[i]];
      const ListedPost& original = listed[order[group_start]];
      if (post.id != original.id) {
        group_start = i;
        continue;
      }
      errors_.add(listing_diagnostic(entries[post.entry], post,
                                     "duplicate Post ID " + wire::format_post_id(post.id) +
                                         ", first listed at " +
                                         place(entries[original.entry], original)));
    }
  }

  const std::string& path_;
  const Environment& env_;
  ExporterConfig config_;
  DiagnosticList errors_{kMaxReportedErrors};
  // Few: at most a handful per key of the config.
  DiagnosticList warnings_{SIZE_MAX};
  std::vector<std::string> known_handles_;
  const toml::table* first_account_ = nullptr;
  bool max_posts_valid_ = true;
  std::set<std::string, std::less<>> misspelt_;  // e.g. "accounts[0].access_token"
};

}  // namespace

Result<LoadedConfig> load_config(const std::string& path, const Environment& env) {
  return Loader(path, env).load();
}

}  // namespace xee::config
