#pragma once
// Decides what to ask /totals and when: batches the tracked Posts, picks each Post's auth and
// types by ownership and age, paces through the shared RequestPacer, retries, strips Posts X
// refuses, and publishes a complete TotalsSection after every round. No HTTP, no JSON: the
// EngagementApi behind it does one exchange per call.
//
// Auth and types per Post, each round:
// - owned (an account is configured and X has not refused its tokens) and at most 90 days old:
//   the owner's UserAuth, all 7 /totals types;
// - everything else, including owned Posts older than 90 days: the app's public auth (its Bearer
//   token, or OAuth 1.0a with its consumer key and secret alone), the 5 public types. Old owned
//   Posts go with Bearer because those five are public anyway: they then share full 250-ID batches
//   with unowned Posts (fewer requests against the per-minute budget), and an owner's revoked
//   tokens cannot cost their public metrics;
// - older than 1800 days: without video_views.
//
// Posts X refuses with "Forbidden to access tweets" are stripped whatever the status of that
// answer: a 403 or 400 (the batch is sent again without them) or a 200 with the others' values
// (X's partial-result variant). Refused user-context Posts continue with public metrics; refused
// app-auth Posts are treated as unavailable.
//
// A round succeeds when every batch got an answer (a 200, possibly after retries and stripping).
// A 200 that reports some Posts as unavailable or unsupported still counts as answered: those
// are facts about the Posts, not failures to collect, and they show in posts_excluded. A batch
// that got no answer keeps its Posts' last good values, and the round is published anyway.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "collectors/backoff.h"
#include "collectors/engagement_api.h"
#include "collectors/request_pacer.h"
#include "common/clock.h"
#include "common/log.h"
#include "store/snapshot.h"
#include "store/telemetry.h"

namespace xee::collectors {

struct TrackedPost {
  PostId id = 0;
  std::string account;  // the owner's handle; empty when the Post is not owned by an account
  bool operator==(const TrackedPost&) const = default;
};

using UserAuthByAccount = std::map<std::string, UserAuth, std::less<>>;

struct TotalsCollectorOptions {
  // A Post listed twice is tracked once, under its first entry.
  std::vector<TrackedPost> posts;
  UserAuthByAccount user_auth;
  PublicAuth public_auth;
  // Read by whoever runs the PollLoop; the collector itself does one round per poll_once().
  common::Millis poll_interval{60000};
  // 5xx and network errors: retried with these delays up to backoff.max_attempts sends.
  BackoffOptions backoff;
  // 429s: each retry waits for X's reset; after this many the batch is given up for the round.
  int max_rate_limited_retries = 3;
  // An unavailable Post (deleted, protected, suspended) is asked again only every this many
  // rounds, so it costs nothing in between but comes back if it becomes available again.
  int unavailable_retry_rounds = 12;
  // Source of backoff jitter; empty means unpredictable_random_source().
  RandomSource jitter;
  // The clock Post ages (the 90- and 1800-day rules) are measured on: X's notion of now. Null
  // means the collector's clock. Demos and tests against an accelerated or frozen simulator pass
  // the simulator's world clock here, while pacing and telemetry stay on the wall clock.
  const common::Clock* post_age_clock = nullptr;
  // Called with the IDs of every request X answered (the Posts X now bills as queried). Runs on
  // the poll thread; may be empty.
  std::function<void(const std::vector<PostId>&)> posts_answered;
};

class TotalsCollector {
 public:
  TotalsCollector(EngagementApi& api, RequestPacer& pacer, store::SnapshotStore& store,
                  store::Telemetry& telemetry, const common::Clock& clock, common::Logger& logger,
                  TotalsCollectorOptions options);

  // Thread-safe; both take effect at the next round (a configuration reload).
  void set_posts(std::vector<TrackedPost> posts);
  void set_credentials(UserAuthByAccount user_auth, PublicAuth public_auth);

  // One round: asks X, publishes the section, records telemetry. Returns whether every batch was
  // answered. Runs on one thread at a time (the poll loop's).
  bool poll_once();

