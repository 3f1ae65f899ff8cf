#pragma once
// The exposition's output buffer: text and numbers are appended to one kChunkBytes buffer that is
// handed to the sink each time it fills, so memory stays flat however many series a scrape has.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace xee::exporter {

inline constexpr std::size_t kChunkBytes = 64 * 1024;

// Receives the exposition piece by piece.
class ExpositionSink {
 public:
  virtual ~ExpositionSink() = default;
  // Returns false when the receiver is gone (client disconnected): the writer stops early.
  virtual bool write(std::string_view bytes) = 0;
};

// Longest number written: "-2.2250738585072014e-308" (24 chars), or an integral double below 1e21
// in fixed notation (22).
inline constexpr std::size_t kMaxNumberChars = 32;

// Writes `value` as Prometheus spells it at `out` (room for kMaxNumberChars) and returns the end.
char* write_number(char* out, double value);

// Appends `text` to `out` (anything with append(std::string_view)) escaped for the text format:
// label values escape backslash, double quote and newline; HELP text only the first and last.
template <typename Output>
void append_escaped(Output& out, std::string_view text, bool escape_quotes) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view replacement;
    switch (text[i]) {
      case '\\':
        replacement = "\\\\";
        break;
      case '\n':
        replacement = "\\n";
        break;
      case '"':
        if (escape_quotes) replacement = "\\\"";
        break;
      default:
        break;
    }
    if (replacement.empty()) continue;
    out.append(text.substr(start, i - start));
    out.append(replacement);
    start = i + 1;
  }
  out.append(text.substr(start));
}

class ChunkWriter {
 public:
  explicit ChunkWriter(ExpositionSink& sink)
      : sink_(sink), buffer_(std::make_unique_for_overwrite<char[]>(kChunkBytes)) {}
  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;

  // False once the sink refused a chunk; later output is dropped.
  bool ok() const { return ok_; }

  void append(std::string_view text) {
    while (text.size() > kChunkBytes - used_) {
      const std::size_t room = kChunkBytes - used_;
      std::memcpy(cursor(), text.data(), room);
      used_ = kChunkBytes;
      text.remove_prefix(room);
      flush();
    }
    if (!text.empty()) std::memcpy(cursor(), text.data(), text.size());
    used_ += text.size();
  }

  template <typename Integer>
  void append_integer(Integer value) {
    reserve(kMaxNumberChars);
    advance_to(std::to_chars(cursor(), end(), value).ptr);
  }
  void append_number(std::uint64_t value) { append_integer(value); }
  void append_number(std::int64_t value) { append_integer(value); }
  void append_number(double value) {
    reserve(kMaxNumberChars);
    advance_to(write_number(cursor(), value));
  }

  // Hands over what is buffered; returns ok().
  bool finish() {
    flush();
    return ok_;
  }

 private:
  char* cursor() { return buffer_.get() + used_; }
  char* end() { return buffer_.get() + kChunkBytes; }
  void advance_to(char* position) { used_ = static_cast<std::size_t>(position - buffer_.get()); }
  void reserve(std::size_t bytes) {
    if (kChunkBytes - used_ < bytes) flush();
  }
  void flush() {
    if (used_ > 0 && ok_) ok_ = sink_.write({buffer_.get(), used_});
    used_ = 0;
  }

  ExpositionSink& sink_;
  std::unique_ptr<char[]> buffer_;
  std::size_t used_ = 0;
  bool ok_ = true;
};

}  // namespace xee::exporter
