#include "common/log.h"

#include <array>
#include <cstdio>
#include <sstream>

#include "common/time_format.h"

namespace xee::common {
namespace {

constexpr std::array<std::string_view, 4> kLevelNames{"debug", "info", "warn", "error"};

bool needs_logfmt_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) >= 0x7f) {
      return true;
    }
  }
  return false;
}

void append_escaped(std::string& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::array<char, 8> hex{};
          std::snprintf(hex.data(), hex.size(), "\\u%04x", c);
          out += hex.data();
        } else {
          out += c;
        }
    }
  }
}

void append_logfmt(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty()) out += ' ';
  out += key;
  out += '=';
  if (needs_logfmt_quotes(value)) {
    out += '"';
    append_escaped(out, value);
    out += '"';
  } else {
    out += value;
  }
}

void append_json(std::string& out, std::string_view key, std::string_view value) {
  out += out.size() > 1 ? ",\"" : "\"";
  append_escaped(out, key);
  out += "\":\"";
  append_escaped(out, value);
  out += '"';
}

class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
};

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (size_t i = 0; i < kLevelNames.size(); ++i) {
    if (text == kLevelNames[i]) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

std::optional<LogFormat> parse_log_format(std::string_view text) {
  if (text == "logfmt") return LogFormat::logfmt;
  if (text == "json") return LogFormat::json;
  return std::nullopt;
}

Logger::Logger(std::ostream& out, LogLevel level, LogFormat format, const Clock& clock)
    : out_(out), level_(level), format_(format), clock_(clock) {}

void Logger::debug(std::string_view msg, std::initializer_list<LogField> fields) {
  log(LogLevel::debug, msg, fields);
}
void Logger::info(std::string_view msg, std::initializer_list<LogField> fields) {
  log(LogLevel::info, msg, fields);
}
void Logger::warn(std::string_view msg, std::initializer_list<LogField> fields) {
  log(LogLevel::warn, msg, fields);
}
void Logger::error(std::string_view msg, std::initializer_list<LogField> fields) {
  log(LogLevel::error, msg, fields);
}

void Logger::log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
  if (!enabled(level)) return;
  const std::string ts = format_iso8601_millis(clock_.now());
  const std::string_view level_name = kLevelNames[static_cast<size_t>(level)];
  std::string line;
  if (format_ == LogFormat::json) {
    line = "{";
    append_json(line, "ts", ts);
    append_json(line, "level", level_name);
    append_json(line, "msg", msg);
    for (const auto& [key, value] : fields) append_json(line, key, value);
    line += "}\n";
  } else {
    append_logfmt(line, "ts", ts);
    append_logfmt(line, "level", level_name);
    append_logfmt(line, "msg", msg);
    for (const auto& [key, value] : fields) append_logfmt(line, key, value);
    line += '\n';
  }
  std::lock_guard lock(mutex_);
  out_ << line << std::flush;
}

Logger& null_logger() {
  static NullBuffer buffer;
  static std::ostream sink(&buffer);
  static SystemClock clock;
  static Logger logger(sink, LogLevel::error, LogFormat::logfmt, clock);
  logger.set_level(static_cast<LogLevel>(99));
  return logger;
}

}  // namespace xee::common
