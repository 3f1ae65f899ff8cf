#include "common/gzip.h"

#include <zlib.h>

#include <array>
#include <cctype>

namespace xee::common {

std::string gzip_compress(std::string_view data, int level) {
  z_stream stream{};
  // windowBits 15 + 16 selects the gzip wrapper.
  deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out;
  out.resize(deflateBound(&stream, static_cast<uLong>(data.size())));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

Result<std::string> gzip_decompress(std::string_view data) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return fail("gzip: cannot initialise zlib");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  std::array<char, 64 * 1024> buffer{};
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream.avail_out = static_cast<uInt>(buffer.size());
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      std::string reason = stream.msg ? stream.msg : "truncated or corrupt data";
      inflateEnd(&stream);
      if (status == Z_BUF_ERROR) reason = "truncated data";
      return fail("gzip: " + reason);
    }
    out.append(buffer.data(), buffer.size() - stream.avail_out);
  }
  inflateEnd(&stream);
  return out;
}

bool accepts_gzip(std::string_view header) {
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1);
    std::string_view coding = item.substr(0, item.find(';'));
    while (!coding.empty() && std::isspace(static_cast<unsigned char>(coding.back()))) coding.remove_suffix(1);
    if (coding == "gzip" || coding == "*") {
      const size_t q = item.find("q=");
      if (q == std::string_view::npos) return true;
      const std::string_view qvalue = item.substr(q + 2);
      if (!(qvalue.starts_with("0") && qvalue.find_first_of("123456789") == std::string_view::npos)) {
        return true;
      }
    }
    pos = end + 1;
  }
  return false;
}

}  // namespace xee::common
