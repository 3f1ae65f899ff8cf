#include "state/state_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/time_format.h"
#include "tests/state/temp_folder.h"

namespace xee::state {
namespace {

using testing::read_text;
using testing::TempFolder;
using testing::write_text;

common::TimePoint at(std::string_view iso) {
  return *common::parse_iso8601(iso);
}

class StateFileTest : public ::testing::Test {
 protected:
  TempFolder folder_;
  std::string path_ = folder_.file("x.state.json");
  common::ManualClock clock_{at("2026-11-20T01:02:03Z")};
};

TEST_F(StateFileTest, AMissingFileStartsEmpty) {
  StateFile state(path_, clock_);
  const LoadReport report = state.load();
  EXPECT_EQ(report.status, LoadStatus::missing);
  EXPECT_EQ(report.problem, "");
  EXPECT_EQ(state.section("hourly"), std::nullopt);
}

TEST_F(StateFileTest, SectionsRoundTripThroughTheFile) {
  StateFile first(path_, clock_);
  first.set_section("hourly", R"({"posts":[{"id":"1"}]})");
  first.set_section("discovery", "[1,2]");
  ASSERT_TRUE(first.save());
  EXPECT_EQ(read_text(path_),
            R"({"version":1,"sections":{"discovery":[1,2],"hourly":{"posts":[{"id":"1"}]}}})");

  StateFile second(path_, clock_);
  EXPECT_EQ(second.load().status, LoadStatus::loaded);
  EXPECT_EQ(second.section("hourly"), R"({"posts":[{"id":"1"}]})");
  EXPECT_EQ(second.section("discovery"), "[1,2]");
}

TEST_F(StateFileTest, CorruptJsonIsMovedAsideWithItsPosition) {
  write_text(path_, "{\"version\":1,\n  \"sections\": {\"hourly\": [1,}\n}");
  StateFile state(path_, clock_);
  const LoadReport report = state.load();
  EXPECT_EQ(report.status, LoadStatus::rebuilt);
  EXPECT_EQ(report.problem, path_ + ":2:29: invalid JSON: Invalid value.");
  EXPECT_EQ(report.moved_to, path_ + ".corrupt-20261120T010203Z");
  EXPECT_TRUE(std::filesystem::exists(report.moved_to));
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_EQ(state.section("hourly"), std::nullopt);
  // The next save writes a fresh, valid file in its place.
  state.set_section("hourly", "{}");
  ASSERT_TRUE(state.save());
  StateFile reread(path_, clock_);
  EXPECT_EQ(reread.load().status, LoadStatus::loaded);
}

TEST_F(StateFileTest, AnotherVersionIsRebuilt) {
  write_text(path_, R"({"version":2,"sections":{}})");
  StateFile state(path_, clock_);
  const LoadReport report = state.load();
  EXPECT_EQ(report.status, LoadStatus::rebuilt);
  EXPECT_EQ(report.problem, path_ + ": version 2 is not the supported version 1");
}

TEST_F(StateFileTest, WrongShapesAreRebuilt) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[]", ": expected a JSON object at the top"},
      {R"({"sections":{}})", ": missing or non-integer \"version\""},
      {R"({"version":"1","sections":{}})", ": missing or non-integer \"version\""},
      {R"({"version":1})", ": missing or non-object \"sections\""},
      {R"({"version":1,"sections":[]})", ": missing or non-object \"sections\""},
      {"", ":1:1: invalid JSON: The document is empty."},
  };
  for (const auto& [text, problem] : cases) {
    write_text(path_, text);
    StateFile state(path_, clock_);
    const LoadReport report = state.load();
    EXPECT_EQ(report.status, LoadStatus::rebuilt) << text;
    EXPECT_EQ(report.problem, path_ + problem) << text;
  }
}

// Found by fuzz/state_file_fuzzer: nesting this deep overflowed the stack in RapidJSON's recursive
// parser and writer, so a corrupt state file crashed the exporter at every start.
TEST_F(StateFileTest, DeepNestingIsRebuiltNotACrash) {
  const std::size_t depth = 1'000'000;
  write_text(path_, R"({"version":1,"sections":{"hourly":)" + std::string(depth, '[') +
                        std::string(depth, ']') + "}}");
  StateFile state(path_, clock_);
  const LoadReport report = state.load();
  EXPECT_EQ(report.status, LoadStatus::rebuilt);
  // The 101st bracket: the object, "sections" and 99 of the '['.
  EXPECT_EQ(report.problem, path_ + ":1:133: arrays and objects nested deeper than 100 levels");
  EXPECT_EQ(state.section("hourly"), std::nullopt);
}

// Found by fuzz/state_file_fuzzer: sections were re-printed from RapidJSON's inexact doubles, so a
// section (another part's, or a newer exporter's) holding such a number changed at every save.
// Each section is now kept as the text it was written as.
TEST_F(StateFileTest, SectionsKeepTheirExactText) {
  write_text(path_,
             "{\"version\":1, \"sections\": {\"future\" :\n [18446744073709551615123, 0.1, "
             "0e70] , \"name\":\"x\", \"nested\": {\"d\": {}}, \"name\": 2}}");
  StateFile first(path_, clock_);
  ASSERT_EQ(first.load().status, LoadStatus::loaded);
  EXPECT_EQ(first.section("future"), "[18446744073709551615123, 0.1, 0e70]");
  EXPECT_EQ(first.section("name"), "\"x\"");  // the first of two, as before
  EXPECT_EQ(first.section("nested"), R"({"d": {}})");
  ASSERT_TRUE(first.save());
  StateFile second(path_, clock_);
  ASSERT_EQ(second.load().status, LoadStatus::loaded);
  EXPECT_EQ(second.section("future"), "[18446744073709551615123, 0.1, 0e70]");
  EXPECT_EQ(read_text(path_),
            R"({"version":1,"sections":{"future":[18446744073709551615123, 0.1, 0e70],)"
            R"("name":"x","nested":{"d": {}}}})");
}

TEST_F(StateFileTest, SavingIntoAMissingFolderIsAnError) {
  StateFile state(folder_.file("gone/x.json"), clock_);
  const auto saved = state.save();
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().message,
            folder_.file("gone/x.json") + ".tmp: cannot create: No such file or directory");
}

}  // namespace
}  // namespace xee::state
