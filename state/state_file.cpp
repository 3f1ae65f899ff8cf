#include "state/state_file.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "common/time_format.h"
#include "state/atomic_file.h"

namespace xee::state {
namespace {

// "line:column" of a byte offset, 1-based, as editors count them.
std::string line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(
                                   text.begin(), text.begin() + static_cast<long>(offset), '\n'));
  const std::size_t column =
      line_start == std::string::npos || offset == 0 ? offset + 1 : offset - line_start;
  return std::to_string(line) + ":" + std::to_string(column);
}

// Deeper than any part's section (a few levels) by far; deeper still would exhaust the stack in
// RapidJSON's recursive writer when the sections are copied out and saved.
constexpr std::size_t kMaxNestingDepth = 100;

// The deepest nesting of arrays and objects in `root` (a scalar is 0), counted without recursion.
std::size_t nesting_depth(const rapidjson::Value& root) {
  std::vector<std::pair<const rapidjson::Value*, std::size_t>> pending{{&root, 0}};
  std::size_t deepest = 0;
  while (!pending.empty()) {
    const auto [value, depth] = pending.back();
    pending.pop_back();
    if (value->IsArray()) {
      deepest = std::max(deepest, depth + 1);
      for (const auto& item : value->GetArray()) pending.emplace_back(&item, depth + 1);
    } else if (value->IsObject()) {
      deepest = std::max(deepest, depth + 1);
      for (const auto& member : value->GetObject()) pending.emplace_back(&member.value, depth + 1);
    }
  }
  return deepest;
}

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

// "20261120T000000Z", for a file name.
std::string compact_timestamp(common::TimePoint now) {
  std::string iso = common::format_iso8601(
      std::chrono::floor<std::chrono::seconds>(now));  // 2026-11-20T00:00:00Z
  std::erase(iso, '-');
  std::erase(iso, ':');
  return iso;
}

}  // namespace

Result<Sections> parse_state_file(std::string_view path, std::string_view text) {
  const std::string file(path);
  // Iterative: no nesting can exhaust the stack while parsing. Full precision: a number a part
  // wrote reads back as the same double, so sections survive any number of loads and saves.
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;
  rapidjson::Document document;
  document.Parse<kFlags>(text.data(), text.size());
  if (document.HasParseError()) {
    return fail(file + ":" + line_and_column(text, document.GetErrorOffset()) +
                ": invalid JSON: " + rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsObject()) return fail(file + ": expected a JSON object at the top");
  if (nesting_depth(document) > kMaxNestingDepth) {
    return fail(file + ": arrays and objects nested deeper than " +
                std::to_string(kMaxNestingDepth) + " levels");
  }
  const rapidjson::Value& root = document;
  const auto version = root.FindMember("version");
  if (version == root.MemberEnd() || !version->value.IsInt()) {
    return fail(file + ": missing or non-integer \"version\"");
  }
  if (version->value.GetInt() != kStateFileVersion) {
    return fail(file + ": version " + std::to_string(version->value.GetInt()) +
                " is not the supported version " + std::to_string(kStateFileVersion));
  }
  const auto found = root.FindMember("sections");
  if (found == root.MemberEnd() || !found->value.IsObject()) {
    return fail(file + ": missing or non-object \"sections\"");
  }
  Sections sections;
  for (const auto& member : found->value.GetObject()) {
    sections.emplace(std::string(member.name.GetString(), member.name.GetStringLength()),
                     to_json(member.value));
  }
  return sections;
}

std::string_view to_string(LoadStatus status) {
  switch (status) {
    case LoadStatus::loaded:
      return "loaded";
    case LoadStatus::missing:
      return "missing";
    case LoadStatus::rebuilt:
      return "rebuilt";
  }
  return "rebuilt";
}

StateFile::StateFile(std::string path, const common::Clock& clock)
    : path_(std::move(path)), clock_(clock) {}

LoadReport StateFile::load() {
  LoadReport report;
  bool missing = false;
  auto text = read_whole_file(path_, missing);
  Sections sections;
  if (missing) {
    report.status = LoadStatus::missing;
  } else {
    auto parsed =
        text ? parse_state_file(path_, *text) : Result<Sections>(fail(text.error().message));
    if (!parsed) {
      report.status = LoadStatus::rebuilt;
      report.problem = std::move(parsed.error().message);
      const std::string aside = path_ + ".corrupt-" + compact_timestamp(clock_.now());
      // Kept for a human to inspect; the next save writes a fresh file in its place.
      if (std::rename(path_.c_str(), aside.c_str()) == 0) report.moved_to = aside;
    } else {
      report.status = LoadStatus::loaded;
      sections = std::move(*parsed);
    }
  }
  std::lock_guard lock(mutex_);
  sections_ = std::move(sections);
  return report;
}

std::optional<std::string> StateFile::section(std::string_view name) const {
  std::lock_guard lock(mutex_);
  const auto found = sections_.find(name);
  if (found == sections_.end()) return std::nullopt;
  return found->second;
}

void StateFile::set_section(std::string_view name, std::string json) {
  std::lock_guard lock(mutex_);
  sections_.insert_or_assign(std::string(name), std::move(json));
}

Result<void> StateFile::save() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("version");
  writer.Int(kStateFileVersion);
  writer.Key("sections");
  writer.StartObject();
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, json] : sections_) {
      writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
      writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    }
  }
  writer.EndObject();
  writer.EndObject();
  std::lock_guard save_lock(save_mutex_);
  return write_file_atomically(path_, std::string_view(buffer.GetString(), buffer.GetSize()));
}

}  // namespace xee::state
