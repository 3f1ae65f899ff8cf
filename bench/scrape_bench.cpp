// Time per /metrics scrape at 100k and 1M Post series: the exporter's exposition (plain, gzip at
// each candidate level on the first scrape after a publish, gzip on later scrapes) into a
// discarding sink and through its HTTP server over loopback (HTTP, and HTTPS with TLS 1.3),
// against prometheus-cpp's Registry + TextSerializer (in process and behind its Exposer) holding
// the same series. bench/run.sh runs it and prints the comparison; see docs/benchmarks.md.
//
//   xee_scrape_bench [--sizes=100000,1000000] [--rss=FILE] [Google Benchmark flags]
//
// After the runs it prints a Markdown table per size (ours, prometheus-cpp, ratio, target); FILE
// holds xee_scrape_rss output lines whose peak RSS figures join the table.

#include <benchmark/benchmark.h>
#include <prometheus/exposer.h>
#include <prometheus/text_serializer.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench/scrape_client.h"
#include "bench/series_fixture.h"
#include "exporter/deflate_sink.h"
#include "exporter/exposition.h"
#include "exporter/http_server.h"

namespace xee::bench {
namespace {

// One data set per size, built on first use and kept for every benchmark of that size.
struct World {
  explicit World(std::size_t series)
      : section(std::make_shared<const store::TotalsSection>(make_totals(series))),
        twin(std::make_shared<const store::TotalsSection>(*section)) {
    store.publish_totals(section);
  }
  std::shared_ptr<prometheus::Registry> registry() {
    if (!prometheus_registry) prometheus_registry = make_registry(*section);
    return prometheus_registry;
  }
  // Publishes the other of two equal sections, as a collector does after each round: the next
  // gzip scrape finds its compressed Post families stale and compresses them again.
  void republish() {
    published_twin = !published_twin;
    store.publish_totals(published_twin ? twin : section);
  }

