#include "config/discovery_config.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <set>

#include "config/posts_file.h"
#include "config/suggest.h"
#include "config/text.h"
#include "wire/search_query.h"
#include "wire/snowflake.h"

namespace xee::config {
namespace {

const Keys kDiscoveryKeys = {"interval",  "requests_per_window", "lookback", "ttl",
                             "max_posts", "max_pages_per_round", "hashtags", "accounts"};
const Keys kCampaignKeys = {"name", "posts", "hashtags", "accounts", "max_posts"};
const Keys kBillingKeys = {"monthly_accounts_limit"};
const Keys kCampaignMemberKeys = {"posts", "hashtags", "accounts"};

bool is_campaign_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxCampaignNameLength &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) ||
                  kCampaignNamePunctuation.find(static_cast<char>(c)) != std::string_view::npos;
         });
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && to_lower(a) == to_lower(b);
}

using QueryBuilder = Result<std::string> (*)(std::string_view name, std::string_view operators);

// What tells [[discovery.hashtags]] and [[discovery.accounts]] apart.
template <typename Source>
struct SourceKind {
  std::string_view array;     // under [discovery]
  std::string_view name_key;  // the key of the tag or handle, also its noun in messages
  std::string Source::*name;
  Keys keys;
  QueryBuilder build_query;
};

const SourceKind<HashtagSourceConfig> kHashtagSources{"hashtags",
                                                      "tag",
                                                      &HashtagSourceConfig::tag,
                                                      {"tag", "operators", "max_posts"},
                                                      &wire::hashtag_query};
const SourceKind<AccountSourceConfig> kAccountSources{"accounts",
                                                      "handle",
                                                      &AccountSourceConfig::handle,
                                                      {"handle", "operators", "max_posts"},
                                                      &wire::account_query};

// A campaign's Post ID, remembered with its campaign to place a limits.max_posts error.
struct CampaignPost {
  wire::PostId id = 0;
  const toml::node* posts = nullptr;  // the campaign's posts array
  std::string path;                   // "campaigns[1].posts"
};

class DiscoveryReader {
 public:
  DiscoveryReader(TomlReader& reader, const DiscoveryInputs& inputs, ExporterConfig& config)
      : reader_(reader), inputs_(inputs), config_(config) {}

  void read(const toml::table& root) {
    read_discovery(root);
    read_campaigns(root);
    read_billing(root);
  }

 private:
  // ----- [discovery] -----

  void read_discovery(const toml::table& root) {
    DiscoveryConfig& discovery = config_.discovery;
    // The default must not exceed a lower limits.max_posts, or leaving the key out would fail.
    discovery.max_posts = std::min(discovery.max_posts, config_.limits.max_posts);
    const toml::table* table = reader_.optional_table(root, "", "discovery");
    if (table == nullptr) return;
    const std::string path = "discovery";
    reader_.check_keys(*table, path, kDiscoveryKeys);
    if (const auto interval = reader_.duration_in_range(
            *table, path, "interval", kMinDiscoveryInterval, kMaxDiscoveryInterval)) {
      discovery.interval = *interval;
    }
    if (const auto budget = reader_.integer_in_range(*table, path, "requests_per_window", 1,
                                                     kMaxSearchRequestsPerWindow)) {
      discovery.requests_per_window = static_cast<int>(*budget);
    }
    if (const auto lookback =
            reader_.duration_in_range(*table, path, "lookback", kMinLookback, kMaxLookback)) {
      discovery.lookback = *lookback;
    }
    if (const auto ttl =
            reader_.duration_in_range(*table, path, "ttl", kMinDiscoveryTtl, kMaxDiscoveryTtl)) {
      discovery.ttl = *ttl;
    }
    read_discovery_max_posts(*table);
    if (const auto pages =
            reader_.integer_in_range(*table, path, "max_pages_per_round", 1, kMaxPagesPerRound)) {
      discovery.max_pages_per_round = static_cast<int>(*pages);
    }
    read_sources(*table, kHashtagSources, discovery.hashtags, defined_tags_);
    read_sources(*table, kAccountSources, discovery.accounts, defined_source_handles_);
  }

  void read_discovery_max_posts(const toml::table& table) {
    const auto max_posts = reader_.integer_in_range(table, "discovery", "max_posts", 1,
                                                    static_cast<std::int64_t>(kMaxMaxPosts));
    if (!max_posts) return;
    const auto cap = config_.limits.max_posts;
    if (inputs_.posts_cap_valid && static_cast<std::size_t>(*max_posts) > cap) {
      reader_.error(*table.get("max_posts"), "discovery.max_posts: " + std::to_string(*max_posts) +
                                                 " is more than limits.max_posts (" +
                                                 std::to_string(cap) + ")");
      return;
    }
    config_.discovery.max_posts = static_cast<std::size_t>(*max_posts);
  }

