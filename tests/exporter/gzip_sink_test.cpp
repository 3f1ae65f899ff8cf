#include "exporter/gzip_sink.h"

#include <gtest/gtest.h>

#include <string>

#include "common/gzip.h"
#include "exporter/exposition.h"

namespace xee::exporter {
namespace {

class ChunkRecorder final : public ExpositionSink {
 public:
  explicit ChunkRecorder(int accepted = 1'000'000) : accepted_(accepted) {}
  bool write(std::string_view bytes) override {
    ++chunks;
    largest = std::max(largest, bytes.size());
    text.append(bytes);
    return accepted_-- > 0;
  }
  std::string text;
  int chunks = 0;
  std::size_t largest = 0;

 private:
  int accepted_;
};

std::string exposition_like(std::size_t lines) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i) {
    text += "x_engagement_post_lifetime_count{post_id=\"" +
            std::to_string(1861000000000000000 + i) + "\",engagement_type=\"favorites\"} " +
            std::to_string(i * 7919 % 100003) + "\n";
  }
  return text;
}

TEST(GzipSink, StreamsAGzipFileThatDecodesToTheInput) {
  const std::string text = exposition_like(200000);
  ChunkRecorder wire;
  GzipSink gzip(wire, kScrapeGzipLevel);
  for (std::size_t offset = 0; offset < text.size(); offset += kChunkBytes) {
    ASSERT_TRUE(gzip.write(std::string_view(text).substr(offset, kChunkBytes)));
  }
  ASSERT_TRUE(gzip.finish());
  EXPECT_GT(wire.chunks, 1);
  EXPECT_LE(wire.largest, kChunkBytes);
  EXPECT_LT(wire.text.size(), text.size() / 4);
  EXPECT_EQ(common::gzip_decompress(wire.text).value(), text);
}

TEST(GzipSink, EmptyInputIsAValidEmptyGzipFile) {
  ChunkRecorder wire;
  GzipSink gzip(wire, kScrapeGzipLevel);
  ASSERT_TRUE(gzip.finish());
  EXPECT_EQ(common::gzip_decompress(wire.text).value(), "");
}

TEST(GzipSink, WithoutFinishTheStreamIsTruncated) {
  ChunkRecorder wire;
  {
    GzipSink gzip(wire, kScrapeGzipLevel);
    ASSERT_TRUE(gzip.write(exposition_like(100000)));
  }
  EXPECT_EQ(common::gzip_decompress(wire.text).error().message, "gzip: truncated data");
}

TEST(GzipSink, StopsWhenDownstreamRefuses) {
  ChunkRecorder wire(1);
  GzipSink gzip(wire, kScrapeGzipLevel);
  EXPECT_FALSE(gzip.write(exposition_like(300000)));
  EXPECT_EQ(wire.chunks, 2);
  EXPECT_FALSE(gzip.write("more"));
  EXPECT_FALSE(gzip.finish());
  EXPECT_EQ(wire.chunks, 2);
}

}  // namespace
}  // namespace xee::exporter
