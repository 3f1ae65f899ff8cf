#pragma once
// A built binary run as a child process by an integration test: started with arguments and extra
// environment, its stderr (and stdout) captured to files the test can read, stopped with SIGTERM
// and reaped. The destructor kills a child that is still running, so a failed assertion never
// leaves a server behind, and fails the running test when the child's stderr holds a sanitizer
// report (scripts/sanitize.sh builds the binaries with ASan/UBSan or TSan; a report in a child
// must not pass unnoticed just because the test only looked at its HTTP answers).
//
//   auto child = ChildProcess::start({.program = path, .args = {"--web.listen-address=…"},
//                                     .stderr_path = dir + "/stderr.log"});
//   ASSERT_TRUE(child) << child.error().message;
//   … drive it …
//   auto status = child->stop(std::chrono::seconds(5));   // SIGTERM, wait, SIGKILL if needed
//   EXPECT_EQ(status->exit_code, 0);

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace xee::test_support {

struct LaunchOptions {
  std::string program;            // path of the executable
  std::vector<std::string> args;  // without argv[0]
  // Added to (or replacing entries of) the test's own environment.
  std::vector<std::pair<std::string, std::string>> env;
  std::string stderr_path;  // empty: /dev/null
  std::string stdout_path;  // empty: /dev/null
};

// How a child ended: exited with `exit_code`, or was killed by `signal`.
struct ExitStatus {
  bool exited = false;
  int exit_code = -1;
  int signal = 0;
  bool operator==(const ExitStatus&) const = default;
};

class ChildProcess {
 public:
  static Result<ChildProcess> start(const LaunchOptions& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // False once the child has exited (reaping it, so exit_status() is then known).
  bool running();
  std::optional<ExitStatus> exit_status() const { return status_; }

  // Polls until the child exits or `timeout` passes; nullopt on timeout.
  std::optional<ExitStatus> wait_for_exit(std::chrono::milliseconds timeout);
  // SIGTERM, then waits up to `grace`; SIGKILL and an error if it had not exited by then.
  Result<ExitStatus> stop(std::chrono::milliseconds grace);
  // SIGKILL and reap; no-op when already reaped.
  void kill_now();

  // Whatever the child wrote to stderr_path / stdout_path so far ("" when not captured).
  std::string read_stderr() const;
  std::string read_stdout() const;
  // The first AddressSanitizer, LeakSanitizer, ThreadSanitizer or UndefinedBehaviorSanitizer
  // report in the captured stderr, from its first line on; "" when there is none.
  std::string sanitizer_report() const;

 private:
  ChildProcess(pid_t pid, LaunchOptions options) : pid_(pid), options_(std::move(options)) {}
  bool try_reap();

  pid_t pid_ = -1;
  LaunchOptions options_;
  std::optional<ExitStatus> status_;
};

// Reads a whole file; "" when it does not exist.
std::string read_file(const std::string& path);

// The first sanitizer report in `text` (see ChildProcess::sanitizer_report).
std::string find_sanitizer_report(const std::string& text);

}  // namespace xee::test_support
