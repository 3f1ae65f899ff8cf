#include "config/text.h"

#include <gtest/gtest.h>

namespace xee::config {
namespace {

TEST(Trim, RemovesAsciiWhitespaceAtBothEnds) {
  EXPECT_EQ(trim("  a b\t\r\n"), "a b");
  EXPECT_EQ(trim(" \t\n"), "");
  EXPECT_EQ(trim(""), "");
}

TEST(TrimEnd, KeepsLeadingWhitespace) {
  EXPECT_EQ(trim_end("  token \r\n\n"), "  token");
  EXPECT_EQ(trim_end("\n"), "");
}

TEST(ToLower, LowersAsciiOnly) {
  EXPECT_EQ(to_lower("HTTPS://Data-API.X.com/É"), "https://data-api.x.com/É");
}

TEST(EscapeControlCharacters, WritesThemAsTomlEscapes) {
  EXPECT_EQ(escape_control_characters("a\nb\tc\rd\x1B[31m\x7F é"),
            "a\\nb\\tc\\rd\\u001B[31m\\u007F é");
  EXPECT_EQ(escape_control_characters(std::string("nul\0!", 5)), "nul\\u0000!");
}

TEST(QuoteShortened, QuotesAndCutsAfterFortyCharacters) {
  EXPECT_EQ(quote_shortened("5min"), "\"5min\"");
  EXPECT_EQ(quote_shortened(std::string(40, 'a')), "\"" + std::string(40, 'a') + "\"");
  EXPECT_EQ(quote_shortened(std::string(41, 'a')), "\"" + std::string(40, 'a') + "…\"");
}

// Found by fuzz/posts_file_fuzzer: a Post list line with "é" across the 40th byte was quoted with
// half of it, invalid UTF-8 in the error and the JSON log.
TEST(QuoteShortened, NeverSplitsAUtf8Character) {
  EXPECT_EQ(quote_shortened(std::string(39, 'a') + "\xC3\xA9z"),
            "\"" + std::string(39, 'a') + "…\"");
  EXPECT_EQ(quote_shortened(std::string(38, 'a') + "\xEF\xBB\xBFz"),
            "\"" + std::string(38, 'a') + "…\"");
  EXPECT_EQ(quote_shortened(std::string(38, 'a') + "\xC3\xA9z"),
            "\"" + std::string(38, 'a') + "\xC3\xA9…\"");
}

}  // namespace
}  // namespace xee::config
