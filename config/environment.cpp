#include "config/environment.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace xee::config {

std::optional<std::string> SystemEnvironment::variable(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Result<std::string> SystemEnvironment::read_file(const std::string& path) const {
  // stdio rather than iostreams: errno then tells "Is a directory" from "Permission denied".
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) return fail(std::strerror(errno));
  std::string content;
  char buffer[64 * 1024];
  while (true) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    if (n == 0) break;
    if (content.size() + n > kMaxReadableFileBytes) {
      return fail("larger than " + std::to_string(kMaxReadableFileBytes / (1024 * 1024)) + " MiB");
    }
    content.append(buffer, n);
  }
  if (std::ferror(file.get())) return fail(std::strerror(errno));
  return content;
}

FakeEnvironment& FakeEnvironment::set_variable(std::string name, std::string value) {
  variables_[std::move(name)] = std::move(value);
  return *this;
}

FakeEnvironment& FakeEnvironment::set_file(std::string path, std::string content) {
  files_[std::move(path)] = std::move(content);
  return *this;
}

std::optional<std::string> FakeEnvironment::variable(std::string_view name) const {
  const auto it = variables_.find(name);
  if (it == variables_.end()) return std::nullopt;
  return it->second;
}

Result<std::string> FakeEnvironment::read_file(const std::string& path) const {
  const auto it = files_.find(path);
  if (it != files_.end()) return it->second;
  return SystemEnvironment{}.read_file(path);
}

}  // namespace xee::config