  // Hashtags and handles both match regardless of case on X, so "LaunchDay" next to "launchday"
  // would search for the same Posts twice: a duplicate.
  template <typename Source>
  void read_sources(const toml::table& discovery, const SourceKind<Source>& kind,
                    std::vector<Source>& sources, std::vector<std::string>& defined) {
    std::map<std::string, std::string> first_place_by_lower_name;
    for (const auto& [table, path] : reader_.array_of_tables(discovery, "discovery", kind.array)) {
      reader_.check_keys(*table, path, kind.keys);
      reader_.require_keys(*table, path, {kind.name_key});
      Source source;
      std::string& name = source.*kind.name;
      const auto* name_value = reader_.string_node(*table, path, kind.name_key);
      if (name_value != nullptr) {
        name = name_value->get();
        if (reader_.first_definition(*name_value, join(path, kind.name_key), kind.name_key,
                                     to_lower(name), first_place_by_lower_name)) {
          defined.push_back(name);
        }
      }
      source.operators =
          read_source_query(*table, path, name_value, kind.name_key, kind.build_query);
      source.max_posts = source_max_posts(*table, path, source.max_posts);
      sources.push_back(std::move(source));
    }
  }

  // The source's operators, checked together with its tag or handle by the function that builds
  // the query the collector sends, so the config accepts exactly what can be searched. It is asked
  // once without the operators first, so that its complaint lands on the key at fault.
  std::string read_source_query(const toml::table& table, const std::string& path,
                                const toml::value<std::string>* name, std::string_view name_key,
                                QueryBuilder build_query) {
    const auto* operators = reader_.typed<std::string>(table, path, "operators", "a string");
    if (name == nullptr) return operators != nullptr ? operators->get() : std::string();
    if (const auto query = build_query(name->get(), ""); !query) {
      reader_.error(*name, join(path, name_key) + ": " + query.error().message);
      return operators != nullptr ? operators->get() : std::string();
    }
    if (operators == nullptr) return {};
    if (const auto query = build_query(name->get(), operators->get()); !query) {
      reader_.error(*operators, path + ".operators: " + query.error().message);
    }
    return operators->get();
  }

  std::size_t source_max_posts(const toml::table& table, const std::string& path,
                               std::size_t default_value) {
    const auto max_posts = reader_.integer_in_range(table, path, "max_posts", 1,
                                                    static_cast<std::int64_t>(kMaxSourcePosts));
    return max_posts ? static_cast<std::size_t>(*max_posts) : default_value;
  }

  // ----- [[campaigns]] -----

  void read_campaigns(const toml::table& root) {
    // Case-sensitive, like the Prometheus label value the name becomes.
    std::map<std::string, std::string> first_place_by_name;
    std::vector<CampaignPost> campaign_posts;
    std::vector<std::string> account_candidates = defined_source_handles_;
    account_candidates.insert(account_candidates.end(), inputs_.account_handles.begin(),
                              inputs_.account_handles.end());
    for (const auto& [table, path] : reader_.array_of_tables(root, "", "campaigns")) {
      reader_.check_keys(*table, path, kCampaignKeys);
      reader_.require_keys(*table, path, {"name"});
      CampaignConfig campaign;
      if (const auto* name = reader_.string_node(*table, path, "name")) {
        campaign.name = name->get();
        if (!is_campaign_name(campaign.name)) {
          reader_.error(*name, path + ".name: invalid campaign name " +
                                   quote_shortened(campaign.name) + ": expected 1 to " +
                                   std::to_string(kMaxCampaignNameLength) +
                                   " letters, digits, '_', '-' or '.'");
        } else {
          reader_.first_definition(*name, path + ".name", "campaign name", campaign.name,
                                   first_place_by_name);
        }
      }
      campaign.posts = campaign_post_ids(*table, path, campaign_posts);
      campaign.hashtags =
          references(*table, path, "hashtags", defined_tags_, "a [[discovery.hashtags]] tag");
      campaign.accounts = references(*table, path, "accounts", account_candidates,
                                     "a [[discovery.accounts]] or [[accounts]] handle");
      if (names_nothing(*table, path)) {
        reader_.error(*table, path + ": names no posts, hashtags or accounts");
      }
      if (const auto max_posts = reader_.integer_in_range(
              *table, path, "max_posts", 1, static_cast<std::int64_t>(kMaxSourcePosts))) {
        campaign.max_posts = static_cast<std::size_t>(*max_posts);
      }
      config_.campaigns.push_back(std::move(campaign));
    }
    check_posts_cap(campaign_posts);
  }

  // A list written but invalid (or misspelt) already has its error; only absent or empty lists
  // name nothing.
  bool names_nothing(const toml::table& campaign, const std::string& path) const {
    return std::all_of(kCampaignMemberKeys.begin(), kCampaignMemberKeys.end(),
                       [&](std::string_view key) {
                         const toml::node* node = campaign.get(key);
                         if (node == nullptr) return !reader_.written(&campaign, path, key);
                         return node->is_array() && node->as_array()->empty();
                       });
  }

