#pragma once
// The `backfill` and `report` subcommands as main() calls them: load the configuration, build the
// real client, pacer and progress, check the arguments, run. Exit codes as in backfill.h.

#include <string>

namespace xee::exporter {

struct HistoricalCommandFlags {
  std::string config_file;
  std::string from;
  std::string to;
  // As the main command: X's clock, which decides the last complete hour (--to's limit).
  std::string clock_start;
  double clock_speed = 1.0;
};

int run_backfill_command(const HistoricalCommandFlags& flags, const std::string& output,
                         const std::string& checkpoint);
// `format` is "csv" or "json"; `output` empty means stdout.
int run_report_command(const HistoricalCommandFlags& flags, const std::string& format,
                       const std::string& output);

}  // namespace xee::exporter
