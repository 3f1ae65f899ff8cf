#include "tests/support/child_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>

namespace xee::test_support {
namespace {

constexpr std::chrono::milliseconds kPollInterval{10};

// Runs in the forked child before exec, so it may only use async-signal-safe calls.
void redirect_or_die(const std::string& path, int target_fd) {
  const char* file = path.empty() ? "/dev/null" : path.c_str();
  const int fd = ::open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || ::dup2(fd, target_fd) < 0) ::_exit(127);
}

ExitStatus decode_wait_status(int raw) {
  ExitStatus status;
  if (WIFEXITED(raw)) {
    status.exited = true;
    status.exit_code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    status.signal = WTERMSIG(raw);
  }
  return status;
}

}  // namespace

std::string find_sanitizer_report(const std::string& text) {
  // The first line of every report: "==pid==ERROR: AddressSanitizer: …", "==pid==ERROR:
  // LeakSanitizer: …", "WARNING: ThreadSanitizer: …", "file:line:col: runtime error: …" (UBSan).
  static constexpr std::string_view kMarkers[] = {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                                                  "ThreadSanitizer:", ": runtime error: "};
  std::size_t first = std::string::npos;
  for (const std::string_view marker : kMarkers) first = std::min(first, text.find(marker));
  if (first == std::string::npos) return "";
  const std::size_t line = text.rfind('\n', first);
  const std::size_t start = line == std::string::npos ? 0 : line + 1;
  constexpr std::size_t kShown = 6000;  // the report's stacks, not the rest of the log
  return text.substr(start, kShown);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

Result<ChildProcess> ChildProcess::start(const LaunchOptions& options) {
  if (::access(options.program.c_str(), X_OK) != 0) {
    return fail("ChildProcess: " + options.program +
                " is not an executable file: " + std::strerror(errno));
  }
  // argv and envp are built before fork: allocating in the child of a threaded process is unsafe.
  std::vector<std::string> arg_storage{options.program};
  arg_storage.insert(arg_storage.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (auto& arg : arg_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view item(*entry);
    const std::string_view name = item.substr(0, item.find('='));
    bool overridden = false;
    for (const auto& [key, value] : options.env) overridden = overridden || key == name;
    if (!overridden) env_storage.emplace_back(item);
  }
  for (const auto& [key, value] : options.env) env_storage.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) return fail(std::string("ChildProcess: fork: ") + std::strerror(errno));
  if (pid == 0) {
    redirect_or_die(options.stdout_path, STDOUT_FILENO);
    redirect_or_die(options.stderr_path, STDERR_FILENO);
    // The test runner may block signals; the child must see SIGTERM with default handling.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(options.program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  return ChildProcess(pid, options);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      options_(std::move(other.options_)),
      status_(std::move(other.status_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_now();
    pid_ = std::exchange(other.pid_, -1);
    options_ = std::move(other.options_);
    status_ = std::move(other.status_);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  kill_now();
  if (pid_ < 0) return;  // moved from
  if (const std::string report = sanitizer_report(); !report.empty()) {
    ADD_FAILURE() << options_.program << " (pid " << pid_ << ") printed a sanitizer report in "
                  << options_.stderr_path << ":\n"
                  << report;
  }
}

bool ChildProcess::try_reap() {
  if (status_ || pid_ < 0) return true;
  int raw = 0;
  const pid_t result = ::waitpid(pid_, &raw, WNOHANG);
  if (result == pid_) {
    status_ = decode_wait_status(raw);
    return true;
  }
  return false;
}

bool ChildProcess::running() {
  return !try_reap();
}

std::optional<ExitStatus> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!try_reap()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
  return status_;
}

Result<ExitStatus> ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ < 0) return fail("ChildProcess: no process");
  if (!try_reap()) ::kill(pid_, SIGTERM);
  if (auto status = wait_for_exit(grace)) return *status;
  kill_now();
  return fail("ChildProcess: pid " + std::to_string(pid_) + " did not exit within " +
              std::to_string(grace.count()) + " ms of SIGTERM; killed");
}

void ChildProcess::kill_now() {
  if (pid_ < 0 || try_reap()) return;
  ::kill(pid_, SIGKILL);
  int raw = 0;
  if (::waitpid(pid_, &raw, 0) == pid_) status_ = decode_wait_status(raw);
}

std::string ChildProcess::read_stderr() const {
  return options_.stderr_path.empty() ? "" : read_file(options_.stderr_path);
}

std::string ChildProcess::sanitizer_report() const {
  return find_sanitizer_report(read_stderr());
}

std::string ChildProcess::read_stdout() const {
  return options_.stdout_path.empty() ? "" : read_file(options_.stdout_path);
}

}  // namespace xee::test_support
