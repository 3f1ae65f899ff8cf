// Peak memory of a whole process that holds N Post series and serves one /metrics scrape over
// loopback, either as the exporter does (TotalsSection + HttpServer) or as an exporter built on
// prometheus-cpp would (Registry of gauges + Exposer). One process per measurement, so the peaks
// do not mix; bench/run.sh runs it for each combination.
//
//   xee_scrape_rss --impl=ours|prometheus-cpp --series=N --encoding=plain|gzip
//
// Prints one line: impl=… series=… encoding=… bytes=… scrape_seconds=… holding_rss_mib=…
// peak_rss_mib=… (holding: after the data is built, before the scrape; peak: VmHWM at the end).

#include <prometheus/exposer.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "bench/scrape_client.h"
#include "bench/series_fixture.h"
#include "exporter/http_server.h"

namespace {

double status_mib(std::string_view field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(field)) return std::stod(line.substr(field.size() + 1)) / 1024.0;
  }
  return -1;
}

struct Scrape {
  std::size_t bytes = 0;
  double seconds = 0;
};

Scrape scrape_once(int port, bool gzip) {
  xee::bench::ScrapeClient client(port, gzip);
  const auto start = std::chrono::steady_clock::now();
  const std::size_t bytes = client.scrape();
  return {bytes, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

std::string flag(int argc, char** argv, std::string_view name) {
  const std::string prefix = "--" + std::string(name) + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]).starts_with(prefix)) return argv[i] + prefix.size();
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string impl = flag(argc, argv, "impl");
  const std::string encoding = flag(argc, argv, "encoding");
  const std::string series_text = flag(argc, argv, "series");
  if ((impl != "ours" && impl != "prometheus-cpp") || (encoding != "plain" && encoding != "gzip") ||
      series_text.empty()) {
    std::fprintf(stderr,
                 "usage: xee_scrape_rss --impl=ours|prometheus-cpp --series=N "
                 "--encoding=plain|gzip\n");
    return 2;
  }
  const bool gzip = encoding == "gzip";
  const std::size_t series = std::stoul(series_text);

  double holding = 0;
  Scrape result;
  if (impl == "ours") {
    xee::store::SnapshotStore store;
    store.publish_totals(
        std::make_shared<const xee::store::TotalsSection>(xee::bench::make_totals(series)));
    const xee::store::Telemetry telemetry({"bench", "bench", "bench"});
    holding = status_mib("VmRSS:");
    xee::exporter::HttpServerOptions options;
    options.listen_address = "127.0.0.1:0";
    auto server = xee::exporter::HttpServer::start(options, store, telemetry, {});
    if (!server) {
      std::fprintf(stderr, "%s\n", server.error().message.c_str());
      return 1;
    }
    result = scrape_once((*server)->port(), gzip);
  } else {
    const auto registry = xee::bench::make_registry(xee::bench::make_totals(series));
    holding = status_mib("VmRSS:");
    prometheus::Exposer exposer("127.0.0.1:0");
    exposer.RegisterCollectable(registry);
    result = scrape_once(exposer.GetListeningPorts().front(), gzip);
  }
  if (result.bytes == 0) {
    std::fprintf(stderr, "the scrape failed\n");
    return 1;
  }
  std::printf(
      "impl=%s series=%zu encoding=%s bytes=%zu scrape_seconds=%.3f holding_rss_mib=%.1f "
      "peak_rss_mib=%.1f\n",
      impl.c_str(), series, encoding.c_str(), result.bytes, result.seconds, holding,
      status_mib("VmHWM:"));
  return 0;
}
