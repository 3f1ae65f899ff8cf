#pragma once
// Progress of a backfill or report run: one line redrawn in place on a terminal, plain log lines
// (at most one every few seconds, and the last) when stderr goes to a file or pipe.

#include <optional>
#include <ostream>
#include <string>

#include "common/clock.h"
#include "exporter/historical_units.h"

namespace xee::exporter {

// "Posts 3/10  windows 1/2  requests 4/13  ETA 1m30s"; "ETA ?" before the first request.
std::string progress_text(const RunnerCounters& counters, std::optional<common::Millis> eta);

class ProgressReporter {
 public:
  ProgressReporter(std::ostream& out, bool terminal, const common::Clock& clock,
                   common::Millis plain_interval = common::Millis{5000});
  void update(const RunnerCounters& counters);
  // Ends the redrawn line (or prints the last state when not on a terminal).
  void finish();

 private:
  std::optional<common::Millis> eta(const RunnerCounters& counters) const;

  std::ostream& out_;
  const bool terminal_;
  const common::Clock& clock_;
  const common::Millis plain_interval_;
  const common::TimePoint started_;
  std::optional<common::TimePoint> last_plain_line_;
  std::optional<RunnerCounters> last_;
  bool last_printed_ = false;
};

}  // namespace xee::exporter
