#include "simulator/server/json_output.h"

#include "wire/api_limits.h"

namespace xee::simulator::server {

void write_string_array(JsonWriter& writer, std::string_view key,
                        const std::vector<std::string>& values) {
  write_key(writer, key);
  writer.StartArray();
  for (const auto& value : values) write_string(writer, value);
  writer.EndArray();
}

std::string errors_body(const std::vector<std::string>& errors) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  write_string_array(writer, wire::kFieldErrors, errors);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace xee::simulator::server
