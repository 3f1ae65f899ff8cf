#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>

#include "common/text.h"
#include "common/time_format.h"
#include "config/addresses.h"
#include "config/config.h"
#include "config/discovery_config.h"
#include "config/posts_file.h"
#include "config/suggest.h"
#include "config/text.h"
#include "config/toml_reader.h"
#include "config/web_tls_config.h"

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

const Keys kTopLevelKeys = {"web",    "api",   "app",       "accounts",  "posts",  "collectors",
                            "limits", "state", "discovery", "campaigns", "billing"};
const Keys kWebKeys = {"listen_address",  "basic_auth_users", "max_connections",
                       "request_timeout", "idle_timeout",     "tls"};
const Keys kApiKeys = {"engagement_url",      "search_url",  "timeout", "connect_timeout",
                       "requests_per_minute", "max_retries", "ca_file"};
const Keys kAppKeys = {"consumer_key", "consumer_secret", "bearer_token", "public_auth"};
const Keys kSecretKeys = {"env", "file"};
const Keys kAccountKeys = {"handle", "access_token", "access_token_secret"};
const Keys kPostKeys = {"id", "file", "account"};
const Keys kCollectorsKeys = {"totals", "hourly"};
const Keys kTotalsKeys = {"interval"};
const Keys kHourlyKeys = {"enabled", "delay", "inactive_after", "slow_interval", "budget_share"};
const Keys kStateKeys = {"file"};
const Keys kLimitsKeys = {"max_posts"};

constexpr std::size_t kMaxHandleLength = 15;

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

// What a plain-text password in web.basic_auth_users should have been replaced with.
constexpr std::string_view kBcryptHowTo =
    "store a bcrypt hash of the password instead, made with `htpasswd -nBC 10 \"\" | tr -d "
    "':\\n'` (apache2-utils) or `python3 -c 'import bcrypt; "
    "print(bcrypt.hashpw(b\"PASSWORD\", bcrypt.gensalt(10)).decode())'`";

bool is_bcrypt_character(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '/';
}

// Why `value` is not a bcrypt hash as exporter-toolkit accepts them ("$2b$10$" and 53 characters
// of salt and hash), or nullopt when it is one. The value is never quoted: it may be a password.
std::optional<std::string> bcrypt_hash_problem(std::string_view value) {
  constexpr std::size_t kSaltAndHashLength = 53;
  if (!value.starts_with("$2")) {
    return "not a bcrypt hash (a plain-text password?); " + std::string(kBcryptHowTo);
  }
  if (value.size() < 4 || std::string_view("aby").find(value[2]) == std::string_view::npos ||
      value[3] != '$') {
    return std::string("unsupported bcrypt variant; expected $2a$, $2b$ or $2y$");
  }
  const std::string_view cost = value.substr(4, 2);
  if (value.size() < 7 || !std::isdigit(static_cast<unsigned char>(cost[0])) ||
      !std::isdigit(static_cast<unsigned char>(cost[1])) || value[6] != '$') {
    return std::string("expected a two-digit cost after the variant, as in $2b$10$");
  }
  const int cost_value = (cost[0] - '0') * 10 + (cost[1] - '0');
  if (cost_value < kMinBcryptCost || cost_value > kMaxBcryptCost) {
    return "bcrypt cost " + std::string(cost) + " is out of range 04..31";
  }
  const std::string_view salt_and_hash = value.substr(7);
  if (salt_and_hash.size() != kSaltAndHashLength) {
    return "expected 53 characters of salt and hash after the cost, got " +
           std::to_string(salt_and_hash.size());
  }
  if (!std::all_of(salt_and_hash.begin(), salt_and_hash.end(), is_bcrypt_character)) {
    return std::string("salt and hash must use bcrypt's alphabet: ./A-Za-z0-9");
  }
  return std::nullopt;
}

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

class Loader : private TomlReader {
 public:
  Loader(const std::string& path, const Environment& env) : TomlReader(path, env) {
    config_.file = path;
  }

