#include "common/text.h"

#include <gtest/gtest.h>

#include <string>

namespace xee::common {
namespace {

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8(std::string("nul \0 ok", 8)));
  EXPECT_TRUE(is_valid_utf8("é € 𝄞 \xEF\xBB\xBF \xF4\x8F\xBF\xBF"));  // up to U+10FFFF
}

TEST(IsValidUtf8, RefusesWhatRfc3629Forbids) {
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // cut short
  EXPECT_FALSE(is_valid_utf8("\xA9"));              // a lone continuation byte
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong, three bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong, four bytes
  EXPECT_FALSE(is_valid_utf8("\xED\xB4\xA0"));      // U+DD20, a surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xC3z"));             // a lead byte without its continuation
}

TEST(Utf8Prefix, CutsBeforeACharacterItWouldSplit) {
  EXPECT_EQ(utf8_prefix("abc", 5), "abc");
  EXPECT_EQ(utf8_prefix("ab\xE2\x82\xAC", 3), "ab");
  EXPECT_EQ(utf8_prefix("ab\xE2\x82\xAC", 4), "ab");
  EXPECT_EQ(utf8_prefix("ab\xE2\x82\xAC"
                        "c",
                        5),
            "ab\xE2\x82\xAC");
  EXPECT_EQ(utf8_prefix("\xA9\xA9\xA9\xA9\xA9", 4), "\xA9");  // not UTF-8: backs off 3 at most
}

}  // namespace
}  // namespace xee::common
