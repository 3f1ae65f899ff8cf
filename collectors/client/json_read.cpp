#include "collectors/client/json_read.h"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "common/text.h"

namespace xee::collectors::client::json {
namespace {

constexpr std::size_t kMaxRenderedLength = 64;
// 2^64: the smallest double that no uint64 can hold.
constexpr double kCountLimit = 18446744073709551616.0;

std::string with_context(std::string_view context, std::string_view detail) {
  std::string message(context);
  message += ": ";
  message += detail;
  return message;
}

std::string index_context(std::string_view context, std::size_t index) {
  return std::string(context) + "[" + std::to_string(index) + "]";
}

// Passes the parser's events on to a Document, refusing a string or key that is not UTF-8 once
// its escapes are decoded: RapidJSON 1.1 decodes a lone surrogate ("\udd20") into bytes that are
// not UTF-8, which would then reach label values and logs.
class Utf8Checked {
 public:
  explicit Utf8Checked(rapidjson::Document& target) : target_(target) {}

  bool Null() { return target_.Null(); }
  bool Bool(bool b) { return target_.Bool(b); }
  bool Int(int i) { return target_.Int(i); }
  bool Uint(unsigned u) { return target_.Uint(u); }
  bool Int64(std::int64_t i) { return target_.Int64(i); }
  bool Uint64(std::uint64_t u) { return target_.Uint64(u); }
  bool Double(double d) { return target_.Double(d); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool copy) {
    return target_.RawNumber(text, length, copy);
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    return checked(text, length) && target_.String(text, length, copy);
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    return checked(text, length) && target_.Key(text, length, copy);
  }
  bool StartObject() { return target_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) { return target_.EndObject(members); }
  bool StartArray() { return target_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) { return target_.EndArray(elements); }

  bool refused() const { return refused_; }

 private:
  bool checked(const char* text, rapidjson::SizeType length) {
    refused_ = !common::is_valid_utf8(std::string_view(text, length));
    return !refused_;
  }

  rapidjson::Document& target_;
  bool refused_ = false;
};

}  // namespace

Result<rapidjson::Document> parse(std::string_view body, std::string_view context) {
  constexpr unsigned kFlags =
      rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;
  rapidjson::MemoryStream memory(body.data(), body.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(memory);
  rapidjson::ParseResult result;
  bool refused = false;
  const auto generate = [&](rapidjson::Document& target) {
    Utf8Checked handler(target);
    rapidjson::Reader reader;
    result = reader.Parse<kFlags>(stream, handler);
    refused = handler.refused();
    return !result.IsError();
  };
  rapidjson::Document document;
  document.Populate(generate);
  if (!result.IsError()) return document;
  const std::size_t offset = result.Offset();
  const std::string reason = refused ? "Invalid encoding in string: a lone surrogate escape."
                                     : rapidjson::GetParseError_En(result.Code());
  const std::string where = std::to_string(offset);
  if (offset >= body.size()) {
    return fail(with_context(context, "JSON body ends early at offset " + where + ": " + reason));
  }
  return fail(with_context(context, "invalid JSON at offset " + where + ": " + reason));
}

std::string_view describe_type(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "an unknown value";
}

std::string render_scalar(const rapidjson::Value& value) {
  if (value.IsObject() || value.IsArray()) return std::string(describe_type(value));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  std::string text(buffer.GetString(), buffer.GetSize());
  if (text.size() > kMaxRenderedLength) {
    text = std::string(common::utf8_prefix(text, kMaxRenderedLength)) + "...";
  }
  return text;
}

Error type_mismatch(std::string_view context, std::string_view expected,
                    const rapidjson::Value& value) {
  return Error{with_context(
      context, "expected " + std::string(expected) + ", got " + std::string(describe_type(value)))};
}

std::optional<std::uint64_t> parse_count_text(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::uint64_t count = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return count;
}

Result<std::uint64_t> read_count(const rapidjson::Value& value, std::string_view context) {
  constexpr std::string_view kNotACount = " is not a non-negative integer";
  const std::string out_of_range =
      " is out of range (max " + std::to_string(std::numeric_limits<std::uint64_t>::max()) + ")";
  if (value.IsString()) {
    const std::string_view text(value.GetString(), value.GetStringLength());
    if (auto count = parse_count_text(text)) return *count;
    const bool all_digits = !text.empty() && text.find_first_not_of("0123456789") == text.npos;
    return fail(with_context(context, "value " + render_scalar(value) +
                                          std::string(all_digits ? out_of_range : kNotACount)));
  }
  if (value.IsUint64()) return value.GetUint64();
  if (value.IsNumber()) {
    // RapidJSON reads integers beyond uint64 as doubles; say so rather than "not an integer".
    const bool too_big = value.IsDouble() && value.GetDouble() >= kCountLimit &&
                         std::floor(value.GetDouble()) == value.GetDouble();
    return fail(with_context(context, "value " + render_scalar(value) +
                                          std::string(too_big ? out_of_range : kNotACount)));
  }
  return tl::unexpected(type_mismatch(context, "a count", value));
}

Result<wire::PostId> read_post_id(const rapidjson::Value& value, std::string_view context) {
  std::optional<wire::PostId> id;
  if (value.IsString()) {
    id = wire::parse_post_id(std::string_view(value.GetString(), value.GetStringLength()));
  } else if (value.IsUint64()) {
    id = wire::parse_post_id(std::to_string(value.GetUint64()));
  } else if (!value.IsNumber()) {
    return tl::unexpected(type_mismatch(context, "a Post ID", value));
  }
  if (!id) return fail(with_context(context, render_scalar(value) + " is not a Post ID"));
  return *id;
}

Result<std::vector<wire::PostId>> read_post_id_array(const rapidjson::Value& value,
                                                     std::string_view context) {
  if (!value.IsArray()) return tl::unexpected(type_mismatch(context, "an array", value));
  std::vector<wire::PostId> ids;
  ids.reserve(value.Size());
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    auto id = read_post_id(value[i], index_context(context, i));
    if (!id) return tl::unexpected(id.error());
    ids.push_back(*id);
  }
  return ids;
}

Result<std::vector<std::string>> read_messages(const rapidjson::Value& value,
                                               std::string_view context) {
  if (!value.IsArray()) return tl::unexpected(type_mismatch(context, "an array", value));
  std::vector<std::string> messages;
  messages.reserve(value.Size());
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    const rapidjson::Value& item = value[i];
    if (item.IsString()) {
      messages.emplace_back(item.GetString(), item.GetStringLength());
      continue;
    }
    if (item.IsObject()) {
      const auto message = item.FindMember("message");
      if (message != item.MemberEnd() && message->value.IsString()) {
        messages.emplace_back(message->value.GetString(), message->value.GetStringLength());
        continue;
      }
    }
    return tl::unexpected(type_mismatch(index_context(context, i),
                                        "a string or an object with a string \"message\"", item));
  }
  return messages;
}

}  // namespace xee::collectors::client::json
