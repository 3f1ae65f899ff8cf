#pragma once
// The benchmarks' scraper: GETs /metrics over loopback with libcurl and throws the body away, so
// what is timed is the server (gzip bodies are not decoded: Accept-Encoding is sent by hand).

#include <curl/curl.h>

#include <cstddef>
#include <string>

#include "exporter/chunk_writer.h"

namespace xee::bench {

// Counts what it is given and keeps nothing.
class DiscardingSink final : public exporter::ExpositionSink {
 public:
  bool write(std::string_view bytes) override {
    bytes_ += bytes.size();
    return true;
  }
  std::size_t bytes() const { return bytes_; }

 private:
  std::size_t bytes_ = 0;
};

class ScrapeClient {
 public:
  // Keeps one connection open between scrapes, as Prometheus does; `https` without checking the
  // server certificate (the handshake happens once, before the timed scrapes).
  ScrapeClient(int port, bool gzip, bool https = false);
  ~ScrapeClient();
  ScrapeClient(const ScrapeClient&) = delete;
  ScrapeClient& operator=(const ScrapeClient&) = delete;

  // Body bytes received; 0 when the scrape failed (status other than 200 or a transport error).
  std::size_t scrape();

 private:
  CURL* curl_;
  curl_slist* headers_ = nullptr;
  std::string url_;
  std::size_t received_ = 0;
};

}  // namespace xee::bench
