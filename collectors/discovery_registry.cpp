#include "collectors/discovery_registry.h"

#include <algorithm>

#include "common/text.h"

namespace xee::collectors {
namespace {

std::int64_t created_unix(PostId id) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             wire::snowflake_time(id).time_since_epoch())
      .count();
}

std::string_view cap_reason(SourceKind kind) {
  return kind == SourceKind::hashtag ? "hashtag_cap" : "account_cap";
}

}  // namespace

std::string_view to_string(SourceKind kind) {
  return kind == SourceKind::hashtag ? "hashtag" : "account";
}

std::string source_key(SourceKind kind, std::string_view name) {
  return std::string(to_string(kind)) + ":" + common::ascii_lower(name);
}

std::string source_key(const DiscoverySource& source) {
  return source_key(source.kind, source.name);
}

void DiscoveryRegistry::set_rules(DiscoveryRules rules,
                                  const std::vector<ConfiguredPost>& configured) {
  rules_ = std::move(rules);
  // Configured members change only here, so membership checks need not walk the configuration.
  configured_members_.assign(rules_.campaigns.size(), {});
  for (std::size_t i = 0; i < rules_.campaigns.size(); ++i) {
    const CampaignRule& campaign = rules_.campaigns[i];
    std::set<PostId>& members = configured_members_[i];
    members.insert(campaign.posts.begin(), campaign.posts.end());
    for (const ConfiguredPost& post : configured) {
      if (!post.account.empty() &&
          std::find(campaign.accounts.begin(), campaign.accounts.end(),
                    common::ascii_lower(post.account)) != campaign.accounts.end()) {
        members.insert(post.id);
      }
    }
  }
  reconcile();
}

void DiscoveryRegistry::reconcile() {
  std::map<std::string, std::string> queries;
  for (const DiscoverySource& source : rules_.sources) queries[source_key(source)] = source.query;
  // A cursor belongs to its query: a changed query must search its own history from scratch.
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    const auto query = queries.find(it->first);
    const auto known = source_queries_.find(it->first);
    const bool same =
        query != queries.end() && known != source_queries_.end() && known->second == query->second;
    if (!same) {
      it = cursors_.erase(it);
    } else {
      ++it;
    }
  }
  source_queries_ = std::move(queries);
  drop_unsourced();
}

void DiscoveryRegistry::drop_unsourced() {
  for (auto it = posts_.begin(); it != posts_.end();) {
    DiscoveredPost& post = it->second;
    for (auto source = post.sources.begin(); source != post.sources.end();) {
      source = find_source(*source) == nullptr ? post.sources.erase(source) : std::next(source);
    }
    if (post.sources.empty()) {
      ++drops_["source_removed"];
      it = posts_.erase(it);
    } else {
      ++it;
    }
  }
}

const DiscoverySource* DiscoveryRegistry::find_source(std::string_view key) const {
  for (const DiscoverySource& source : rules_.sources) {
    if (source_key(source) == key) return &source;
  }
  return nullptr;
}

std::vector<std::size_t> DiscoveryRegistry::campaigns_of(std::string_view key) const {
  std::vector<std::size_t> campaigns;
  for (std::size_t i = 0; i < rules_.campaigns.size(); ++i) {
    const auto& keys = rules_.campaigns[i].source_keys;
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) campaigns.push_back(i);
  }
  return campaigns;
}

bool DiscoveryRegistry::found_for_campaign(const CampaignRule& campaign,
                                           const DiscoveredPost& post) {
  return std::any_of(campaign.source_keys.begin(), campaign.source_keys.end(),
                     [&post](const std::string& key) { return post.sources.contains(key); });
}

bool DiscoveryRegistry::in_campaign(std::size_t campaign, PostId id) const {
  if (configured_members_[campaign].contains(id)) return true;
  const auto found = posts_.find(id);
  return found != posts_.end() && found_for_campaign(rules_.campaigns[campaign], found->second);
}

std::set<PostId> DiscoveryRegistry::campaign_members(std::size_t campaign) const {
  std::set<PostId> members = configured_members_[campaign];
  for (const auto& [id, post] : posts_) {
    if (found_for_campaign(rules_.campaigns[campaign], post)) members.insert(id);
  }
  return members;
}

std::size_t DiscoveryRegistry::source_members(std::string_view key) const {
  std::size_t count = 0;
  for (const auto& [id, post] : posts_) count += post.sources.contains(std::string(key)) ? 1 : 0;
  return count;
}

std::string DiscoveryRegistry::owner_of(const FoundPost& post,
                                        const DiscoverySource& source) const {
  if (!source.owner.empty()) return source.owner;
  if (post.author_handle.empty()) return "";
  const std::string author = common::ascii_lower(post.author_handle);
  for (const std::string& handle : rules_.owned_accounts) {
    if (common::ascii_lower(handle) == author) return handle;
  }
  return "";
}

