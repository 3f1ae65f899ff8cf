#include "state/state_file.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <optional>
#include <utility>

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

// Deeper than any part's section (a few levels) by far.
constexpr std::size_t kMaxNestingDepth = 100;

// Reads a state file in one pass of RapidJSON's iterative SAX parser, without building a
// document, and keeps each section as the exact text it was written as. So no nesting can exhaust
// the stack (the recursive parser and writer could), and no number is printed back differently
// (RapidJSON 1.1 parses doubles inexactly, and with kParseFullPrecisionFlag misreads "0e70").
class SectionScanner : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, SectionScanner> {
 public:
  using Stream = rapidjson::MemoryStream;

  SectionScanner(std::string_view text, const Stream& stream) : text_(text), stream_(stream) {}

  bool Default() { return scalar(std::nullopt); }
  bool Int(int value) { return scalar(value); }
  bool Uint(unsigned value) {
    return value <= static_cast<unsigned>(INT_MAX) ? scalar(static_cast<int>(value)) : Default();
  }
  bool Key(const char* name, rapidjson::SizeType length, bool) {
    if (depth_ == 1) top_key_.assign(name, length);
    if (depth_ == 2 && in_sections_) {
      section_name_.assign(name, length);
      section_start_ = value_start(stream_.Tell());
    }
    return true;
  }
  bool StartObject() { return open(true); }
  bool StartArray() { return open(false); }
  // RapidJSON reports the end before taking the closing bracket, which the section includes.
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  bool too_deep() const { return too_deep_; }
  bool root_is_object() const { return root_is_object_; }
  // Set when "version" was given; empty inside when it is not an int.
  const std::optional<std::optional<int>>& version() const { return version_; }
  // Set when "sections" was given: whether it is an object.
  std::optional<bool> sections_are_object() const { return sections_are_object_; }
  Sections& sections() { return sections_; }

 private:
  // A top-level member's value, first occurrence only (as a document's FindMember).
  void top_level_value(std::optional<int> int_value, bool is_object) {
    if (top_key_ == "version" && !version_) version_ = int_value;
    if (top_key_ == "sections" && !sections_are_object_) {
      sections_are_object_ = is_object;
      in_sections_ = is_object;
    }
  }

  bool scalar(std::optional<int> int_value) {
    if (depth_ == 1) top_level_value(int_value, false);
    if (depth_ == 2 && in_sections_) add_section(stream_.Tell());
    return true;
  }

  bool open(bool is_object) {
    if (depth_ == 0) root_is_object_ = is_object;
    if (depth_ == 1) top_level_value(std::nullopt, is_object);
    too_deep_ = ++depth_ > kMaxNestingDepth;
    return !too_deep_;
  }

  bool close() {
    --depth_;
    if (depth_ == 2 && in_sections_) add_section(stream_.Tell() + 1);
    if (depth_ == 1) in_sections_ = false;
    return true;
  }

  void add_section(std::size_t end) {
    sections_.emplace(section_name_,
                      std::string(text_.substr(section_start_, end - section_start_)));
  }

  // Where the value after a key ends at `offset` starts: past blanks, the ':' and blanks.
  std::size_t value_start(std::size_t offset) const {
    const auto blank = [&] {
      return offset < text_.size() &&
             std::string_view(" \t\n\r").find(text_[offset]) != std::string_view::npos;
    };
    while (blank()) ++offset;
    if (offset < text_.size() && text_[offset] == ':') ++offset;
    while (blank()) ++offset;
    return offset;
  }

  std::string_view text_;
  const Stream& stream_;
  std::size_t depth_ = 0;
  bool too_deep_ = false;
  bool root_is_object_ = false;
  std::string top_key_;
  std::optional<std::optional<int>> version_;
  std::optional<bool> sections_are_object_;
  bool in_sections_ = false;
  std::string section_name_;
  std::size_t section_start_ = 0;
  Sections sections_;
};

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
  SectionScanner::Stream stream(text.data(), text.size());
  SectionScanner scanner(text, stream);
  rapidjson::Reader reader;
  const rapidjson::ParseResult parsed =
      reader.Parse<rapidjson::kParseIterativeFlag>(stream, scanner);
  if (scanner.too_deep()) {
    return fail(file + ":" + line_and_column(text, parsed.Offset()) +
                ": arrays and objects nested deeper than " + std::to_string(kMaxNestingDepth) +
                " levels");
  }
  if (parsed.IsError()) {
    return fail(file + ":" + line_and_column(text, parsed.Offset()) +
                ": invalid JSON: " + rapidjson::GetParseError_En(parsed.Code()));
  }
  if (!scanner.root_is_object()) return fail(file + ": expected a JSON object at the top");
  if (!scanner.version() || !*scanner.version()) {
    return fail(file + ": missing or non-integer \"version\"");
  }
  if (const int version = **scanner.version(); version != kStateFileVersion) {
    return fail(file + ": version " + std::to_string(version) + " is not the supported version " +
                std::to_string(kStateFileVersion));
  }
  if (!scanner.sections_are_object().value_or(false)) {
    return fail(file + ": missing or non-object \"sections\"");
  }
  return std::move(scanner.sections());
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
