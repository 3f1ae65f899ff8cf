// x_api_simulator: a local stand-in for X's Enterprise Engagement API and v2 recent search.
// See simulator/README.md for the flags, the world file, fault injection and the admin endpoint.

#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <set>
#include <string>

#include "common/clock.h"
#include "common/log.h"
#include "common/time_format.h"
#include "simulator/server/faults.h"
#include "simulator/server/http_server.h"
#include "simulator/server/service.h"
#include "simulator/world/world.h"
#include "wire/snowflake.h"

namespace {

using namespace xee;
using simulator::server::FaultConfig;

constexpr int kUsageError = 2;

struct Flags {
  std::string listen_address = "127.0.0.1:10880";
  std::string world_file;
  std::string clock_start;
  double clock_speed = 1;
  std::string log_level = "info";
  std::string log_format = "logfmt";
  double error_rate = 0;
  std::string latency = "0s";
  double rate_limit_rate = 0;
  double malformed_rate = 0;
  double truncated_rate = 0;
  double reset_rate = 0;
  std::string revoked_accounts;
  std::string deleted_posts;
  std::uint64_t fault_seed = 1;
  bool admin_enable = false;
};

// CLI11's own range checks print doubles with six decimals (and DBL_MAX for "no upper bound").
CLI::Validator number_between(double low, double high, const std::string& description) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0;
        std::size_t used = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != text.size() || !(value >= low && value <= high)) {
          return "must be " + description + ", got '" + text + "'";
        }
        return "";
      },
      description);
}

int usage_error(const std::string& message) {
  std::cerr << "x_api_simulator: " << message << "\n";
  return kUsageError;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t pos = 0;
  while (pos <= text.size() && !text.empty()) {
    const std::size_t end = std::min(text.find(',', pos), text.size());
    std::string item = text.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) items.push_back(std::move(item));
    pos = end + 1;
  }
  return items;
}

Result<FaultConfig> faults_from_flags(const Flags& flags, const simulator::WorldConfig& world) {
  FaultConfig faults;
  faults.error_rate = flags.error_rate;
  faults.rate_limit_rate = flags.rate_limit_rate;
  faults.malformed_rate = flags.malformed_rate;
  faults.truncated_rate = flags.truncated_rate;
  faults.reset_rate = flags.reset_rate;
  faults.seed = flags.fault_seed;
  const auto latency = common::parse_duration(flags.latency);
  if (!latency)
    return fail("--fault.latency: '" + flags.latency + "' is not a duration like 200ms or 1s");
  faults.latency = *latency;
  for (const auto& handle : split_list(flags.revoked_accounts)) {
    const bool known = std::any_of(world.accounts.begin(), world.accounts.end(),
                                   [&](const auto& account) { return account.handle == handle; });
    if (!known)
      return fail("--fault.revoked-accounts: no account in the world has the handle '" + handle +
                  "'");
    faults.revoked_accounts.insert(handle);
  }
  for (const auto& id_text : split_list(flags.deleted_posts)) {
    const auto id = wire::parse_post_id(id_text);
    if (!id) return fail("--fault.deleted-posts: '" + id_text + "' is not a Post ID");
    faults.deleted_posts.insert(*id);
  }
  auto validated = simulator::server::validate_faults(std::move(faults), world);
  if (!validated) return fail("--fault.*: " + validated.error().message);
  return validated;
}

