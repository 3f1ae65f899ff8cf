#include "wire/search_query.h"

#include <gtest/gtest.h>

#include <string>

#include "wire/api_limits.h"

namespace xee::wire {
namespace {

std::string error_of(const Result<std::string>& result) {
  return result ? "(no error: " + *result + ")" : result.error().message;
}

TEST(HashtagQuery, AddsTheHashAndOneSpaceBeforeTrimmedOperators) {
  EXPECT_EQ(hashtag_query("launchday", "-is:retweet lang:en"), "#launchday -is:retweet lang:en");
  EXPECT_EQ(hashtag_query("launchday", "  -is:retweet  "), "#launchday -is:retweet");
  EXPECT_EQ(hashtag_query("launchday", ""), "#launchday");
  EXPECT_EQ(hashtag_query("launchday", "   "), "#launchday");
  EXPECT_EQ(hashtag_query("Launch_Day_2026", ""), "#Launch_Day_2026");
  EXPECT_EQ(hashtag_query(std::string(kHashtagMaxLength, 'a'), ""),
            "#" + std::string(kHashtagMaxLength, 'a'));
}

TEST(HashtagQuery, RefusesTagsThatAreNotBareAsciiWords) {
  EXPECT_EQ(error_of(hashtag_query("", "")), "hashtag \"\": is empty");
  EXPECT_EQ(error_of(hashtag_query("#launchday", "")),
            "hashtag \"#launchday\": give it without the leading '#'; the query adds it");
  EXPECT_EQ(error_of(hashtag_query("launch-day", "")),
            "hashtag \"launch-day\": '-' at position 7 is not an ASCII letter, digit or "
            "underscore");
  EXPECT_EQ(error_of(hashtag_query("launch day", "")),
            "hashtag \"launch day\": ' ' at position 7 is not an ASCII letter, digit or "
            "underscore");
  EXPECT_EQ(error_of(hashtag_query("caf\xC3\xA9s", "")),
            "hashtag \"caf\xC3\xA9s\": a non-ASCII character at position 4 is not an ASCII "
            "letter, digit or underscore");
  EXPECT_EQ(
      error_of(hashtag_query(std::string(101, 'a'), "")),
      "hashtag \"" + std::string(60, 'a') + "...\": 101 characters, more than the 100 allowed");
}

TEST(AccountQuery, BuildsFromOperatorWithHandle) {
  EXPECT_EQ(account_query("acme", "-is:retweet"), "from:acme -is:retweet");
  EXPECT_EQ(account_query("initech_archive", ""), "from:initech_archive");
  EXPECT_EQ(account_query("A1_b2C3d4E5f6G7", ""), "from:A1_b2C3d4E5f6G7");
}

TEST(AccountQuery, RefusesHandlesOutsideXsUsernameRule) {
  EXPECT_EQ(error_of(account_query("", "")), "handle \"\": is empty");
  EXPECT_EQ(error_of(account_query("@acme", "")),
            "handle \"@acme\": give it without the leading '@'; the query adds it");
  EXPECT_EQ(error_of(account_query("acme.corp", "")),
            "handle \"acme.corp\": '.' at position 5 is not an ASCII letter, digit or "
            "underscore");
  EXPECT_EQ(error_of(account_query("initech_archive1", "")),
            "handle \"initech_archive1\": 16 characters, more than the 15 allowed");
  EXPECT_EQ(error_of(account_query("ac\tme", "")),
            "handle \"ac\\x09me\": control character 0x09 at position 3 is not an ASCII letter, "
            "digit or underscore");
}

TEST(SearchOperators, KeepsGroupedAlternativesQuotesAndNonAscii) {
  EXPECT_EQ(hashtag_query("launchday", "(lang:en OR lang:es) -is:retweet"),
            "#launchday (lang:en OR lang:es) -is:retweet");
  EXPECT_EQ(hashtag_query("xapi", "lang:es \"caf\xC3\xA9\""), "#xapi lang:es \"caf\xC3\xA9\"");
  // OR inside a quoted phrase is text, not an operator.
  EXPECT_EQ(hashtag_query("launchday", "\"now OR never\""), "#launchday \"now OR never\"");
  // Only the upper-case keyword is X's OR; words merely containing it are ordinary terms.
  EXPECT_EQ(hashtag_query("launchday", "or ORACLE -OR_"), "#launchday or ORACLE -OR_");
  EXPECT_EQ(account_query("acme", "((has:media) OR (has:links))"),
            "from:acme ((has:media) OR (has:links))");
}

TEST(SearchOperators, RefusesATopLevelOrWhereverItStands) {
  EXPECT_EQ(error_of(hashtag_query("launchday", "a OR b")),
            "operators \"a OR b\": a top-level OR would widen the search beyond #launchday; wrap "
            "alternatives in parentheses");
  EXPECT_EQ(error_of(account_query("acme", "OR lang:en")),
            "operators \"OR lang:en\": a top-level OR would widen the search beyond from:acme; "
            "wrap alternatives in parentheses");
  EXPECT_EQ(error_of(hashtag_query("launchday", "(a b) OR(c)")),
            "operators \"(a b) OR(c)\": a top-level OR would widen the search beyond "
            "#launchday; wrap alternatives in parentheses");
  EXPECT_EQ(error_of(hashtag_query("launchday", "\"x\"OR\"y\"")),
            "operators \"\\\"x\\\"OR\\\"y\\\"\": a top-level OR would widen the search beyond "
            "#launchday; wrap alternatives in parentheses");
  EXPECT_EQ(error_of(hashtag_query("launchday", "lang:en OR")),
            "operators \"lang:en OR\": a top-level OR would widen the search beyond #launchday; "
            "wrap alternatives in parentheses");
}

TEST(SearchOperators, RefusesUnbalancedParenthesesAndQuotesNamingThePosition) {
  EXPECT_EQ(error_of(hashtag_query("launchday", "(lang:en OR lang:es")),
            "operators \"(lang:en OR lang:es\": '(' at position 1 is never closed");
  EXPECT_EQ(error_of(hashtag_query("launchday", " lang:en)")),
            "operators \" lang:en)\": ')' at position 9 has no '('");
  EXPECT_EQ(error_of(hashtag_query("launchday", "((a) (b)")),
            "operators \"((a) (b)\": '(' at position 1 is never closed");
  EXPECT_EQ(error_of(hashtag_query("launchday", "lang:es \"caf\xC3\xA9 x")),
            "operators \"lang:es \\\"caf\xC3\xA9 x\": the quote at position 9 is never closed");
  // A parenthesis inside a phrase is text.
  EXPECT_EQ(hashtag_query("launchday", "\"(:\""), "#launchday \"(:\"");
}

TEST(SearchOperators, RefusesControlCharacters) {
  EXPECT_EQ(error_of(hashtag_query("launchday", "lang:en\n-is:retweet")),
            "operators \"lang:en\\x0A-is:retweet\": control character 0x0A at position 8; "
            "separate operators with spaces");
}

TEST(SearchOperators, RefusesQueriesLongerThanXAccepts) {
  // "#launchday " is 11 characters; é is one character in two bytes.
  const std::string fits = std::string(kSearchMaxQueryLength - 12, 'a') + "\xC3\xA9";
  EXPECT_EQ(hashtag_query("launchday", fits), "#launchday " + fits);
  EXPECT_EQ(error_of(hashtag_query("launchday", fits + "b")),
            "operators \"" + std::string(60, 'a') +
                "...\": the query would be 4097 characters, more than the 4096 X accepts");
}

}  // namespace
}  // namespace xee::wire
