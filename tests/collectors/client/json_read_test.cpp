#include "collectors/client/json_read.h"

#include <gtest/gtest.h>

#include <string>

namespace xee::collectors::client::json {
namespace {

// Parses `text`, which the test knows to be valid JSON, and reads its root with `reader`.
template <typename Reader>
auto read_root(std::string_view text, Reader reader) {
  auto document = parse(text, "test");
  EXPECT_TRUE(document) << document.error().message;
  return reader(*document, "test: field");
}

TEST(ParseCountText, AcceptsDigitsUpToUint64Max) {
  EXPECT_EQ(parse_count_text("0"), 0u);
  EXPECT_EQ(parse_count_text("551"), 551u);
  EXPECT_EQ(parse_count_text("007"), 7u);
  EXPECT_EQ(parse_count_text("18446744073709551615"), 18446744073709551615u);
}

TEST(ParseCountText, RejectsEverythingElse) {
  for (const std::string_view text :
       {"", "-1", "+1", " 1", "1 ", "1e3", "1.0", "12x", "0x10", "18446744073709551616"}) {
    EXPECT_EQ(parse_count_text(text), std::nullopt) << text;
  }
}

TEST(ReadCount, ReadsStringsAndNonNegativeIntegers) {
  EXPECT_EQ(read_root(R"("551")", read_count), 551u);
  EXPECT_EQ(read_root("26", read_count), 26u);
  EXPECT_EQ(read_root("18446744073709551615", read_count), 18446744073709551615u);
}

TEST(ReadCount, NamesTheContextAndTheOffendingValue) {
  EXPECT_EQ(read_root(R"("12x")", read_count).error().message,
            R"(test: field: value "12x" is not a non-negative integer)");
  EXPECT_EQ(read_root("-1", read_count).error().message,
            "test: field: value -1 is not a non-negative integer");
  EXPECT_EQ(read_root("1e3", read_count).error().message,
            "test: field: value 1000.0 is not a non-negative integer");
  EXPECT_EQ(read_root("true", read_count).error().message,
            "test: field: expected a count, got a boolean");
  EXPECT_EQ(
      read_root(R"("99999999999999999999")", read_count).error().message,
      R"(test: field: value "99999999999999999999" is out of range (max 18446744073709551615))");
}

TEST(RenderScalar, CutsLongValues) {
  const std::string long_value = "\"" + std::string(100, '7') + "x\"";
  EXPECT_EQ(read_root(long_value, read_count).error().message,
            "test: field: value \"" + std::string(63, '7') + "... is not a non-negative integer");
}

TEST(RenderScalar, NeverSplitsAUtf8Character) {
  // The cut falls inside "€" (3 bytes): the whole character goes.
  const std::string long_value = "\"" + std::string(62, '7') + "\xE2\x82\xACx\"";
  EXPECT_EQ(read_root(long_value, read_count).error().message,
            "test: field: value \"" + std::string(62, '7') + "... is not a non-negative integer");
}

TEST(ReadPostIdArray, ReadsStringAndIntegerIds) {
  EXPECT_EQ(read_root(R"(["1800000000000000011", 480000000000000001])", read_post_id_array),
            (std::vector<wire::PostId>{1800000000000000011u, 480000000000000001u}));
  EXPECT_EQ(read_root("[]", read_post_id_array), std::vector<wire::PostId>{});
}

TEST(ReadPostIdArray, NamesTheBadElement) {
  EXPECT_EQ(read_root(R"(["1", "01"])", read_post_id_array).error().message,
            R"(test: field[1]: "01" is not a Post ID)");
  EXPECT_EQ(read_root(R"([1, 9223372036854775808])", read_post_id_array).error().message,
            "test: field[1]: 9223372036854775808 is not a Post ID");
  EXPECT_EQ(read_root("[-5]", read_post_id_array).error().message,
            "test: field[0]: -5 is not a Post ID");
  EXPECT_EQ(read_root("[[1]]", read_post_id_array).error().message,
            "test: field[0]: expected a Post ID, got an array");
  EXPECT_EQ(read_root(R"({"a":1})", read_post_id_array).error().message,
            "test: field: expected an array, got an object");
}

TEST(ReadMessages, AcceptsStringsAndObjectsWithMessage) {
  EXPECT_EQ(read_root(R"(["a", {"code": 99, "message": "b"}])", read_messages),
            (std::vector<std::string>{"a", "b"}));
}

TEST(ReadMessages, RejectsOtherItems) {
  EXPECT_EQ(
      read_root(R"(["a", {"code": 99}])", read_messages).error().message,
      R"(test: field[1]: expected a string or an object with a string "message", got an object)");
  EXPECT_EQ(read_root(R"("a")", read_messages).error().message,
            "test: field: expected an array, got a string");
}

TEST(Parse, ReportsOffsetAndRapidJsonReason) {
  EXPECT_EQ(parse(R"({"a":1,})", "test").error().message,
            "test: invalid JSON at offset 7: Missing a name for object member.");
  EXPECT_EQ(
      parse(R"({"a":1} {})", "test").error().message,
      "test: invalid JSON at offset 8: The document root must not be followed by other values.");
}

TEST(Parse, SaysWhenTheBodyEndsEarly) {
  EXPECT_EQ(parse("", "test").error().message,
            "test: JSON body ends early at offset 0: The document is empty.");
  EXPECT_EQ(parse(R"({"a":"xy)", "test").error().message,
            "test: JSON body ends early at offset 8: Missing a closing quotation mark in string.");
}

// Found by fuzz/search_codec_fuzzer: RapidJSON decodes a lone low surrogate escape into bytes
// that are not UTF-8, which a username would have carried into a label value.
TEST(Parse, RefusesStringsThatAreNotUtf8OnceDecoded) {
  EXPECT_EQ(
      parse(R"({"username":"a\udd20b"})", "test").error().message,
      "test: invalid JSON at offset 22: Invalid encoding in string: a lone surrogate escape.");
  EXPECT_EQ(
      parse(R"({"a\udd20":1})", "test").error().message,
      "test: invalid JSON at offset 10: Invalid encoding in string: a lone surrogate escape.");
  const auto pair = parse(R"(["\ud834\udd1e"])", "test");
  ASSERT_TRUE(pair) << pair.error().message;
  EXPECT_EQ(std::string((*pair)[0].GetString()), "\xF0\x9D\x84\x9E");
}

TEST(Parse, SurvivesDeepNesting) {
  const std::size_t depth = 200'000;
  const std::string closed = std::string(depth, '[') + std::string(depth, ']');
  auto document = parse(closed, "test");
  ASSERT_TRUE(document) << document.error().message;
  EXPECT_EQ(describe_type(*document), "an array");
  EXPECT_EQ(parse(std::string(depth, '['), "test").error().message,
            "test: JSON body ends early at offset 200000: Invalid value.");
}

}  // namespace
}  // namespace xee::collectors::client::json
