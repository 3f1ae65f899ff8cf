#pragma once
// The first step of decoding every collector's state-file section: the text must be one JSON
// object. Errors read like the rest of the state file's ("invalid JSON at offset 17: …").

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>
#include <string_view>

#include "common/result.h"

namespace xee::collectors {

// Iterative, so no nesting can exhaust the stack; the decoders only walk the levels they expect.
inline Result<void> parse_json_object(std::string_view json, rapidjson::Document& document) {
  document.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (document.HasParseError()) {
    return fail("invalid JSON at offset " + std::to_string(document.GetErrorOffset()) + ": " +
                rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsObject()) return fail("expected an object");
  return {};
}

}  // namespace xee::collectors
