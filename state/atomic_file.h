#pragma once
// Replacing a file so that a reader, or the next start after a crash or power loss, finds either
// the old content or the new one, never a torn mix.

#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace xee::state {

// Writes `content` to "<path>.tmp", flushes it to disk, renames it over `path` and flushes the
// folder. `before_rename` runs once the temporary file is durable; returning false abandons the
// write at that point, exactly where a crash would leave it (tests use it to prove the old file
// survives). Errors name the file and the failing step.
Result<void> write_file_atomically(const std::string& path, std::string_view content,
                                   const std::function<bool()>& before_rename = {});

// The whole content of `path`; an error names the file. `missing` is set when it does not exist.
Result<std::string> read_whole_file(const std::string& path, bool& missing);

}  // namespace xee::state