  std::vector<wire::PostId> campaign_post_ids(const toml::table& table, const std::string& path,
                                              std::vector<CampaignPost>& campaign_posts) {
    std::vector<wire::PostId> ids;
    const auto listed = reader_.string_array(table, path, "posts");
    if (!listed) return ids;
    std::map<wire::PostId, std::string> first_place;
    for (const auto& [value, element_path] : *listed) {
      const auto id = parse_configured_post_id(value->get());
      if (!id) {
        reader_.error(*value, element_path + ": " + id.error().message);
        continue;
      }
      const auto [first, inserted] = first_place.emplace(*id, reader_.position(value->source()));
      if (!inserted) {
        reader_.error(*value, element_path + ": duplicate Post ID " + wire::format_post_id(*id) +
                                  ", first listed at " + first->second);
        continue;
      }
      ids.push_back(*id);
      campaign_posts.push_back(CampaignPost{*id, table.get("posts"), path + ".posts"});
    }
    return ids;
  }

  // The names listed under `key`, each spelled as where it is defined. One defined nowhere is
  // reported with the nearest defined name, as unknown keys are.
  std::vector<std::string> references(const toml::table& table, const std::string& path,
                                      std::string_view key, const std::vector<std::string>& defined,
                                      std::string_view what) {
    std::vector<std::string> resolved;
    const auto listed = reader_.string_array(table, path, key);
    if (!listed) return resolved;
    const Keys candidates(defined.begin(), defined.end());
    std::map<std::string, std::string> first_place_by_lower_name;
    for (const auto& [value, element_path] : *listed) {
      const std::string& name = value->get();
      const auto match = std::find_if(defined.begin(), defined.end(), [&](const std::string& d) {
        return equal_ignoring_case(d, name);
      });
      if (match == defined.end()) {
        const auto suggestion = closest_match(name, candidates);
        reader_.error(*value, element_path + ": " + quote_shortened(name) + " is not " +
                                  std::string(what) +
                                  (suggestion ? "; did you mean \"" + *suggestion + "\"?" : ""));
        continue;
      }
      const auto [first, inserted] =
          first_place_by_lower_name.emplace(to_lower(name), reader_.position(value->source()));
      if (!inserted) {
        reader_.error(*value, element_path + ": " + quote_shortened(name) +
                                  " is listed twice, first at " + first->second);
        continue;
      }
      resolved.push_back(*match);
    }
    return resolved;
  }

  // Campaign Posts are tracked like [[posts]], so they share its cap; a Post in both counts once.
  void check_posts_cap(const std::vector<CampaignPost>& campaign_posts) {
    const std::size_t cap = config_.limits.max_posts;
    // Beyond the cap already, [[posts]] alone was reported.
    if (!inputs_.posts_cap_valid || config_.posts.size() > cap) return;
    std::vector<wire::PostId> configured;
    configured.reserve(config_.posts.size());
    for (const PostConfig& post : config_.posts) configured.push_back(post.id);
    std::sort(configured.begin(), configured.end());
    std::set<wire::PostId> added;
    const CampaignPost* crossing = nullptr;
    for (const CampaignPost& post : campaign_posts) {
      if (std::binary_search(configured.begin(), configured.end(), post.id)) continue;
      if (added.insert(post.id).second && configured.size() + added.size() == cap + 1) {
        crossing = &post;
      }
    }
    if (crossing == nullptr) return;
    reader_.error(*crossing->posts,
                  crossing->path + ": " + std::to_string(configured.size() + added.size()) +
                      " Posts configured in [[posts]] and campaigns together, more than "
                      "limits.max_posts (" +
                      std::to_string(cap) + ")");
  }

  // ----- [billing] -----

  void read_billing(const toml::table& root) {
    const toml::table* billing = reader_.optional_table(root, "", "billing");
    if (billing == nullptr) return;
    reader_.check_keys(*billing, "billing", kBillingKeys);
    if (const auto limit = reader_.integer_in_range(*billing, "billing", "monthly_accounts_limit",
                                                    0, kMaxMonthlyAccountsLimit)) {
      config_.billing.monthly_accounts_limit = *limit;
    }
  }

  TomlReader& reader_;
  const DiscoveryInputs& inputs_;
  ExporterConfig& config_;
  // Every tag and handle defined once, valid or not: a campaign naming one that has another
  // error is not reported a second time.
  std::vector<std::string> defined_tags_;
  std::vector<std::string> defined_source_handles_;
};

}  // namespace

void read_discovery_campaigns_and_billing(TomlReader& reader, const toml::table& root,
                                          const DiscoveryInputs& inputs, ExporterConfig& config) {
  DiscoveryReader(reader, inputs, config).read(root);
}

}  // namespace xee::config
