#include "exporter/deflate_sink.h"

#include <gtest/gtest.h>
#include <zlib.h>

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

std::string exposition_like(std::size_t lines, std::size_t first = 0) {
  std::string text;
  for (std::size_t i = first; i < first + lines; ++i) {
    text += "x_engagement_post_lifetime_interactions{post_id=\"" +
            std::to_string(1861000000000000000 + i) + "\",engagement_type=\"favorites\"} " +
            std::to_string(i * 7919 % 100003) + "\n";
  }
  return text;
}

std::uint32_t crc_of(std::string_view text) {
  return static_cast<std::uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(text.data()), text.size()));
}

// Compresses `text` into `out` in kChunkBytes pieces, as the exposition's writer hands it over.
void deflate_into(DeflateSink& deflate, std::string_view text) {
  for (std::size_t offset = 0; offset < text.size(); offset += kChunkBytes) {
    ASSERT_TRUE(deflate.write(text.substr(offset, kChunkBytes)));
  }
}

TEST(DeflateSink, OneStreamInAGzipMemberDecodesToTheInput) {
  const std::string text = exposition_like(200000);
  ChunkRecorder wire;
  DeflateSink deflate(wire, kScrapeGzipLevel);
  deflate_into(deflate, text);
  ASSERT_TRUE(deflate.finish(/*last=*/true));
  EXPECT_GT(wire.chunks, 1);
  EXPECT_LE(wire.largest, kChunkBytes);
  EXPECT_LT(wire.text.size(), text.size() / 4);
  EXPECT_EQ(deflate.length(), text.size());
  EXPECT_EQ(deflate.crc(), crc_of(text));
  const std::string member =
      std::string(gzip_header()) + wire.text + gzip_trailer(deflate.crc(), deflate.length());
  EXPECT_EQ(common::gzip_decompress(member).value(), text);
}

TEST(DeflateSink, TwoStreamsJoinIntoOneMember) {
  const std::string first = exposition_like(50000);
  const std::string second = exposition_like(3000, 50000);
  ChunkRecorder wire;
  DeflateSink head(wire, kScrapeGzipLevel);
  deflate_into(head, first);
  ASSERT_TRUE(head.finish(/*last=*/false));
  DeflateSink tail(wire, kScrapeGzipLevel);
  deflate_into(tail, second);
  ASSERT_TRUE(tail.finish(/*last=*/true));

  const std::uint32_t crc = crc32_of_joined(head.crc(), tail.crc(), tail.length());
  EXPECT_EQ(crc, crc_of(first + second));
  const std::string member =
      std::string(gzip_header()) + wire.text + gzip_trailer(crc, head.length() + tail.length());
  EXPECT_EQ(common::gzip_decompress(member).value(), first + second);
}

TEST(DeflateSink, EmptyStreamsMakeAnEmptyMember) {
  ChunkRecorder wire;
  DeflateSink head(wire, kScrapeGzipLevel);
  ASSERT_TRUE(head.finish(/*last=*/false));
  DeflateSink tail(wire, kScrapeGzipLevel);
  ASSERT_TRUE(tail.finish(/*last=*/true));
  const std::string member = std::string(gzip_header()) + wire.text + gzip_trailer(0, 0);
  EXPECT_EQ(common::gzip_decompress(member).value(), "");
}

TEST(DeflateSink, WithoutTheFinalBlockTheMemberIsTruncated) {
  ChunkRecorder wire;
  DeflateSink deflate(wire, kScrapeGzipLevel);
  deflate_into(deflate, exposition_like(10000));
  ASSERT_TRUE(deflate.finish(/*last=*/false));
  const std::string member = std::string(gzip_header()) + wire.text;
  EXPECT_EQ(common::gzip_decompress(member).error().message, "gzip: truncated data");
}

TEST(DeflateSink, StopsWhenDownstreamRefuses) {
  ChunkRecorder wire(1);
  DeflateSink deflate(wire, kScrapeGzipLevel);
  EXPECT_FALSE(deflate.write(exposition_like(300000)));
  EXPECT_EQ(wire.chunks, 2);
  EXPECT_FALSE(deflate.write("more"));
  EXPECT_FALSE(deflate.finish(/*last=*/true));
  EXPECT_EQ(wire.chunks, 2);
}

TEST(GzipFraming, HeaderAndTrailerBytes) {
  EXPECT_EQ(gzip_header(), std::string_view("\x1f\x8b\x08\0\0\0\0\0\0\xff", 10));
  EXPECT_EQ(gzip_trailer(0x04030201, 0x1'0807'0605),
            std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
}

}  // namespace
}  // namespace xee::exporter