void define_flags(CLI::App& app, Flags& flags) {
  app.add_option("--web.listen-address", flags.listen_address,
                 "Address to listen on; :PORT means all interfaces")
      ->capture_default_str();
  app.add_option("--world.file", flags.world_file,
                 "World TOML file (accounts, hashtags, limits); default: the built-in demo world");
  app.add_option("--clock.start", flags.clock_start,
                 "World time at startup, ISO-8601 (e.g. 2026-11-20T00:00:00Z); default: now");
  app.add_option("--clock.speed", flags.clock_speed,
                 "World seconds per wall second; 0 freezes the world's time")
      ->check(number_between(0, 1e9, "a number >= 0"))
      ->capture_default_str();
  app.add_option("--log.level", flags.log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--log.format", flags.log_format, "logfmt or json")
      ->check(CLI::IsMember({"logfmt", "json"}))
      ->capture_default_str();
  const auto rate = number_between(0, 1, "a fraction between 0 and 1");
  app.add_option("--fault.error-rate", flags.error_rate,
                 "Fraction of Engagement/search requests answered 500/502/503")
      ->check(rate)
      ->capture_default_str();
  app.add_option("--fault.latency", flags.latency,
                 "Delay added to every Engagement/search request (e.g. 200ms)")
      ->capture_default_str();
  app.add_option("--fault.rate-limit-rate", flags.rate_limit_rate,
                 "Fraction answered 429 whatever the budget (1 = a 429 storm)")
      ->check(rate)
      ->capture_default_str();
  app.add_option("--fault.malformed-rate", flags.malformed_rate,
                 "Fraction of 200 answers whose body is invalid JSON")
      ->check(rate)
      ->capture_default_str();
  app.add_option("--fault.truncated-rate", flags.truncated_rate,
                 "Fraction of 200 answers whose body is cut in half")
      ->check(rate)
      ->capture_default_str();
  app.add_option("--fault.reset-rate", flags.reset_rate,
                 "Fraction of requests whose connection is closed without an answer")
      ->check(rate)
      ->capture_default_str();
  app.add_option("--fault.revoked-accounts", flags.revoked_accounts,
                 "Comma-separated handles whose tokens are refused (401)");
  app.add_option("--fault.deleted-posts", flags.deleted_posts,
                 "Comma-separated Post IDs reported unavailable");
  app.add_option("--fault.seed", flags.fault_seed,
                 "Seed of the faults' RNG: same seed, same faults")
      ->capture_default_str();
  app.add_flag("--admin.enable", flags.admin_enable,
               "Serve GET/PUT /admin/faults to change faults at run time");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "x_api_simulator: a local simulator of X's Enterprise Engagement API and v2 recent "
      "search, for x-engagement-exporter."};
  Flags flags;
  define_flags(app, flags);
  app.set_version_flag("--version", std::string("x_api_simulator version ") + XEE_VERSION +
                                        " (revision " + XEE_GIT_REVISION + ")");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kUsageError;
  }

  common::SystemClock wall_clock;
  common::TimePoint clock_start = wall_clock.now();
  if (!flags.clock_start.empty()) {
    const auto parsed = common::parse_iso8601(flags.clock_start);
    if (!parsed) {
      return usage_error("--clock.start: '" + flags.clock_start +
                         "' is not an ISO-8601 UTC timestamp (e.g. 2026-11-20T00:00:00Z)");
    }
    clock_start = common::TimePoint(*parsed);
  }
  simulator::WorldConfig world_config = simulator::demo_world();
  if (!flags.world_file.empty()) {
    auto loaded = simulator::load_world_config(flags.world_file);
    if (!loaded) return usage_error("--world.file: " + loaded.error().message);
    world_config = std::move(*loaded);
  }
  auto faults = faults_from_flags(flags, world_config);
  if (!faults) return usage_error(faults.error().message);

  common::Logger logger(std::cerr, *common::parse_log_level(flags.log_level),
                        *common::parse_log_format(flags.log_format), wall_clock);
  const common::AcceleratedClock world_clock(wall_clock, clock_start, flags.clock_speed);
  const simulator::World world(world_config);

  // Block the shutdown signals before civetweb starts its threads, so they inherit the mask and
  // only sigwait below sees SIGTERM/SIGINT.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGTERM);
  sigaddset(&shutdown_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  simulator::server::ServiceOptions options;
  options.admin_enabled = flags.admin_enable;
  options.version = XEE_VERSION;
  options.revision = XEE_GIT_REVISION;
  options.clock_start = clock_start;
  options.clock_speed = flags.clock_speed;
  simulator::server::Service service(world, world_clock, wall_clock, *faults, options, logger);
  auto server = simulator::server::HttpServer::start(flags.listen_address, service, logger);
  if (!server) return usage_error("--web.listen-address: " + server.error().message);

  std::cout << "x_api_simulator listening on http://" << (*server)->address() << std::endl;
  logger.info("listening",
              {{"address", (*server)->address()},
               {"version", XEE_VERSION},
               {"clock_start",
                common::format_iso8601(std::chrono::floor<std::chrono::seconds>(clock_start))},
               {"clock_speed", std::to_string(flags.clock_speed)},
               {"admin", flags.admin_enable ? "enabled" : "disabled"},
               {"faults", simulator::server::faults_to_json(*faults)}});
  int received = 0;
  sigwait(&shutdown_signals, &received);
  logger.info("shutting down", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*server)->stop();
  logger.info("stopped");
  return 0;
}
