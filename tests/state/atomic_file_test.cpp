#include "state/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/state/temp_folder.h"

namespace xee::state {
namespace {

using testing::read_text;
using testing::TempFolder;
using testing::write_text;

TEST(WriteFileAtomically, ReplacesTheContentAndLeavesNoTemporary) {
  TempFolder folder;
  const std::string path = folder.file("state.json");
  write_text(path, "old");
  ASSERT_TRUE(write_file_atomically(path, "new content"));
  EXPECT_EQ(read_text(path), "new content");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(WriteFileAtomically, ACrashBeforeTheRenameLeavesTheOldFile) {
  TempFolder folder;
  const std::string path = folder.file("state.json");
  write_text(path, "old");
  bool temporary_was_complete = false;
  const auto written = write_file_atomically(path, "new", [&] {
    temporary_was_complete = read_text(path + ".tmp") == "new";
    return false;  // the process dies here
  });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().message, path + ": write abandoned before rename");
  EXPECT_TRUE(temporary_was_complete);
  EXPECT_EQ(read_text(path), "old");
}

TEST(WriteFileAtomically, AnUnwritableFolderIsAnErrorNamingTheFile) {
  TempFolder folder;
  const std::string path = folder.file("no-such-folder/state.json");
  const auto written = write_file_atomically(path, "x");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().message, path + ".tmp: cannot create: No such file or directory");
}

TEST(ReadWholeFile, ReportsAMissingFileAsMissing) {
  TempFolder folder;
  bool missing = false;
  EXPECT_FALSE(read_whole_file(folder.file("absent.json"), missing));
  EXPECT_TRUE(missing);
  write_text(folder.file("present.json"), "abc");
  const auto text = read_whole_file(folder.file("present.json"), missing);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "abc");
  EXPECT_FALSE(missing);
}

}  // namespace
}  // namespace xee::state
