#include "exporter/backfill.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "collectors/post_id_list.h"
#include "exporter/openmetrics_writer.h"

namespace xee::exporter {
namespace {

constexpr std::string_view kCheckpointHeader = "x_engagement_exporter backfill checkpoint v1";

struct CheckpointState {
  std::map<std::size_t, std::string> done;  // unit index -> unit prefix
};

std::string plan_line(const HistoricalPlan& plan) {
  return "plan " + plan.fingerprint();
}

// Reads an existing checkpoint; a missing file is an empty state. A checkpoint of another plan
// is refused: resuming it would mix two runs' samples.
Result<CheckpointState> read_checkpoint(const std::string& path, const HistoricalPlan& plan) {
  CheckpointState state;
  std::ifstream in(path, std::ios::binary);
  if (!in) return state;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.empty()) return state;
  std::istringstream lines(text);
  std::string header;
  std::string recorded_plan;
  std::getline(lines, header);
  std::getline(lines, recorded_plan);
  if (header != kCheckpointHeader) {
    return fail(path + ":1: not a backfill checkpoint (expected \"" +
                std::string(kCheckpointHeader) + "\"); remove it or pass another --checkpoint");
  }
  if (recorded_plan != plan_line(plan)) {
    return fail(path + ":2: this checkpoint belongs to a backfill with other arguments (" +
                recorded_plan + ", now " + plan_line(plan) +
                "); rerun with the original --from/--to and configuration, or remove the "
                "checkpoint (and the .parts folder) to start over");
  }
  std::string line;
  std::size_t line_number = 2;
  while (std::getline(lines, line)) {
    ++line_number;
    // A line cut short by a crash has no newline; getline cannot tell, so the text's end can.
    const bool complete = lines.good() || (!text.empty() && text.back() == '\n');
    std::istringstream fields(line);
    std::string keyword;
    std::size_t index = 0;
    std::string prefix;
    if (!complete || !(fields >> keyword >> index >> prefix) || keyword != "done" ||
        index >= plan.units.size()) {
      continue;  // torn or foreign lines only cost a refetch
    }
    state.done[index] = prefix;
  }
  return state;
}

Result<void> append_line(const std::string& path, const std::string& line) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << line << "\n";
  out.flush();
  if (!out) return fail("cannot write the checkpoint " + path + ": " + std::strerror(errno));
  return {};
}

bool unit_files_exist(const std::string& prefix) {
  for (const HourlyFamily family : kHourlyFamilies) {
    if (!std::filesystem::exists(family_file(prefix, family))) return false;
  }
  return true;
}

void remove_quietly(const std::filesystem::path& path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

}  // namespace

void report_skipped_posts(const HistoricalPlan& plan, std::ostream& messages) {
  if (!plan.unowned.empty()) {
    messages << "skipping " << plan.unowned.size()
             << " Posts without an account in the configuration: X serves hourly data for owned "
                "Posts only: "
             << collectors::comma_separated_post_ids(plan.unowned) << "\n";
  }
  if (!plan.without_tokens.empty()) {
    messages << "skipping " << plan.without_tokens.size()
             << " Posts whose account has no usable tokens (app consumer key and secret, and the "
                "account's access token and secret, are all needed): "
             << collectors::comma_separated_post_ids(plan.without_tokens) << "\n";
  }
}

std::vector<UnitFailure> run_plan(const HistoricalPlan& plan, HistoricalContext& context,
                                  RunnerHooks hooks, std::string_view consequence) {
  if (context.progress) {
    hooks.on_progress = [&](const RunnerCounters& counters) { context.progress->update(counters); };
  }
  auto failures = run_units(plan, context.api, context.pacer, context.telemetry, context.user_auth,
                            context.runner, hooks);
  if (context.progress) context.progress->finish();
  if (!failures.empty()) {
    context.messages << failures.size() << " of " << plan.units.size() << " requests failed; "
                     << consequence << ":\n";
    for (const UnitFailure& failure : failures) {
      context.messages << "  " << describe_failure(plan, failure) << "\n";
    }
  }
  return failures;
}

int run_backfill(const HistoricalPlan& plan, const BackfillOptions& options,
                 HistoricalContext& context) {
  const std::string checkpoint_path =
      options.checkpoint.empty() ? options.output + ".checkpoint" : options.checkpoint;
  const std::filesystem::path parts_dir = options.output + ".parts";
  report_skipped_posts(plan, context.messages);

  auto state = read_checkpoint(checkpoint_path, plan);
  if (!state) {
    context.messages << state.error().message << "\n";
    return kExitUsage;
  }
  std::error_code created;
  std::filesystem::create_directories(parts_dir, created);
  if (created) {
    context.messages << "cannot create " << parts_dir.string() << ": " << created.message() << "\n";
    return kExitFailed;
  }
  if (state->done.empty()) {
    std::ofstream fresh(checkpoint_path, std::ios::binary | std::ios::trunc);
    fresh << kCheckpointHeader << "\n" << plan_line(plan) << "\n";
    if (!fresh.flush()) {
      context.messages << "cannot write the checkpoint " << checkpoint_path << "\n";
      return kExitFailed;
    }
  } else {
    context.messages << "resuming from " << checkpoint_path << ": " << state->done.size() << " of "
                     << plan.units.size() << " requests already done\n";
  }

  RunnerHooks hooks;
  hooks.already_done = [&](std::size_t index) {
    const auto found = state->done.find(index);
    return found != state->done.end() && unit_files_exist(found->second);
  };
  hooks.on_answer = [&](std::size_t index,
                        const collectors::TimeSeriesResponse& response) -> Result<void> {
    const std::string prefix = (parts_dir / ("unit-" + std::to_string(index))).string();
    if (auto written = write_unit_samples(prefix, response.counts); !written) return written;
    if (!response.unavailable.empty()) {
      context.messages << "X reports these Posts as unavailable (deleted, protected or "
                          "suspended): "
                       << collectors::comma_separated_post_ids(response.unavailable) << "\n";
    }
    state->done[index] = prefix;
    return append_line(checkpoint_path, "done " + std::to_string(index) + " " + prefix);
  };
  const std::string consequence =
      "rerun the same command to fetch only these (the others are kept in " + checkpoint_path + ")";
  if (!run_plan(plan, context, std::move(hooks), consequence).empty()) {
    return kExitFailed;
  }
  std::vector<std::string> prefixes;
  prefixes.reserve(plan.units.size());
  for (std::size_t index = 0; index < plan.units.size(); ++index) {
    prefixes.push_back(state->done.at(index));
  }
  if (auto assembled = assemble_openmetrics(prefixes, options.output); !assembled) {
    context.messages << assembled.error().message << "\n";
    return kExitFailed;
  }
  remove_quietly(parts_dir);
  remove_quietly(checkpoint_path);
  context.messages << "wrote " << options.output << ": " << plan.owned_posts.size() << " Posts, "
                   << plan.units.size() << " requests; import it with: promtool tsdb "
                   << "create-blocks-from openmetrics " << options.output << " <data dir>\n";
  return kExitOk;
}

}  // namespace xee::exporter