  common::Millis poll_interval() const { return poll_interval_; }

 private:
  // What this collector remembers about a tracked Post between rounds.
  struct PostMemory {
    EngagementValues last_good;
    // The account whose tokens X refused for this Post; empty while none was refused.
    std::string refused_account;
    bool unavailable = false;
    std::uint64_t unavailable_retry_round = 0;
    // X reported these despite our age estimate (clocks differ at the boundaries); it will
    // not change its mind, as Posts only get older.
    bool unsupported_impressions = false;
    bool unsupported_video_views = false;
    std::uint32_t logged_reasons = 0;  // bit per store::ExclusionReason already logged
  };

  // Who is asked for which types; Posts with equal keys share batches.
  struct BatchKey {
    std::string account;  // empty: the app's public auth
    std::uint32_t types = 0;
    auto operator<=>(const BatchKey&) const = default;
  };

  struct Round {
    std::uint64_t number = 0;
    common::TimePoint now;
    common::TimePoint age_now;  // now on the Post-age clock
    std::vector<TrackedPost> posts;
    UserAuthByAccount user_auth;
    PublicAuth public_auth;
    std::unordered_map<PostId, EngagementValues> answers;
    bool all_answered = true;
  };

  // Configured with an account, and X has not refused that account's tokens for the Post.
  static bool owned(const TrackedPost& post, const PostMemory& memory);
  BatchKey batch_key(const Round& round, const TrackedPost& post, const PostMemory& memory) const;
  bool skipped_this_round(const Round& round, const PostMemory& memory) const;
  // Sends the batches of every Post whose key uses user context (`user_context`) or Bearer.
  void ask(Round& round, bool user_context);
  // One batch with its retries and stripping; returns whether X answered it.
  bool send_batch(Round& round, const BatchKey& key, std::vector<PostId> ids);
  // Removes the IDs X refused from `request`; false when none of them was in it.
  bool strip_refused(Round& round, TotalsRequest& request, const ApiFailure& failure,
                     const BatchKey& key, long status);
  // What follows X refusing `stripped` for `key`'s credentials: counted, logged, and the Posts
  // asked with the app's auth from now on (user context) or treated as unavailable (app auth).
  void refuse_posts(Round& round, const BatchKey& key, const std::vector<PostId>& stripped,
                    long status);
  void mark_unavailable(const Round& round, PostId id);
  void apply_answer(Round& round, const BatchKey& key, const TotalsRequest& request,
                    const TotalsResponse& response);
  void log_failure(const Round& round, const BatchKey& key, const TotalsRequest& request,
                   const ApiFailure& failure, std::string_view outcome);

  void forget_untracked(const Round& round);
  void warn_accounts_without_tokens(const Round& round);
  // Merges this round's answers over the last good values and publishes the section.
  void publish(Round& round);
  void report_exclusions(const Round& round);
  void log_once(const TrackedPost& post, PostMemory& memory, store::ExclusionReason reason,
                common::LogLevel level, std::string_view message);

  EngagementApi& api_;
  RequestPacer& pacer_;
  store::SnapshotStore& store_;
  store::Telemetry& telemetry_;
  const common::Clock& clock_;
  const common::Clock& post_age_clock_;
  common::Logger& logger_;
  const common::Millis poll_interval_;
  const int max_rate_limited_retries_;
  const int unavailable_retry_rounds_;
  Backoff backoff_;
  const std::function<void(const std::vector<PostId>&)> posts_answered_;

  mutable std::mutex config_mutex_;
  std::vector<TrackedPost> posts_;
  UserAuthByAccount user_auth_;
  PublicAuth public_auth_;

  std::uint64_t rounds_ = 0;
  std::unordered_map<PostId, PostMemory> memory_;
  std::unordered_set<std::string> accounts_warned_without_tokens_;
  std::set<std::string> unrequested_logged_;
};

}  // namespace xee::collectors
