#pragma once
// The discovery collector's section of the state file (state/state_file.h), section "discovery":
//   {"posts": [{"post_id": "2123…", "author_id": "1000001", "author": "acme", "owner": "acme",
//               "first_seen": "2026-11-20T00:00:00Z", "sources": ["hashtag:launchday"]}],
//    "cursors": {"hashtag:launchday": {"query": "#launchday -is:retweet", "since_id": "2123…",
//                "next_token": "…", "walk_newest_id": "2123…", "discovered_total": 42}},
//    "campaigns": {"acme-launch": {"discovered_total": 17}}}
// IDs are strings (JSON readers lose 64-bit integers); absent optional fields are left out.

#include <string>
#include <string_view>

#include "collectors/discovery_registry.h"
#include "common/result.h"

namespace xee::collectors {

inline constexpr std::string_view kDiscoveryStateSection = "discovery";

std::string encode_discovery_state(const DiscoveryRegistry::Memory& memory);

// An error names the first problem and where ("posts[2] (post 2123…): \"sources\" is empty").
Result<DiscoveryRegistry::Memory> decode_discovery_state(std::string_view json);

}  // namespace xee::collectors
