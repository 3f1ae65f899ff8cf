#pragma once
// gzip (RFC 1952) with zlib: X's Engagement API requires it both ways, and /metrics offers it.

#include <string>
#include <string_view>

#include "common/result.h"

namespace xee::common {

std::string gzip_compress(std::string_view data, int level = 6);
Result<std::string> gzip_decompress(std::string_view data);

// True when an Accept-Encoding header value allows gzip ("gzip", "gzip, deflate", "*", but not
// "gzip;q=0").
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace xee::common
