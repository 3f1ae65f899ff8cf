#include "simulator/world/engagement_model.h"

#include <cmath>

#include "simulator/world/deterministic_hash.h"

namespace xee::simulator {
namespace {

using wire::EngagementType;

constexpr double kBaseImpressions = 5000;
constexpr double kViralShare = 0.02;
constexpr double kViralMultiplier = 30;
// exp(0.9·z) puts the middle 95% of Posts between ~0.2× and ~5× the median.
constexpr double kPopularitySigma = 0.9;
constexpr double kNoiseLow = 0.7;
constexpr double kNoiseSpan = 0.6;
// X's FAQ: engagements is not the sum of the other metrics and can be larger, because it also
// counts interactions that have no metric of their own.
constexpr double kEngagementsOverInteractions = 1.1;
constexpr double kBurstHoursLow = 2, kBurstHoursSpan = 4;
constexpr double kTailHoursLow = 3 * 24, kTailHoursSpan = 7 * 24;
constexpr double kBurstWeightLow = 0.65, kBurstWeightSpan = 0.1;
// Larger counts cannot be floored into a uint64; no sane world gets near them.
constexpr double kLargestCount = 1e18;

double draw_unit(std::uint64_t seed, wire::PostId id, Draw draw) {
  return unit_interval(hash_words(seed, id, draw_word(draw)));
}

// Irwin–Hall: the sum of four uniforms, rescaled to mean 0 and variance 1, is close to normal in
// the middle and bounded in the tails (|z| ≤ 2√3), which keeps non-viral Posts within ~23× of
// the median without a log or a trigonometric call.
double standard_normalish(std::uint64_t h) {
  double sum = 0;
  for (int quarter = 0; quarter < 4; ++quarter) {
    sum += (static_cast<double>((h >> (16 * quarter)) & 0xffff) + 0.5) / 65536.0;
  }
  return (sum - 2.0) * std::sqrt(3.0);
}

double share_of_impressions(const EngagementProfile& profile, EngagementType type) {
  switch (type) {
    case EngagementType::impressions:
      return 1.0;
    case EngagementType::engagements:
      return 0.0;  // derived from the others in lifetime_count
    case EngagementType::favorites:
      return 0.012;
    case EngagementType::retweets:
      return 0.0025;
    case EngagementType::quote_tweets:
      return 0.0005;
    case EngagementType::replies:
      return 0.0015;
    case EngagementType::video_views:
      return profile.has_video ? 0.30 : 0.0;
    case EngagementType::media_views:
      return profile.has_video ? 0.40 : 0.08;
    case EngagementType::media_engagements:
      return 0.01;
    case EngagementType::url_clicks:
      return 0.004;
    case EngagementType::hashtag_clicks:
      return profile.has_hashtags ? 0.001 : 0.0;
    case EngagementType::detail_expands:
      return 0.015;
    case EngagementType::permalink_clicks:
      return 0.001;
    case EngagementType::app_install_attempts:
      return 0.00005;
    case EngagementType::app_opens:
      return 0.0001;
    case EngagementType::email_tweet:
      return 0.00002;
    case EngagementType::user_follows:
      return 0.0002;
    case EngagementType::user_profile_clicks:
      return 0.003;
  }
  return 0.0;
}

// Views are not interactions, and since 2017-10-09 X no longer counts media views in engagements.
bool counts_toward_engagements(EngagementType type) {
  return type != EngagementType::impressions && type != EngagementType::engagements &&
         type != EngagementType::video_views && type != EngagementType::media_views;
}

double own_lifetime_count(const EngagementProfile& profile, EngagementType type) {
  const double noise =
      kNoiseLow + kNoiseSpan * unit_interval(hash_words(profile.noise_key, wire::index_of(type)));
  return kBaseImpressions * profile.reach * profile.popularity *
         share_of_impressions(profile, type) * noise;
}

}  // namespace

EngagementProfile make_engagement_profile(std::uint64_t seed, wire::PostId id, double reach,
                                          bool has_video, bool has_hashtags) {
  EngagementProfile profile;
  profile.viral = draw_unit(seed, id, Draw::viral) < kViralShare;
  profile.popularity = std::exp(kPopularitySigma * standard_normalish(hash_words(
                                                       seed, id, draw_word(Draw::popularity)))) *
                       (profile.viral ? kViralMultiplier : 1.0);
  profile.reach = reach;
  profile.burst_hours = kBurstHoursLow + kBurstHoursSpan * draw_unit(seed, id, Draw::burst_hours);
  profile.tail_hours = kTailHoursLow + kTailHoursSpan * draw_unit(seed, id, Draw::tail_hours);
  profile.burst_weight =
      kBurstWeightLow + kBurstWeightSpan * draw_unit(seed, id, Draw::burst_weight);
  profile.has_video = has_video;
  profile.has_hashtags = has_hashtags;
  profile.noise_key = hash_words(seed, id, draw_word(Draw::noise));
  return profile;
}

double lifetime_count(const EngagementProfile& profile, EngagementType type) {
  if (type != EngagementType::engagements) return own_lifetime_count(profile, type);
  double interactions = 0;
  for (const EngagementType other : wire::kAllTypes) {
    if (counts_toward_engagements(other)) interactions += own_lifetime_count(profile, other);
  }
  return kEngagementsOverInteractions * interactions;
}

double growth_fraction(const EngagementProfile& profile, double age_hours) {
  if (!(age_hours > 0)) return 0.0;
  // -expm1(-x) is 1 − e^(−x) without losing the small values of the first minutes.
  return profile.burst_weight * -std::expm1(-age_hours / profile.burst_hours) +
         (1.0 - profile.burst_weight) * -std::expm1(-age_hours / profile.tail_hours);
}

std::uint64_t count_at_age(const EngagementProfile& profile, EngagementType type,
                           double age_hours) {
  const double count = lifetime_count(profile, type) * growth_fraction(profile, age_hours);
  if (!(count >= 1.0)) return 0;  // also catches NaN from a nonsensical reach
  if (count >= kLargestCount) return static_cast<std::uint64_t>(kLargestCount);
  return static_cast<std::uint64_t>(count);
}

}  // namespace xee::simulator
