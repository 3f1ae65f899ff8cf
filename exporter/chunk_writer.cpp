#include "exporter/chunk_writer.h"

#include <cmath>

namespace xee::exporter {

char* write_number(char* out, double value) {
  const auto copy = [out](std::string_view text) {
    std::memcpy(out, text.data(), text.size());
    return out + text.size();
  };
  if (std::isnan(value)) return copy("NaN");
  if (std::isinf(value)) return copy(value > 0 ? "+Inf" : "-Inf");
  char* const end = out + kMaxNumberChars;
  // Integral values without exponent: to_chars' shortest form would write 1e+06 for a million.
  if (value == std::trunc(value) && std::fabs(value) < 1e21) {
    if (std::fabs(value) < 9e18)
      return std::to_chars(out, end, static_cast<std::int64_t>(value)).ptr;
    return std::to_chars(out, end, value, std::chars_format::fixed).ptr;
  }
  return std::to_chars(out, end, value).ptr;
}

}  // namespace xee::exporter