  std::shared_ptr<const store::TotalsSection> section;
  std::shared_ptr<const store::TotalsSection> twin;
  bool published_twin = false;
  store::SnapshotStore store;
  store::Telemetry telemetry{{"bench", "bench", "bench"}};
  std::shared_ptr<prometheus::Registry> prometheus_registry;
};

World& world(std::size_t series) {
  static std::map<std::size_t, std::unique_ptr<World>> worlds;
  auto& slot = worlds[series];
  if (!slot) slot = std::make_unique<World>(series);
  return *slot;
}

void report(benchmark::State& state, const World& data, std::size_t bytes) {
  state.counters["series"] = static_cast<double>(series_of(*data.section));
  state.counters["bytes"] = static_cast<double>(bytes);
}

// Plain; gzip at the first scrape after a publish (cold: Post families compressed in the scrape,
// unless the server compresses them at publish time as the exporter does); gzip at later scrapes
// (warm: only the telemetry is compressed).
enum class Encoding { plain, gzip_cold, gzip_warm };

// Whether the server compresses each published section on the publishing thread, as the running
// exporter wires it (exporter_app.cpp), or leaves it to the first gzip scrape.
enum class PublishTime { compress, leave };

void republish_untimed(benchmark::State& state, World& data) {
  state.PauseTiming();
  data.republish();
  state.ResumeTiming();
}

void ours_in_process(benchmark::State& state, std::size_t series, Encoding encoding, int level) {
  World& data = world(series);
  const exporter::Exposition exposition(exporter::ExpositionOptions{});
  const auto scrape = [&](DiscardingSink& sink) {
    if (encoding == Encoding::plain) {
      exposition.write(data.store.snapshot(), data.telemetry.collect(), sink);
    } else {
      exposition.write_gzip(data.store.snapshot(), data.telemetry.collect(), sink, level);
    }
    return sink.bytes();
  };
  DiscardingSink warm_up;
  scrape(warm_up);
  std::size_t bytes = 0;
  for (auto _ : state) {
    if (encoding == Encoding::gzip_cold) republish_untimed(state, data);
    DiscardingSink discard;
    bytes = scrape(discard);
  }
  report(state, data, bytes);
}

void scrape_loop(benchmark::State& state, World& data, int port, Encoding encoding,
                 bool https = false) {
  ScrapeClient client(port, encoding != Encoding::plain, https);
  std::size_t bytes = client.scrape();  // warms caches and opens the kept-alive connection
  for (auto _ : state) {
    if (encoding == Encoding::gzip_cold) republish_untimed(state, data);
    bytes = client.scrape();
    if (bytes == 0) state.SkipWithError("scrape failed");
  }
  report(state, data, bytes);
}

// A self-signed P-256 certificate for the HTTPS runs, made once by the openssl tool.
std::optional<common::TlsServerSettings> bench_tls() {
  static const std::optional<common::TlsServerSettings> settings =
      []() -> std::optional<common::TlsServerSettings> {
    char dir[] = "/tmp/xee-bench-tls-XXXXXX";
    if (mkdtemp(dir) == nullptr) return std::nullopt;
    const std::string base(dir);
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "
        "/CN=bench -keyout " +
        base + "/key.pem -out " + base + "/cert.pem 2>/dev/null";
    if (std::system(command.c_str()) != 0) return std::nullopt;
    common::TlsServerSettings tls;
    tls.cert_file = base + "/cert.pem";
    tls.key_file = base + "/key.pem";
    return tls;
  }();
  return settings;
}

void ours_http(benchmark::State& state, std::size_t series, Encoding encoding,
               PublishTime publish_time = PublishTime::compress, bool https = false) {
  World& data = world(series);
  exporter::HttpServerOptions options;
  options.listen_address = "127.0.0.1:0";
  if (https) {
    options.tls = bench_tls();
    if (!options.tls) {
      state.SkipWithError("cannot make a certificate with the openssl tool");
      return;
    }
  }
  auto server = exporter::HttpServer::start(options, data.store, data.telemetry, {});
  if (!server) {
    state.SkipWithError(server.error().message.c_str());
    return;
  }
  if (publish_time == PublishTime::compress) {
    // Untimed, like every republish: in the exporter it runs on the collector's thread.
    data.store.set_totals_listener(
        [&server](const std::shared_ptr<const store::TotalsSection>& section) {
          (*server)->precompress(section);
        });
  }
  scrape_loop(state, data, (*server)->port(), encoding, https);
  data.store.set_totals_listener({});
}

void prometheus_cpp_in_process(benchmark::State& state, std::size_t series) {
  World& data = world(series);
  const auto registry = data.registry();
  std::size_t bytes = 0;
  for (auto _ : state) {
    // What prometheus-cpp's Exposer does per scrape: collect, then serialize into one string.
    const std::string text = prometheus::TextSerializer().Serialize(registry->Collect());
    bytes = text.size();
  }
  report(state, data, bytes);
}

void prometheus_cpp_http(benchmark::State& state, std::size_t series, Encoding encoding) {
  World& data = world(series);
  prometheus::Exposer exposer("127.0.0.1:0");
  exposer.RegisterCollectable(data.registry());
  scrape_loop(state, data, exposer.GetListeningPorts().front(), encoding);
}

struct Arguments {
  std::vector<std::size_t> sizes{100000, 1000000};
  std::string rss_file;
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments arguments;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--rss=")) {
      arguments.rss_file = std::string(arg.substr(6));
    } else if (arg.starts_with("--sizes=")) {
      arguments.sizes.clear();
      std::stringstream list{std::string(arg.substr(8))};
      for (std::string item; std::getline(list, item, ',');) {
        arguments.sizes.push_back(std::stoul(item));
      }
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      std::exit(2);
    }
  }
  return arguments;
}

// Milliseconds per iteration and body bytes of every finished run, by registered name.
struct Measurement {
  double milliseconds = 0;
  double bytes = 0;
};

