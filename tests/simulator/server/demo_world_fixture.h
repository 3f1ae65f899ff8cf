#pragma once
// The demo world at the tests' --clock.start, and ways to pick its Posts by what a test needs
// (an account's recent Post, an old archive Post) instead of hard-coding IDs everywhere.

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_format.h"
#include "simulator/world/world.h"

namespace xee::simulator::server::testing {

inline common::TimePoint at(std::string_view iso) {
  return common::TimePoint(*common::parse_iso8601(iso));
}

// The demo's and the tests' --clock.start.
inline const common::TimePoint kClockStart = at("2026-11-20T00:00:00Z");

inline const World& demo() {
  static const World world(demo_world());
  return world;
}

// Posts of one configured account created in [from, to), newest first.
inline std::vector<Post> posts_by(std::string_view handle, common::TimePoint from,
                                  common::TimePoint to) {
  std::vector<Post> selected;
  for (Post& post : demo().posts_between(from, to)) {
    if (post.author_handle == handle) selected.push_back(std::move(post));
  }
  return selected;
}

inline std::string id_text(const Post& post) {
  return wire::format_post_id(post.id);
}

inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  EXPECT_FALSE(document.HasParseError()) << "not JSON: " << text;
  return document;
}

// A string leaf as a number: values in X's bodies are JSON strings.
inline std::uint64_t leaf(const rapidjson::Value& value) {
  EXPECT_TRUE(value.IsString());
  return value.IsString() ? std::stoull(value.GetString()) : 0;
}

inline std::vector<std::string> keys_of(const rapidjson::Value& object) {
  std::vector<std::string> keys;
  for (const auto& member : object.GetObject()) keys.emplace_back(member.name.GetString());
  return keys;
}

}  // namespace xee::simulator::server::testing