  Result<LoadedConfig> load() {
    const auto text = environment().read_file(config_file());
    if (!text)
      return fail(config_file() + ": cannot read the config file: " + text.error().message);
    toml::table root;
    try {
      root = toml::parse(*text, std::string_view{config_file()});
    } catch (const toml::parse_error& e) {
      return fail(position(e.source()) + ": " + escape_control_characters(e.description()));
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
    read_discovery_campaigns_and_billing(*this, root, {known_handles_, max_posts_valid_}, config_);
    warn_when_nothing_is_tracked(root);
    if (has_errors()) return fail(error_report());
    return LoadedConfig{std::move(config_), warnings()};
  }

 private:
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
    const auto value = environment().variable(name->get());
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
    const auto content = environment().read_file(resolved);
    if (!content) {
      error(*file, path + ": cannot read secret file " + resolved + ": " + content.error().message);
      return std::nullopt;
    }
    // Trailing whitespace is dropped (`echo secret > file` ends it with a newline, as kubectl's
    // --from-file may); anything else unprintable inside is a broken file, never a token.
    const std::string_view trimmed = trim_end(*content);
    if (trimmed.empty()) {
      error(*file, path + ": secret file " + resolved + " is empty");
      return std::nullopt;
    }
    if (const auto at = std::find_if(trimmed.begin(), trimmed.end(), common::is_ascii_control);
        at != trimmed.end()) {
      error(*file, path + ": secret file " + resolved + " contains control character " +
                       common::hex_byte(*at) + " at byte " +
                       std::to_string(at - trimmed.begin() + 1) +
                       "; a secret is one line of printable text");
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
    read_listener_limits(*web);
    read_basic_auth_users(*web);
    read_web_tls(*this, *web, config_.web);
  }

  void read_listener_limits(const toml::table& web) {
    common::ListenerLimits& limits = config_.web.limits;
    if (const auto connections =
            integer_in_range(web, "web", "max_connections", kMinConnections, kMaxConnections)) {
      limits.max_connections = static_cast<int>(*connections);
    }
    if (const auto timeout = duration_in_range(web, "web", "request_timeout", kMinListenerTimeout,
                                               kMaxListenerTimeout)) {
      limits.request_timeout = *timeout;
    }
    if (const auto timeout = duration_in_range(web, "web", "idle_timeout", kMinListenerTimeout,
                                               kMaxListenerTimeout)) {
      limits.idle_timeout = *timeout;
    }
  }

  void read_basic_auth_users(const toml::table& web) {
    const std::string path = "web.basic_auth_users";
    const toml::table* users = optional_table(web, "web", "basic_auth_users");
    if (users == nullptr) return;
    if (users->empty()) {
      warn(*users, path + " is empty, so the listener stays open to everyone");
      return;
    }
    for (const auto& [user, node] : *users) {
      const std::string name(user.str());
      bool valid_name = false;
      if (name.empty()) {
        error(user.source(), path + ": a user name must not be empty");
      } else if (name.find(':') != std::string::npos) {
        error(user.source(), path + ": user name " + quote_shortened(name) +
                                 " contains ':', which separates user and password in basic "
                                 "authentication");
      } else {
        valid_name = true;
      }
      const auto* hash = typed<std::string>(*users, path, name, "a bcrypt hash string");
      if (hash == nullptr) continue;
      if (const auto problem = bcrypt_hash_problem(hash->get())) {
        error(*hash, join(path, name) + ": " + *problem);
      } else if (valid_name) {
        config_.web.basic_auth_users.emplace(name, hash->get());
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
      if (const auto content = environment().read_file(resolved); !content) {
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
    if (const auto inactive = duration_in_range(*hourly, path, "inactive_after", kMinInactiveAfter,
                                                kMaxInactiveAfter)) {
      config.inactive_after = *inactive;
    }
    if (const auto slow =
            duration_in_range(*hourly, path, "slow_interval", kMinSlowInterval, kMaxSlowInterval)) {
      config.slow_interval = *slow;
    }
    if (const auto share =
            fraction_in_range(*hourly, path, "budget_share", kMinBudgetShare, kMaxBudgetShare)) {
      config.budget_share = *share;
    }
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
    for (const auto& [table, path] : array_of_tables(root, "", "accounts")) {
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
    if (!first_definition(value, path + ".handle", "handle", to_lower(handle), first_place)) {
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
      read_public_auth(*app);
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
    if (!has_key && config_.app.public_auth == PublicAuthMode::oauth1_app) {
      error(*app->get("public_auth"),
            "app.public_auth: \"oauth1_app\" signs with app.consumer_key and app.consumer_secret, "
            "which are not set");
    }
    if (!has_key && !has_secret && first_account_ != nullptr) {
      error(*first_account_,
            "accounts: signing requests for [[accounts]] needs app.consumer_key and "
            "app.consumer_secret");
    }
  }

  void read_public_auth(const toml::table& app) {
    const auto* mode = typed<std::string>(app, "app", "public_auth", "a string");
    if (mode == nullptr) return;
    if (mode->get() == "auto") {
      config_.app.public_auth = PublicAuthMode::automatic;
    } else if (mode->get() == "bearer") {
      config_.app.public_auth = PublicAuthMode::bearer;
    } else if (mode->get() == "oauth1_app") {
      config_.app.public_auth = PublicAuthMode::oauth1_app;
    } else {
      error(*mode, "app.public_auth: \"" + mode->get() +
                       "\" is not one of \"auto\", \"bearer\", \"oauth1_app\"");
    }
  }

  void read_posts(const toml::table& root) {
    const auto tables = array_of_tables(root, "", "posts");
    has_posts_entries_ = !tables.empty();
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

  // Posts found by discovery or named by campaigns are tracked too, so only a config without
  // any is pointless.
  void warn_when_nothing_is_tracked(const toml::table& root) {
    const DiscoveryConfig& discovery = config_.discovery;
    const bool campaigns_name_posts =
        std::any_of(config_.campaigns.begin(), config_.campaigns.end(),
                    [](const CampaignConfig& campaign) { return !campaign.posts.empty(); });
    if (has_posts_entries_ || !discovery.hashtags.empty() || !discovery.accounts.empty() ||
        campaigns_name_posts) {
      return;
    }
    const toml::node* posts = root.get("posts");
    warn(posts != nullptr ? posts->source() : root.source(),
         "no [[posts]] configured; the exporter will report only its own health");
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
    const auto content = environment().read_file(entry.list_file);
    if (!content) {
      error(file, entry.path + ".file: cannot read Post list " + entry.list_file + ": " +
                      content.error().message);
      return;
    }
    const PostsFile posts = parse_posts_file(*content);
    for (const PostsFileProblem& problem : posts.problems) {
      const ListedPost at_line{0, entry_index, static_cast<std::uint32_t>(problem.line)};
      error(listing_diagnostic(entry, at_line, problem.message));
    }
    count_unshown_errors(posts.problem_count - posts.problems.size());
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
      error(listing_diagnostic(entries[post.entry], post,
                               "duplicate Post ID " + wire::format_post_id(post.id) +
                                   ", first listed at " +
                                   place(entries[original.entry], original)));
    }
  }

  ExporterConfig config_;
  std::vector<std::string> known_handles_;
  const toml::table* first_account_ = nullptr;
  bool max_posts_valid_ = true;
  bool has_posts_entries_ = false;
};

}  // namespace

Result<LoadedConfig> load_config(const std::string& path, const Environment& env) {
  return Loader(path, env).load();
}

}  // namespace xee::config