Admission DiscoveryRegistry::offer(const std::string& key, const FoundPost& found,
                                   std::int64_t now_unix) {
  const DiscoverySource* source = find_source(key);
  if (source == nullptr) return Admission::refused;
  if (created_unix(found.id) + rules_.ttl.count() <= now_unix) {
    ++drops_["ttl"];
    return Admission::refused;
  }
  const auto existing = posts_.find(found.id);
  if (existing != posts_.end() && existing->second.sources.contains(key)) {
    return Admission::already_member;
  }
  if (source_members(key) >= source->max_posts) {
    ++drops_[std::string(cap_reason(source->kind))];
    return Admission::refused;
  }
  const std::vector<std::size_t> campaigns = campaigns_of(key);
  for (const std::size_t campaign : campaigns) {
    if (!in_campaign(campaign, found.id) &&
        campaign_members(campaign).size() >= rules_.campaigns[campaign].max_posts) {
      ++drops_["campaign_cap"];
      return Admission::refused;
    }
  }
  if (existing == posts_.end() && posts_.size() >= rules_.max_posts) {
    ++drops_["total_cap"];
    return Admission::refused;
  }
  for (const std::size_t campaign : campaigns) {
    if (!in_campaign(campaign, found.id)) ++campaign_discovered_[rules_.campaigns[campaign].name];
  }
  DiscoveredPost& post = posts_[found.id];
  if (post.sources.empty()) {
    post.id = found.id;
    post.first_seen_unix = now_unix;
  }
  if (post.author_id.empty() && found.author_id) post.author_id = *found.author_id;
  if (post.author_handle.empty()) post.author_handle = found.author_handle;
  if (post.owner.empty()) post.owner = owner_of(found, *source);
  post.sources.insert(key);
  ++cursors_[key].discovered_total;
  return Admission::admitted;
}

std::size_t DiscoveryRegistry::expire(std::int64_t now_unix) {
  std::size_t expired = 0;
  for (auto it = posts_.begin(); it != posts_.end();) {
    if (created_unix(it->first) + rules_.ttl.count() <= now_unix) {
      it = posts_.erase(it);
      ++expired;
    } else {
      ++it;
    }
  }
  if (expired > 0) drops_["ttl"] += static_cast<std::int64_t>(expired);
  return expired;
}

DiscoveryRegistry::DropCounts DiscoveryRegistry::take_drops() {
  DropCounts drops;
  drops.swap(drops_);
  return drops;
}

std::uint64_t DiscoveryRegistry::campaign_discovered_total(std::string_view campaign) const {
  const auto found = campaign_discovered_.find(std::string(campaign));
  return found == campaign_discovered_.end() ? 0 : found->second;
}

DiscoveryRegistry::Memory DiscoveryRegistry::memory() const {
  return Memory{posts_, cursors_, campaign_discovered_, source_queries_};
}

void DiscoveryRegistry::restore(Memory memory, std::int64_t now_unix) {
  posts_ = std::move(memory.posts);
  cursors_ = std::move(memory.cursors);
  campaign_discovered_ = std::move(memory.campaign_discovered);
  // The queries the cursors were made with: reconcile keeps only the cursors whose source is
  // still configured with the same query, and the Posts of sources still configured.
  source_queries_ = std::move(memory.source_queries);
  reconcile();
  expire(now_unix);
}

store::DiscoverySection DiscoveryRegistry::section() const {
  store::DiscoverySection section;
  auto group_of_source = [this](const DiscoverySource& source) {
    store::PostGroup group;
    group.name = source.name;
    const std::string key = source_key(source);
    for (const auto& [id, post] : posts_) {
      if (post.sources.contains(key)) group.posts.push_back(id);
    }
    const auto cursor = cursors_.find(key);
    group.discovered_total = cursor == cursors_.end() ? 0 : cursor->second.discovered_total;
    return group;
  };
  for (const DiscoverySource& source : rules_.sources) {
    (source.kind == SourceKind::hashtag ? section.hashtags : section.accounts)
        .push_back(group_of_source(source));
  }
  for (std::size_t i = 0; i < rules_.campaigns.size(); ++i) {
    store::PostGroup group;
    group.name = rules_.campaigns[i].name;
    const std::set<PostId> members = campaign_members(i);
    group.posts.assign(members.begin(), members.end());
    group.discovered_total = campaign_discovered_total(group.name);
    section.campaigns.push_back(std::move(group));
  }
  return section;
}

}  // namespace xee::collectors
