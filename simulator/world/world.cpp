#include "simulator/world/world.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "simulator/world/deterministic_hash.h"

namespace xee::simulator {
namespace {

constexpr double kMsPerHour = 3'600'000.0;
constexpr double kMsPerDay = 24 * kMsPerHour;
// A snowflake holds 41 bits of milliseconds after X's epoch, so Posts live in
// [2010-11-04, 2080-07-10]; streams are clamped to that span rather than wrapping IDs.
constexpr std::int64_t kFirstSnowflakeMs = wire::kSnowflakeEpochMs;
constexpr std::int64_t kEndOfSnowflakesMs = wire::kSnowflakeEpochMs + (std::int64_t{1} << 41);
// Longer gaps than a century mean "practically never", and keep k·interval far from overflow.
constexpr double kLongestIntervalMs = 100 * 365 * kMsPerDay;

constexpr std::array<std::string_view, 8> kTopics{
    "update", "news", "tip", "thread", "recap", "question", "demo", "notes",
};

std::int64_t unix_ms(TimePoint t) {
  return t.time_since_epoch().count();
}

TimePoint from_unix_ms(std::int64_t ms) {
  return TimePoint{common::Millis{ms}};
}

std::string lowercase(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

}  // namespace

World::World(WorldConfig config) : config_(std::move(config)) {
  stream_by_worker_.fill(-1);
  // A config that bypassed load_world_config may be out of range; the World must not crash on
  // it, so extra streams are ignored and bad rates make a stream silent (see add_stream).
  const std::size_t account_count = std::min(config_.accounts.size(), kMaxAccounts);
  for (std::size_t i = 0; i < account_count; ++i) {
    const AccountConfig& account = config_.accounts[i];
    add_stream(true, i, static_cast<std::uint32_t>(i), account.posting_since,
               kMsPerDay / account.posts_per_day, account.reach);
    account_by_token_.emplace(account.access_token, i);
    account_by_lowercase_handle_.emplace(lowercase(account.handle), i);
  }
  const std::size_t hashtag_count = std::min(config_.hashtags.size(), kMaxHashtags);
  for (std::size_t j = 0; j < hashtag_count; ++j) {
    const HashtagConfig& hashtag = config_.hashtags[j];
    add_stream(false, j, kFirstHashtagWorker + static_cast<std::uint32_t>(j), hashtag.posting_since,
               kMsPerHour / hashtag.posts_per_hour, hashtag.reach);
  }
}

void World::add_stream(bool is_account, std::size_t config_index, std::uint32_t worker,
                       TimePoint posting_since, double interval_ms, double reach) {
  Stream stream;
  stream.is_account = is_account;
  stream.config_index = config_index;
  stream.worker = worker;
  stream.since_ms = std::clamp(unix_ms(posting_since), kFirstSnowflakeMs, kEndOfSnowflakesMs);
  // At least 2 ms, so the jitter range I/2 is never empty.
  if (std::isfinite(interval_ms) && interval_ms >= 2 && interval_ms <= kLongestIntervalMs) {
    stream.interval_ms = std::llround(interval_ms);
  }
  stream.reach = std::isfinite(reach) && reach > 0 ? reach : 0.0;
  stream_by_worker_[worker] = static_cast<std::int16_t>(streams_.size());
  streams_.push_back(stream);
}

const World::Stream* World::stream_of(PostId id) const {
  const std::int16_t index = stream_by_worker_[wire::snowflake_worker(id)];
  if (index < 0) return nullptr;
  const Stream& stream = streams_[static_cast<std::size_t>(index)];
  return stream.interval_ms > 0 ? &stream : nullptr;
}

// Post k sits in [since + k·I, since + k·I + I/2): jittered, yet never out of order, and
// ⌊(t − since) / I⌋ recovers k from the creation time exactly (integer milliseconds).
std::int64_t World::created_ms(const Stream& stream, std::int64_t k) const {
  const std::uint64_t jitter_range = static_cast<std::uint64_t>(stream.interval_ms / 2);
  const std::uint64_t jitter =
      hash_words(config_.seed, stream.worker, k, draw_word(Draw::jitter)) % jitter_range;
  return stream.since_ms + k * stream.interval_ms + static_cast<std::int64_t>(jitter);
}

PostId World::post_id(const Stream& stream, std::int64_t k) const {
  const auto sequence = static_cast<std::uint32_t>(
      hash_words(config_.seed, stream.worker, k, draw_word(Draw::sequence)) & 0xfff);
  return wire::make_snowflake(from_unix_ms(created_ms(stream, k)), stream.worker, sequence);
}

Post World::make_post(const Stream& stream, std::int64_t k) const {
  const auto draw = [&](Draw what) {
    return hash_words(config_.seed, stream.worker, k, draw_word(what));
  };
  Post post;
  post.id = post_id(stream, k);
  post.created = from_unix_ms(created_ms(stream, k));
  if (stream.is_account) {
    const AccountConfig& account = config_.accounts[stream.config_index];
    post.author_id = account.user_id;
    post.author_handle = account.handle;
    post.by_configured_account = true;
    post.has_video = unit_interval(draw(Draw::video)) < account.video_fraction;
    if (!account.hashtags.empty() &&
        unit_interval(draw(Draw::carries_hashtag)) < account.hashtag_fraction) {
      post.hashtags.push_back(
          account.hashtags[draw(Draw::hashtag_choice) % account.hashtags.size()]);
    }
    post.lang = "en";
  } else {
    const HashtagConfig& hashtag = config_.hashtags[stream.config_index];
    const std::uint64_t author = draw(Draw::public_author) % kPublicAuthorCount;
    post.author_id = kPublicAuthorIdBase + author;
    post.author_handle = "user_" + std::to_string(author);
    post.by_configured_account = false;
    post.has_video = unit_interval(draw(Draw::video)) < hashtag.video_fraction;
    post.hashtags.push_back(hashtag.tag);
    post.lang = hashtag.lang;
  }
  post.text = post.author_handle;
  post.text += ' ';
  post.text += kTopics[draw(Draw::topic) % kTopics.size()];
  post.text += ' ';
  post.text += std::to_string(k);
  for (const std::string& tag : post.hashtags) post.text += " #" + tag;
  return post;
}

std::optional<Post> World::find_post(PostId id, TimePoint now) const {
  const Stream* stream = stream_of(id);
  if (stream == nullptr) return std::nullopt;
  const std::int64_t created = unix_ms(wire::snowflake_time(id));
  if (created > unix_ms(now) || created < stream->since_ms) return std::nullopt;
  const std::int64_t k = (created - stream->since_ms) / stream->interval_ms;
  if (post_id(*stream, k) != id) return std::nullopt;
  return make_post(*stream, k);
}

std::vector<Post> World::posts_between(TimePoint from, TimePoint to) const {
  const std::int64_t from_ms = unix_ms(from);
  const std::int64_t to_ms = std::min(unix_ms(to), kEndOfSnowflakesMs);
  std::vector<Post> posts;
  for (const Stream& stream : streams_) {
    if (stream.interval_ms == 0 || to_ms <= stream.since_ms || to_ms <= from_ms) continue;
    std::int64_t k =
        from_ms <= stream.since_ms ? 0 : (from_ms - stream.since_ms) / stream.interval_ms;
    if (created_ms(stream, k) < from_ms) ++k;
    for (; created_ms(stream, k) < to_ms; ++k) posts.push_back(make_post(stream, k));
  }
  // A snowflake starts with its time, so ID order is "newest first, ties by ID".
  std::sort(posts.begin(), posts.end(), [](const Post& a, const Post& b) { return a.id > b.id; });
  return posts;
}

const AccountConfig* World::account_by_access_token(std::string_view token) const {
  const auto found = account_by_token_.find(token);
  return found == account_by_token_.end() ? nullptr : &config_.accounts[found->second];
}

// X handles are case-insensitive: @Acme and @acme are the same account.
const AccountConfig* World::account_by_handle(std::string_view handle) const {
  const auto found = account_by_lowercase_handle_.find(lowercase(handle));
  return found == account_by_lowercase_handle_.end() ? nullptr : &config_.accounts[found->second];
}

EngagementProfile World::engagement_profile(const Post& post) const {
  const Stream* stream = stream_of(post.id);
  return make_engagement_profile(config_.seed, post.id, stream == nullptr ? 0.0 : stream->reach,
                                 post.has_video, !post.hashtags.empty());
}

double World::lifetime_count(const Post& post, EngagementType type) const {
  return simulator::lifetime_count(engagement_profile(post), type);
}

// Not modelled: X reports favorites, replies and retweets as zero before 2015-09-15; no Post of
// the demo world is that old, and a custom world that needs it can be filtered by the server.
std::uint64_t World::cumulative(const Post& post, EngagementType type, TimePoint at) const {
  if (at <= post.created) return 0;
  const double age_hours = static_cast<double>(unix_ms(at) - unix_ms(post.created)) / kMsPerHour;
  return count_at_age(engagement_profile(post), type, age_hours);
}

// Spec §6 leaves X's data latency UNCONFIRMED; the simulator serves engagement the moment it
// happens, so the current hour reads as far as it has filled and grows until the hour ends.
std::uint64_t World::hourly(const Post& post, EngagementType type,
                            std::chrono::sys_seconds hour_start, TimePoint now) const {
  const TimePoint start = hour_start;
  if (now <= start) return 0;
  const TimePoint end = std::min<TimePoint>(start + std::chrono::hours{1}, now);
  const std::uint64_t before = cumulative(post, type, start);
  const std::uint64_t after = cumulative(post, type, end);
  return after > before ? after - before : 0;
}

}  // namespace xee::simulator
