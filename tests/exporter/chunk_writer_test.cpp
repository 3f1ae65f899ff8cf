#include "exporter/chunk_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace xee::exporter {
namespace {

class RecordingSink final : public ExpositionSink {
 public:
  bool write(std::string_view bytes) override {
    chunks.emplace_back(bytes);
    return true;
  }
  std::string joined() const {
    std::string all;
    for (const auto& chunk : chunks) all += chunk;
    return all;
  }
  std::vector<std::string> chunks;
};

TEST(ChunkWriter, SplitsATextLargerThanTheBufferIntoFullChunks) {
  RecordingSink sink;
  ChunkWriter out(sink);
  std::string big(3 * kChunkBytes + 100, 'x');
  big[kChunkBytes] = 'y';
  out.append("head ");
  out.append(big);
  EXPECT_EQ(sink.chunks.size(), 3u);  // the rest waits in the buffer
  EXPECT_TRUE(out.finish());
  ASSERT_EQ(sink.chunks.size(), 4u);
  EXPECT_EQ(sink.chunks[0].size(), kChunkBytes);
  EXPECT_EQ(sink.chunks[3].size(), 105u);
  EXPECT_EQ(sink.joined(), "head " + big);
}

TEST(ChunkWriter, NumbersNeverStraddleTwoChunks) {
  RecordingSink sink;
  ChunkWriter out(sink);
  out.append(std::string(kChunkBytes - 5, 'a'));
  out.append_number(std::uint64_t{18446744073709551615u});
  out.append_number(std::int64_t{-7});
  out.append_number(0.25);
  EXPECT_TRUE(out.finish());
  ASSERT_EQ(sink.chunks.size(), 2u);
  EXPECT_EQ(sink.chunks[0], std::string(kChunkBytes - 5, 'a'));
  EXPECT_EQ(sink.chunks[1], "18446744073709551615-70.25");
}

TEST(ChunkWriter, EscapesLabelValuesAndHelpText) {
  std::string label;
  append_escaped(label, "a\\b\"c\nd", true);
  EXPECT_EQ(label, "a\\\\b\\\"c\\nd");
  std::string help;
  append_escaped(help, "a\\b\"c\nd", false);
  EXPECT_EQ(help, "a\\\\b\"c\\nd");
  std::string plain;
  append_escaped(plain, "", true);
  EXPECT_EQ(plain, "");
}

class RefuseAfterFirst final : public ExpositionSink {
 public:
  bool write(std::string_view) override { return ++calls == 1; }
  int calls = 0;
};

TEST(ChunkWriter, DropsOutputOnceTheSinkRefuses) {
  RefuseAfterFirst sink;
  ChunkWriter out(sink);
  out.append(std::string(4 * kChunkBytes, 'x'));
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(sink.calls, 2);  // no further chunk is offered after the refusal
  EXPECT_FALSE(out.finish());
  EXPECT_EQ(sink.calls, 2);
}

}  // namespace
}  // namespace xee::exporter
