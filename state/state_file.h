#pragma once
// The exporter's memory across restarts: one JSON file
//   {"version": 1, "sections": {"hourly": {…}, "<another part>": {…}}}
// in which each part owns one named section and its shape. The hourly collector keeps its
// tallies in "hourly"; later parts (discovered Posts, search cursors, TTLs, accounts queried per
// month) add sections of their own through the same calls, without touching the others or the
// file's version. The file is written atomically; a missing one starts fresh, an unreadable one is
// moved aside and rebuilt, and neither ever stops the exporter.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"

namespace xee::state {

// The layout written; a file of another version is moved aside like a corrupt one.
inline constexpr int kStateFileVersion = 1;

enum class LoadStatus {
  loaded,   // read and valid
  missing,  // no file yet: a first start
  rebuilt,  // unreadable, corrupt or of another version: moved aside, starting fresh
};

struct LoadReport {
  LoadStatus status = LoadStatus::missing;
  // rebuilt: "<file>:<line>:<column>: <what is wrong>" (or "<file>: …" without a position).
  std::string problem;
  // rebuilt: where the bad file went ("<file>.corrupt-20261120T000000Z"); empty if it could not
  // be moved (it is then overwritten at the next save).
  std::string moved_to;
};

// The sections of a state file by name, each as its JSON text.
using Sections = std::map<std::string, std::string, std::less<>>;

// What StateFile::load makes of the text it read: the sections, or why the text is not a state
// file, as LoadReport::problem says. `path` only names the file in the message.
Result<Sections> parse_state_file(std::string_view path, std::string_view text);

class StateFile {
 public:
  // `clock` names moved-aside files.
  StateFile(std::string path, const common::Clock& clock);

  // Reads the file and replaces the sections held. Never fails: see LoadReport.
  LoadReport load();

  // The JSON text of a section, as its part last stored it; nullopt when absent.
  std::optional<std::string> section(std::string_view name) const;
  // `json` must be one valid JSON value (the part's own writer produced it).
  void set_section(std::string_view name, std::string json);

  // Writes every section atomically (state/atomic_file.h). Thread-safe with set_section.
  Result<void> save() const;

  const std::string& path() const { return path_; }

 private:
  const std::string path_;
  const common::Clock& clock_;
  mutable std::mutex mutex_;
  mutable std::mutex save_mutex_;  // one save at a time: both would rename the same temporary
  Sections sections_;
};

std::string_view to_string(LoadStatus status);

}  // namespace xee::state
