#pragma once
// gzip for /metrics when the scraper sends Accept-Encoding: gzip: a streaming deflate between the
// exposition and the connection, so compressed output leaves in chunks as it is produced.

#include <memory>
#include <string_view>

#include "exporter/chunk_writer.h"

struct z_stream_s;

namespace xee::exporter {

// zlib level for scrapes. Level 1 was measured against 2 and 3 on a 1M-series exposition (see
// docs/benchmarks.md): the text is so repetitive that higher levels cost time for a few percent.
inline constexpr int kScrapeGzipLevel = 1;

class GzipSink final : public ExpositionSink {
 public:
  GzipSink(ExpositionSink& downstream, int level);
  ~GzipSink() override;
  GzipSink(const GzipSink&) = delete;
  GzipSink& operator=(const GzipSink&) = delete;

  // False when zlib could not start (out of memory) or `downstream` refused a chunk.
  bool write(std::string_view bytes) override;
  // Flushes the rest and the gzip trailer; without it the stream is truncated. Returns ok.
  bool finish();

 private:
  bool deflate_and_send(std::string_view bytes, int flush_mode);

  ExpositionSink& downstream_;
  std::unique_ptr<z_stream_s> stream_;
  std::unique_ptr<char[]> output_;
  bool ok_ = false;
};

}  // namespace xee::exporter
