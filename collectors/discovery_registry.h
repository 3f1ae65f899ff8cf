#pragma once
// The Posts discovery has found and still tracks, and the rules that bound them: which search
// source (hashtag or account) found each one, per-source, per-campaign and overall caps, and the
// tracking TTL. Pure bookkeeping on an injected time: no search, no I/O, so every admission,
// refusal and expiry is unit-tested directly. The discovery collector feeds it search results.
//
// Admission of a Post found by source S (in this order):
// - created longer than ttl ago: refused, "ttl";
// - already a member of S: nothing to do;
// - S holds max_posts members: refused for S, "<kind>_cap";
// - a campaign that groups S (and does not yet list the Post) is full: refused, "campaign_cap";
// - a new Post while the overall cap is reached: refused, "total_cap".
// A refused Post is counted every time a search returns it, until it is admitted or leaves the
// search window; that is the honest signal that a cap is too small. Tracked Posts leave when
// their TTL passes ("ttl") or when no configured source holds them any more ("source_removed").

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/search_api.h"
#include "store/snapshot.h"
#include "wire/snowflake.h"

namespace xee::collectors {

using wire::PostId;

enum class SourceKind { hashtag, account };
std::string_view to_string(SourceKind kind);

struct DiscoverySource {
  SourceKind kind = SourceKind::hashtag;
  std::string name;   // the tag or handle as configured (label value)
  std::string query;  // the whole search query, e.g. "#launchday -is:retweet"
  std::size_t max_posts = 500;
  // Account sources of an [[accounts]] handle: the owner whose tokens read their full metrics.
  std::string owner;
  bool operator==(const DiscoverySource&) const = default;
};

// "hashtag:launchday", "account:globex": names compare case-insensitively, as on X.
std::string source_key(SourceKind kind, std::string_view name);
std::string source_key(const DiscoverySource& source);

struct CampaignRule {
  std::string name;
  std::vector<PostId> posts;             // configured members
  std::vector<std::string> source_keys;  // the hashtags and account sources it groups
  // Configured (not discovered) Posts whose account is one of these (lower case) are members.
  std::vector<std::string> accounts;
  std::size_t max_posts = 1000;
  bool operator==(const CampaignRule&) const = default;
};

struct DiscoveryRules {
  std::vector<DiscoverySource> sources;  // configuration order
  std::vector<CampaignRule> campaigns;   // configuration order
  std::size_t max_posts = 2000;          // discovered Posts tracked at once, all sources
  std::chrono::seconds ttl{std::chrono::days{7}};
  // [[accounts]] handles (configured spelling): a found Post whose author is one is owned.
  std::vector<std::string> owned_accounts;
  bool operator==(const DiscoveryRules&) const = default;
};

// A configured Post, as campaigns see it.
struct ConfiguredPost {
  PostId id = 0;
  std::string account;  // the owner's handle, or empty
};

struct DiscoveredPost {
  PostId id = 0;
  std::string author_id;      // empty when X did not say
  std::string author_handle;  // empty when X did not say
  std::string owner;          // the [[accounts]] handle that owns it, or empty
  std::int64_t first_seen_unix = 0;
  std::set<std::string> sources;  // source keys
  bool operator==(const DiscoveredPost&) const = default;
};

// A source's search position. since_id moves only when a walk through all pages completes, so an
// interrupted walk (budget spent, error) resumes at next_token without losing Posts.
struct SourceCursor {
  std::optional<PostId> since_id;
  std::optional<std::string> next_token;  // of the walk in progress
  std::optional<PostId> walk_newest_id;   // newest_id of that walk's first page
  std::uint64_t discovered_total = 0;     // Posts that ever joined this source
  bool operator==(const SourceCursor&) const = default;
};

enum class Admission { admitted, already_member, refused };

class DiscoveryRegistry {
 public:
  // What a refusal or drop was for: label values of x_engagement_discovery_posts_dropped_total.
  using DropCounts = std::map<std::string, std::int64_t>;

  // Replaces the rules (start, reload). Posts of sources no longer configured lose that
  // membership; those left with none are dropped ("source_removed"). Cursors of removed sources
  // are forgotten; a source whose query changed starts over (its since_id no longer applies).
  void set_rules(DiscoveryRules rules, const std::vector<ConfiguredPost>& configured);

  // Offers a Post found by the source with key `source` at `now` (X's time).
  Admission offer(const std::string& source, const FoundPost& post, std::int64_t now_unix);

  // Drops every Post whose TTL has passed at `now`; returns how many.
  std::size_t expire(std::int64_t now_unix);

  // Drop and refusal counts since the last call (then reset).
  DropCounts take_drops();

  const DiscoveryRules& rules() const { return rules_; }
  SourceCursor& cursor(const std::string& source) { return cursors_[source]; }
  const std::map<std::string, SourceCursor>& cursors() const { return cursors_; }
  const std::map<PostId, DiscoveredPost>& posts() const { return posts_; }
  std::uint64_t campaign_discovered_total(std::string_view campaign) const;

  // The persisted part: Posts, cursors and campaign counters (discovery_state.h encodes it).
  struct Memory {
    std::map<PostId, DiscoveredPost> posts;
    std::map<std::string, SourceCursor> cursors;
    std::map<std::string, std::uint64_t> campaign_discovered;
    std::map<std::string, std::string> source_queries;  // the query each cursor belongs to
    bool operator==(const Memory&) const = default;
  };
  Memory memory() const;
  // Restores persisted memory under the current rules: Posts of unknown sources and cursors of
  // changed queries are dropped as in set_rules.
  void restore(Memory memory, std::int64_t now_unix);

  // Groups for the snapshot: members currently tracked, configured campaign members included.
  store::DiscoverySection section() const;

 private:
  // Drops what the current rules no longer hold: cursors of changed queries, Posts of removed
  // sources.
  void reconcile();
  const DiscoverySource* find_source(std::string_view key) const;
  // Indices into rules_.campaigns of the campaigns that group the source.
  std::vector<std::size_t> campaigns_of(std::string_view source_key) const;
  static bool found_for_campaign(const CampaignRule& campaign, const DiscoveredPost& post);
  bool in_campaign(std::size_t campaign, PostId id) const;
  std::set<PostId> campaign_members(std::size_t campaign) const;
  std::size_t source_members(std::string_view key) const;
  void drop_unsourced();
  std::string owner_of(const FoundPost& post, const DiscoverySource& source) const;

  DiscoveryRules rules_;
  // Per campaign (index-aligned with rules_.campaigns): its listed Posts and the configured
  // Posts of its accounts.
  std::vector<std::set<PostId>> configured_members_;
  std::map<PostId, DiscoveredPost> posts_;
  std::map<std::string, SourceCursor> cursors_;
  std::map<std::string, std::uint64_t> campaign_discovered_;
  std::map<std::string, std::string> source_queries_;
  DropCounts drops_;
};

}  // namespace xee::collectors
