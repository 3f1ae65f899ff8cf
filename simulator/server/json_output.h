#pragma once
// Small helpers for the JSON the simulator writes with RapidJSON: X's `{"errors":[…]}` body and a
// writer whose output is a std::string.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>
#include <vector>

namespace xee::simulator::server {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void write_string(JsonWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}
inline void write_key(JsonWriter& writer, std::string_view key) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}
void write_string_array(JsonWriter& writer, std::string_view key,
                        const std::vector<std::string>& values);

// {"errors":["…", …]}: the Engagement API's error shape (plain strings, spec §4.2).
std::string errors_body(const std::vector<std::string>& errors);

}  // namespace xee::simulator::server
