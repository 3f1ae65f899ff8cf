#pragma once
// Structured logging in the Prometheus ecosystem's style: logfmt (default) or JSON lines on
// stderr, with a level filter. Values are quoted and escaped here, so callers pass plain text.
// Never pass a secret as a field: nothing downstream can redact it.

#include <initializer_list>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "common/clock.h"

namespace xee::common {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };
enum class LogFormat { logfmt, json };

std::optional<LogLevel> parse_log_level(std::string_view text);
std::optional<LogFormat> parse_log_format(std::string_view text);

using LogField = std::pair<std::string_view, std::string>;

class Logger {
 public:
  // Writes to `out` (std::cerr in the binaries, a stringstream in tests).
  Logger(std::ostream& out, LogLevel level, LogFormat format, const Clock& clock);

  void debug(std::string_view msg, std::initializer_list<LogField> fields = {});
  void info(std::string_view msg, std::initializer_list<LogField> fields = {});
  void warn(std::string_view msg, std::initializer_list<LogField> fields = {});
  void error(std::string_view msg, std::initializer_list<LogField> fields = {});
  void log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields);

  bool enabled(LogLevel level) const { return level >= level_; }
  void set_level(LogLevel level) { level_ = level; }

 private:
  std::mutex mutex_;
  std::ostream& out_;
  LogLevel level_;
  LogFormat format_;
  const Clock& clock_;
};

// A logger that drops everything, for code under test that needs one.
Logger& null_logger();

}  // namespace xee::common
