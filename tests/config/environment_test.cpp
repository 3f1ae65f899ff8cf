#include "config/environment.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace xee::config {
namespace {

TEST(SystemEnvironment, TellsUnsetFromEmptyVariables) {
  const SystemEnvironment env;
  ::setenv("XEE_ENVIRONMENT_TEST_EMPTY", "", 1);
  ::setenv("XEE_ENVIRONMENT_TEST_SET", "value", 1);
  ::unsetenv("XEE_ENVIRONMENT_TEST_UNSET");
  EXPECT_EQ(env.variable("XEE_ENVIRONMENT_TEST_EMPTY"), "");
  EXPECT_EQ(env.variable("XEE_ENVIRONMENT_TEST_SET"), "value");
  EXPECT_EQ(env.variable("XEE_ENVIRONMENT_TEST_UNSET"), std::nullopt);
  ::unsetenv("XEE_ENVIRONMENT_TEST_EMPTY");
  ::unsetenv("XEE_ENVIRONMENT_TEST_SET");
}

TEST(SystemEnvironment, ReadsFilesAndSaysWhyItCannot) {
  const SystemEnvironment env;
  const auto three = env.read_file("testdata/posts/three.txt");
  ASSERT_TRUE(three) << three.error().message;
  EXPECT_EQ(*three,
            "# Three Posts of a competitor.\n1855555555555555556\n1855555555555555557\n"
            "1855555555555555558\n");
  EXPECT_EQ(env.read_file("testdata/no-such-file").error().message, "No such file or directory");
  EXPECT_EQ(env.read_file("testdata").error().message, "Is a directory");
}

TEST(SystemEnvironment, RefusesFilesLargerThanTheLimit) {
  const auto endless = SystemEnvironment{}.read_file("/dev/zero");
  ASSERT_FALSE(endless);
  EXPECT_EQ(endless.error().message, "larger than 64 MiB");
}

TEST(FakeEnvironment, ServesItsOwnVariablesAndFilesBeforeTheDisk) {
  FakeEnvironment env;
  env.set_variable("HOME", "/fake-home").set_file("testdata/posts/three.txt", "20\n");
  EXPECT_EQ(env.variable("HOME"), "/fake-home");
  EXPECT_EQ(env.variable("PATH"), std::nullopt);
  EXPECT_EQ(env.read_file("testdata/posts/three.txt").value(), "20\n");
  EXPECT_EQ(env.read_file("testdata/secrets/consumer_secret").value(), "file-consumer-s3cr3t\n");
  EXPECT_EQ(env.read_file("testdata/absent").error().message, "No such file or directory");
}

}  // namespace
}  // namespace xee::config
