// Fuzzes the exporter's configuration loader (config::load_config) with the input as the config
// file's text. The files and variables it names come from a fixed in-memory environment, so a run
// never touches the real file system and is reproducible. Beyond not crashing, it checks two
// promises of config/config.h: every error line names the file it is about, and no secret read
// from an environment variable ever appears in an error or warning.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.h"
#include "fuzz/fuzz_support.h"

namespace {

using xee::Result;

constexpr std::string_view kConfigPath = "/fuzz/x-engagement-exporter.toml";
// Every environment variable (only secrets are read from variables) contains this; it must never
// be echoed.
constexpr std::string_view kSecretMarker = "Fuzz-Secret-Value";

// Variables are set unless their name starts with UNSET; files under /fuzz/ exist unless their
// name contains "missing", and a *.txt file is a Post list with good and bad lines.
class FuzzEnvironment final : public xee::config::Environment {
 public:
  explicit FuzzEnvironment(std::string config_text) : config_text_(std::move(config_text)) {}

  std::optional<std::string> variable(std::string_view name) const override {
    if (name.starts_with("UNSET")) return std::nullopt;
    return std::string(kSecretMarker) + "-env-" + std::string(name);
  }

  Result<std::string> read_file(const std::string& path) const override {
    if (path == kConfigPath) return config_text_;
    if (!path.starts_with("/fuzz/") || path.find("missing") != std::string::npos) {
      return xee::fail("No such file or directory");
    }
    if (path.ends_with(".txt")) {
      return std::string(
          "# a Post list\n1855555555555555556\n1855555555555555557  # trailing comment\n\n"
          "not-an-id\n1855555555555555556\n");
    }
    if (path.ends_with(".pem")) return std::string("-----BEGIN CERTIFICATE-----\n");
    // Not the marker: a file may be named as a Post list, whose bad lines are quoted on purpose.
    return std::string("file-content\n");
  }

 private:
  std::string config_text_;
};

void check_no_secret(std::string_view text) {
  XEE_FUZZ_REQUIRE_ABOUT(text.find(kSecretMarker) == std::string_view::npos, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const FuzzEnvironment environment(text);
  const auto loaded = xee::config::load_config(std::string(kConfigPath), environment);
  // The input may itself contain the marker; then it may legitimately be quoted back.
  const bool may_quote_marker = text.find(kSecretMarker) != std::string::npos;
  if (loaded) {
    for (const std::string& warning : loaded->warnings) {
      if (!may_quote_marker) check_no_secret(warning);
    }
    return 0;
  }
  const std::string& report = loaded.error().message;
  if (!may_quote_marker) check_no_secret(report);
  // "<file>:<line>:<column>: …", one per line; <file> is a Post list for an error in one.
  std::string_view rest = report;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    XEE_FUZZ_REQUIRE_ABOUT(
        line.starts_with(std::string(kConfigPath) + ":") || line.starts_with("/fuzz/"), report);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  return 0;
}
