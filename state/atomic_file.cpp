#include "state/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace xee::state {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

// A descriptor that is closed on every path out.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  // Closing reports the last write-back error on some file systems, so it is checked.
  bool close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

Result<void> write_durably(const std::string& path, std::string_view content) {
  Descriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (file.get() < 0) return fail(path + ": cannot create: " + errno_text());
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(file.get(), content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(path + ": cannot write: " + errno_text());
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(file.get()) != 0) return fail(path + ": cannot fsync: " + errno_text());
  if (!file.close()) return fail(path + ": cannot close: " + errno_text());
  return {};
}

// Makes the rename itself durable; without it a power loss may bring back the old name.
void sync_folder(const std::string& path) {
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (folder.empty()) folder = ".";
  Descriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  // Best effort: some file systems refuse fsync on folders, and the data is already safe.
  if (dir.get() >= 0) ::fsync(dir.get());
}

}  // namespace

Result<void> write_file_atomically(const std::string& path, std::string_view content,
                                   const std::function<bool()>& before_rename) {
  const std::string temporary = path + ".tmp";
  if (auto written = write_durably(temporary, content); !written) {
    ::unlink(temporary.c_str());
    return written;
  }
  if (before_rename && !before_rename()) return fail(path + ": write abandoned before rename");
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string error = errno_text();
    ::unlink(temporary.c_str());
    return fail(path + ": cannot rename " + temporary + " over it: " + error);
  }
  sync_folder(path);
  return {};
}

Result<std::string> read_whole_file(const std::string& path, bool& missing) {
  missing = false;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (error) return fail(path + ": cannot check: " + error.message());
    missing = true;
    return fail(path + ": does not exist");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot open: " + errno_text());
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return fail(path + ": cannot read: " + errno_text());
  return content.str();
}

}  // namespace xee::state