class CollectingReporter final : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const auto bytes = run.counters.find("bytes");
      results[run.run_name.function_name] = {
          run.GetAdjustedRealTime(), bytes == run.counters.end() ? 0.0 : bytes->second.value};
    }
  }
  std::map<std::string, Measurement> results;
};

// "impl=ours series=100000 encoding=plain … peak_rss_mib=41.2" lines -> peak MiB by
// "rss/impl/encoding/series:N".
std::map<std::string, double> read_peak_rss(const std::string& path) {
  std::map<std::string, double> peaks;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::map<std::string, std::string> fields;
    std::stringstream words(line);
    for (std::string word; words >> word;) {
      const std::size_t equals = word.find('=');
      if (equals != std::string::npos) fields[word.substr(0, equals)] = word.substr(equals + 1);
    }
    if (fields.contains("peak_rss_mib")) {
      peaks["rss/" + fields["impl"] + "/" + fields["encoding"] + "/series:" + fields["series"]] =
          std::stod(fields["peak_rss_mib"]);
    }
  }
  return peaks;
}

std::string cell(const std::map<std::string, double>& values, const std::string& key) {
  const auto found = values.find(key);
  if (found == values.end()) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", found->second);
  return text;
}

void print_row(std::string_view what, const std::map<std::string, double>& values,
               const std::string& ours, const std::string& theirs, std::string_view target) {
  std::string ratio = "n/a";
  if (values.contains(ours) && values.contains(theirs) && values.at(ours) > 0) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1fx", values.at(theirs) / values.at(ours));
    ratio = text;
  }
  std::printf("| %.*s | %s | %s | %s | %.*s |\n", static_cast<int>(what.size()), what.data(),
              cell(values, ours).c_str(), cell(values, theirs).c_str(), ratio.c_str(),
              static_cast<int>(target.size()), target.data());
}

void print_summary(const Arguments& arguments, const std::map<std::string, Measurement>& results) {
  std::map<std::string, double> values = read_peak_rss(arguments.rss_file);
  for (const auto& [name, measurement] : results) values[name] = measurement.milliseconds;
  for (const std::size_t series : arguments.sizes) {
    const std::string size = "/series:" + std::to_string(series);
    const bool large = series >= 1'000'000;
    std::printf("\n### %zu series (%zu Posts x %zu)\n\n", series,
                (series + kSeriesPerPost - 1) / kSeriesPerPost, kSeriesPerPost);
    std::printf("| measurement | ours | prometheus-cpp | prometheus-cpp / ours | target (1M) |\n");
    std::printf("|---|---|---|---|---|\n");
    print_row("scrape, plain, in process (ms)", values, "ours/plain" + size,
              "prometheus-cpp/plain" + size, large ? ">= 8x" : "");
    print_row("scrape, plain, over HTTP (ms)", values, "ours/http_plain" + size,
              "prometheus-cpp/http_plain" + size, large ? "ours <= 200 ms, >= 8x" : "");
    print_row("scrape, gzip, over HTTP, first after a publish (ms)", values,
              "ours/http_gzip_cold" + size, "prometheus-cpp/http_gzip" + size,
              large ? "ours <= 600 ms" : "");
    print_row("scrape, plain, over HTTPS, TLS 1.3 (ms)", values, "ours/https_plain" + size,
              "prometheus-cpp/http_plain" + size, "");
    print_row("scrape, gzip, over HTTPS, later scrapes (ms)", values, "ours/https_gzip_warm" + size,
              "prometheus-cpp/http_gzip" + size, "");
    print_row("  the same, compressing in the scrape instead of at publish (ms)", values,
              "ours/http_gzip_cold_in_scrape" + size, "prometheus-cpp/http_gzip" + size, "");
    print_row("scrape, gzip, over HTTP, later scrapes (ms)", values, "ours/http_gzip_warm" + size,
              "prometheus-cpp/http_gzip" + size, large ? "ours <= 600 ms" : "");
    print_row("peak RSS, one plain scrape (MiB)", values, "rss/ours/plain" + size,
              "rss/prometheus-cpp/plain" + size, large ? "ours <= 250 MB" : "");
    print_row("peak RSS, one gzip scrape (MiB)", values, "rss/ours/gzip" + size,
              "rss/prometheus-cpp/gzip" + size, large ? "ours <= 250 MB" : "");
    std::printf("\ngzip level, first scrape after a publish, in process: ");
    for (const int level : {1, 2, 3, 6}) {
      const auto found = results.find("ours/gzip_cold_level:" + std::to_string(level) + size);
      if (found == results.end()) continue;
      std::printf("level %d %.1f ms %.0f bytes; ", level, found->second.milliseconds,
                  found->second.bytes);
    }
    const auto plain = results.find("ours/plain" + size);
    if (plain != results.end()) std::printf("plain %.0f bytes", plain->second.bytes);
    std::printf("\n");
  }
}

