#pragma once
// gzip for /metrics when the scraper sends Accept-Encoding: gzip, built from pieces: a gzip member
// (RFC 1952) is a header, one deflate stream (RFC 1951) and a trailer holding the CRC-32 and length
// of the text. A deflate stream may be joined from separately compressed runs of blocks, which lets
// the exposition keep the compressed Post families of a snapshot and compress only what changed.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "exporter/chunk_writer.h"

struct z_stream_s;

namespace xee::exporter {

// zlib level for scrapes, measured on a 1M-series exposition (docs/benchmarks.md): level 1 is the
// fastest and its output only ~2.5% larger than level 3's; higher levels cost far more time.
inline constexpr int kScrapeGzipLevel = 1;

// Raw deflate of everything written, handed on in chunks of at most kChunkBytes, with the CRC-32
// and length the gzip trailer needs.
class DeflateSink final : public ExpositionSink {
 public:
  DeflateSink(ExpositionSink& downstream, int level);
  ~DeflateSink() override;
  DeflateSink(const DeflateSink&) = delete;
  DeflateSink& operator=(const DeflateSink&) = delete;

  // False when zlib could not start (out of memory) or `downstream` refused a chunk.
  bool write(std::string_view bytes) override;
  // Flushes what zlib holds. With `last` the stream ends with a final block; without, it stops on
  // a byte boundary with no final block, so the blocks of another stream can follow. Returns ok.
  bool finish(bool last);

  std::uint32_t crc() const { return crc_; }
  std::uint64_t length() const { return length_; }

 private:
  bool deflate_and_send(std::string_view bytes, int flush_mode);

  ExpositionSink& downstream_;
  std::unique_ptr<z_stream_s> stream_;
  std::unique_ptr<char[]> output_;
  bool ok_ = false;
  std::uint32_t crc_ = 0;
  std::uint64_t length_ = 0;
};

// The 10-byte member header: deflate, no name, no timestamp.
std::string_view gzip_header();
// The 8-byte trailer for a text with this CRC-32 and length.
std::string gzip_trailer(std::uint32_t crc, std::uint64_t length);
// The CRC-32 of two texts one after the other, from their own CRCs and the second's length.
std::uint32_t crc32_of_joined(std::uint32_t first, std::uint32_t second,
                              std::uint64_t second_length);

}  // namespace xee::exporter
