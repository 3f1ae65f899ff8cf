#include "bench/scrape_client.h"

namespace xee::bench {
namespace {

std::size_t count_body(char*, std::size_t size, std::size_t count, void* received) {
  *static_cast<std::size_t*>(received) += size * count;
  return size * count;
}

}  // namespace

ScrapeClient::ScrapeClient(int port, bool gzip, bool https)
    : curl_(curl_easy_init()),
      url_(std::string(https ? "https" : "http") + "://127.0.0.1:" + std::to_string(port) +
           "/metrics") {
  if (https) {
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (gzip) headers_ = curl_slist_append(headers_, "Accept-Encoding: gzip");
  curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, count_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &received_);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 120L);
}

ScrapeClient::~ScrapeClient() {
  curl_easy_cleanup(curl_);
  curl_slist_free_all(headers_);
}

std::size_t ScrapeClient::scrape() {
  received_ = 0;
  long status = 0;
  const CURLcode code = curl_easy_perform(curl_);
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
  return code == CURLE_OK && status == 200 ? received_ : 0;
}

}  // namespace xee::bench
