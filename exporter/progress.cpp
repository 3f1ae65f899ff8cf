#include "exporter/progress.h"

#include "common/time_format.h"

namespace xee::exporter {

std::string progress_text(const RunnerCounters& counters, std::optional<common::Millis> eta) {
  // "requests" counts units (one request each unless retried), so its total is known upfront.
  return "Posts " + std::to_string(counters.posts_done) + "/" +
         std::to_string(counters.posts_total) + "  windows " +
         std::to_string(counters.windows_done) + "/" + std::to_string(counters.windows_total) +
         "  requests " + std::to_string(counters.units_done) + "/" +
         std::to_string(counters.units_total) + "  ETA " +
         (eta ? common::format_duration(*eta) : std::string("?"));
}

ProgressReporter::ProgressReporter(std::ostream& out, bool terminal, const common::Clock& clock,
                                   common::Millis plain_interval)
    : out_(out),
      terminal_(terminal),
      clock_(clock),
      plain_interval_(plain_interval),
      started_(clock.now()) {}

std::optional<common::Millis> ProgressReporter::eta(const RunnerCounters& counters) const {
  if (counters.units_done == counters.units_total) return common::Millis{0};
  // Units skipped from a checkpoint cost nothing, so the rate is per request actually sent.
  if (counters.requests_sent == 0) return std::nullopt;
  const auto elapsed = std::chrono::duration_cast<common::Millis>(clock_.now() - started_);
  const auto remaining =
      static_cast<common::Millis::rep>(counters.units_total - counters.units_done);
  const auto per_request = elapsed / static_cast<common::Millis::rep>(counters.requests_sent);
  // Whole seconds: a redrawn ETA in milliseconds would flicker.
  return std::chrono::round<std::chrono::seconds>(per_request * remaining);
}

void ProgressReporter::update(const RunnerCounters& counters) {
  last_ = counters;
  const std::string text = progress_text(counters, eta(counters));
  if (terminal_) {
    // \033[K clears what a longer previous line left behind.
    out_ << "\r" << text << "\033[K" << std::flush;
    return;
  }
  const auto now = clock_.now();
  last_printed_ = false;
  if (last_plain_line_ && now - *last_plain_line_ < plain_interval_ &&
      counters.units_done != counters.units_total) {
    return;
  }
  last_plain_line_ = now;
  last_printed_ = true;
  out_ << "progress: " << text << "\n" << std::flush;
}

void ProgressReporter::finish() {
  if (terminal_) {
    if (last_) out_ << "\n" << std::flush;
    return;
  }
  if (last_ && !last_printed_) out_ << "progress: " << progress_text(*last_, eta(*last_)) << "\n";
  out_ << std::flush;
}

}  // namespace xee::exporter
