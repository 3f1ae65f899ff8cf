#include "common/gzip.h"

#include <gtest/gtest.h>

namespace xee::common {
namespace {

TEST(Gzip, RoundTrips) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "x_engagement_post_impressions{post_id=\"" + std::to_string(i) + "\"} 1\n";
  const std::string compressed = gzip_compress(text);
  EXPECT_LT(compressed.size(), text.size() / 4);
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b);
  EXPECT_EQ(gzip_decompress(compressed).value(), text);
}

TEST(Gzip, TruncatedAndCorruptInputAreErrors) {
  const std::string compressed = gzip_compress("hello hello hello hello");
  EXPECT_EQ(gzip_decompress(compressed.substr(0, compressed.size() / 2)).error().message,
            "gzip: truncated data");
  EXPECT_FALSE(gzip_decompress("not gzip at all"));
}

TEST(Gzip, AcceptEncodingNegotiation) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, gzip;q=1.0, *;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("deflate, br"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
}

}  // namespace
}  // namespace xee::common
