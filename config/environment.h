#pragma once
// What the configuration reads besides its own text: environment variables (secrets) and files
// (secrets, Post lists, the config file itself). Abstracted so tests can supply secrets without
// touching the process environment or writing credentials to disk.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace xee::config {

// Secret and Post list files larger than this are refused rather than read: a path pointing at
// /dev/zero or a log file must not exhaust memory.
inline constexpr std::size_t kMaxReadableFileBytes = 64 * 1024 * 1024;

class Environment {
 public:
  virtual ~Environment() = default;
  // nullopt when the variable is not set; an empty string when it is set but empty.
  virtual std::optional<std::string> variable(std::string_view name) const = 0;
  // The whole file; on failure the Error says why, without the path ("No such file or
  // directory"), so callers can name the path and the setting that referenced it.
  virtual Result<std::string> read_file(const std::string& path) const = 0;
};

// The process environment and the real file system.
class SystemEnvironment final : public Environment {
 public:
  std::optional<std::string> variable(std::string_view name) const override;
  Result<std::string> read_file(const std::string& path) const override;
};

// Variables only from set_variable(). Files from set_file() first, then the real file system:
// test configs and Post lists live on disk beside the tests, while secrets stay in memory.
class FakeEnvironment final : public Environment {
 public:
  FakeEnvironment& set_variable(std::string name, std::string value);
  FakeEnvironment& set_file(std::string path, std::string content);

  std::optional<std::string> variable(std::string_view name) const override;
  Result<std::string> read_file(const std::string& path) const override;

 private:
  std::map<std::string, std::string, std::less<>> variables_;
  std::map<std::string, std::string, std::less<>> files_;
};

}  // namespace xee::config
