#pragma once
// How much engagement a Post collects and how fast. Each Post has a lifetime count per type that it
// approaches as it ages, and one growth curve shared by all its types:
//   F(a) = w·(1 − e^(−a/τ1)) + (1 − w)·(1 − e^(−a/τ2)),   a = age in hours,
// a burst in the first hours (τ1 of 2–6 h) and a long tail (τ2 of 3–10 days). Sharing one curve
// keeps the types consistent with each other at every moment (engagements never fall below
// favorites + retweets + replies), and flooring final × F(a) keeps every count a monotone integer.

#include <cstdint>

#include "wire/engagement_types.h"
#include "wire/snowflake.h"

namespace xee::simulator {

struct EngagementProfile {
  double popularity = 0;  // log-normal-ish with median 1, already ×30 when viral
  bool viral = false;
  double reach = 0;         // of the stream the Post belongs to
  double burst_hours = 0;   // τ1
  double tail_hours = 0;    // τ2
  double burst_weight = 0;  // w
  bool has_video = false;
  bool has_hashtags = false;
  std::uint64_t noise_key = 0;  // seeds the per-type noise
};

// Pure and allocation-free: it runs for every value of every /historical request.
EngagementProfile make_engagement_profile(std::uint64_t seed, wire::PostId id, double reach,
                                          bool has_video, bool has_hashtags);

// The count the Post approaches as it ages (not an integer; the counts are floored from it).
double lifetime_count(const EngagementProfile& profile, wire::EngagementType type);

// F(age): 0 at creation, increasing, approaching 1.
double growth_fraction(const EngagementProfile& profile, double age_hours);

// ⌊lifetime_count × F(age)⌋; 0 for age ≤ 0.
std::uint64_t count_at_age(const EngagementProfile& profile, wire::EngagementType type,
                           double age_hours);

}  // namespace xee::simulator