void register_benchmarks(const std::vector<std::size_t>& sizes) {
  for (const std::size_t series : sizes) {
    const bool large = series >= 1'000'000;
    const std::string suffix = "/series:" + std::to_string(series);
    const auto add = [](const std::string& name, int iterations, auto&& run) {
      benchmark::RegisterBenchmark(name.c_str(), run)
          ->Iterations(iterations)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    };
    add("ours/plain" + suffix, large ? 10 : 50,
        [series](benchmark::State& state) { ours_in_process(state, series, Encoding::plain, 0); });
    for (const int level : {1, 2, 3, 6}) {
      add("ours/gzip_cold_level:" + std::to_string(level) + suffix, large ? 4 : 20,
          [series, level](benchmark::State& state) {
            ours_in_process(state, series, Encoding::gzip_cold, level);
          });
    }
    add("ours/gzip_warm" + suffix, large ? 10 : 50, [series](benchmark::State& state) {
      ours_in_process(state, series, Encoding::gzip_warm, exporter::kScrapeGzipLevel);
    });
    add("ours/http_plain" + suffix, large ? 6 : 30,
        [series](benchmark::State& state) { ours_http(state, series, Encoding::plain); });
    add("ours/http_gzip_cold" + suffix, large ? 4 : 20,
        [series](benchmark::State& state) { ours_http(state, series, Encoding::gzip_cold); });
    add("ours/http_gzip_cold_in_scrape" + suffix, large ? 4 : 20,
        [series](benchmark::State& state) {
          ours_http(state, series, Encoding::gzip_cold, PublishTime::leave);
        });
    add("ours/http_gzip_warm" + suffix, large ? 6 : 30,
        [series](benchmark::State& state) { ours_http(state, series, Encoding::gzip_warm); });
    add("ours/https_plain" + suffix, large ? 6 : 30, [series](benchmark::State& state) {
      ours_http(state, series, Encoding::plain, PublishTime::compress, true);
    });
    add("ours/https_gzip_warm" + suffix, large ? 6 : 30, [series](benchmark::State& state) {
      ours_http(state, series, Encoding::gzip_warm, PublishTime::compress, true);
    });
    add("prometheus-cpp/plain" + suffix, large ? 2 : 5,
        [series](benchmark::State& state) { prometheus_cpp_in_process(state, series); });
    add("prometheus-cpp/http_plain" + suffix, large ? 2 : 5,
        [series](benchmark::State& state) { prometheus_cpp_http(state, series, Encoding::plain); });
    add("prometheus-cpp/http_gzip" + suffix, large ? 2 : 5, [series](benchmark::State& state) {
      prometheus_cpp_http(state, series, Encoding::gzip_warm);
    });
  }
}

}  // namespace
}  // namespace xee::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const auto arguments = xee::bench::parse_arguments(argc, argv);
  xee::bench::register_benchmarks(arguments.sizes);
  xee::bench::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  xee::bench::print_summary(arguments, reporter.results);
  return 0;
}
