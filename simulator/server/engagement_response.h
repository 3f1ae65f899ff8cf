#pragma once
// Answers a validated Engagement API request from the World: which Posts are available, whether
// the caller may see them and the asked types (the 403s of spec §4.2, §5), and the 200 body with
// every grouping nested in its `group_by` order (§3).

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "simulator/server/api_error.h"
#include "simulator/server/caller.h"
#include "simulator/server/engagement_request.h"
#include "simulator/world/world.h"

namespace xee::simulator::server {

struct ResolvedPosts {
  std::vector<Post> available;            // request order
  std::vector<wire::PostId> unavailable;  // unknown, not yet created, or deleted (request order)
};

// Looks every requested ID up at `now`; IDs in `deleted` (an injected fault) count as unavailable.
ResolvedPosts resolve_posts(const World& world, const std::vector<wire::PostId>& ids,
                            common::TimePoint now, const std::set<wire::PostId>& deleted);

// App-only (Bearer or OAuth 1.0a without a token): only the five public types (403 "Forbidden to
// access metrics: …" naming the others in request order). User context: every available Post must
// belong to the caller's account; otherwise the whole request is refused with `forbidden_status`
// (403 or 400) and "Forbidden to access tweets: …" naming the others in request order. With
// `forbidden_status` 200 the request is not refused: see drop_forbidden_posts.
std::optional<ApiError> check_access(const EngagementRequest& request, const ResolvedPosts& posts,
                                     const Caller& caller, int forbidden_status = 403);

// The 200 variant: removes the available Posts a user-context caller does not own from `posts`
// and returns the `errors` entry naming them in request order (empty when there are none, or for
// app-only callers).
std::vector<std::string> drop_forbidden_posts(ResolvedPosts& posts, const Caller& caller);

// The 200 body. `window` is the hour-aligned window for /28hr and /historical, nullopt for
// /totals (lifetime values at `now`, with the 90-day and 1800-day rules). `leading_errors` come
// first in `errors` (the 200 variant's forbidden message).
std::string build_engagement_response(const World& world, const EngagementRequest& request,
                                      const ResolvedPosts& posts,
                                      const std::optional<TimeWindow>& window,
                                      common::TimePoint now,
                                      const std::vector<std::string>& leading_errors = {});

}  // namespace xee::simulator::server
