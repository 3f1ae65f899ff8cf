#include "config/secret.h"

#include <gtest/gtest.h>

#include <sstream>

namespace xee::config {
namespace {

TEST(Secret, PrintsRedactedEverywhere) {
  const Secret secret("demo-consumer-secret", "environment variable X_CONSUMER_SECRET");
  std::ostringstream out;
  out << secret;
  EXPECT_EQ(out.str(), "<redacted>");
  EXPECT_EQ(to_string(secret), "<redacted>");
  // What GoogleTest shows when an assertion on a Secret fails.
  EXPECT_EQ(::testing::PrintToString(secret), "<redacted>");
}

TEST(Secret, RevealsTheValueAndSaysWhereItCameFrom) {
  const Secret secret("demo-consumer-secret", "environment variable X_CONSUMER_SECRET");
  EXPECT_EQ(secret.reveal(), "demo-consumer-secret");
  EXPECT_EQ(secret.origin(), "environment variable X_CONSUMER_SECRET");
  EXPECT_FALSE(secret.empty());
  EXPECT_TRUE(Secret().empty());
}

TEST(Secret, ComparesValueAndOrigin) {
  const Secret a("token", "file /run/a");
  EXPECT_EQ(a, Secret("token", "file /run/a"));
  EXPECT_NE(a, Secret("other", "file /run/a"));
  EXPECT_NE(a, Secret("token", "file /run/b"));
}

}  // namespace
}  // namespace xee::config
