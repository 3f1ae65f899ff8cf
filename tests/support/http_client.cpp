#include "tests/support/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <thread>

#include "common/gzip.h"
#include "tests/support/time_scale.h"

namespace xee::test_support {
namespace {

// curl_global_init is not thread-safe; run it once before the first handle.
void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

size_t append_body(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

// Called once per header line, including the status line and the blank line that ends them.
size_t append_header(char* data, size_t size, size_t count, void* target) {
  auto* headers = static_cast<HttpHeaders*>(target);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    headers->clear();  // a new response (after 100-continue or a redirect) starts over
  } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    headers->emplace_back(std::string(trim(line.substr(0, colon))),
                          std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

}  // namespace

std::optional<std::string> HttpResult::header(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) found = value;
  }
  return found;
}

namespace {

long curl_version(HttpTlsOptions::Version version, bool maximum) {
  switch (version) {
    case HttpTlsOptions::Version::any:
      return maximum ? long{CURL_SSLVERSION_MAX_DEFAULT} : long{CURL_SSLVERSION_DEFAULT};
    case HttpTlsOptions::Version::tls11:
      return maximum ? long{CURL_SSLVERSION_MAX_TLSv1_1} : long{CURL_SSLVERSION_TLSv1_1};
    case HttpTlsOptions::Version::tls12:
      return maximum ? long{CURL_SSLVERSION_MAX_TLSv1_2} : long{CURL_SSLVERSION_TLSv1_2};
    case HttpTlsOptions::Version::tls13:
      return maximum ? long{CURL_SSLVERSION_MAX_TLSv1_3} : long{CURL_SSLVERSION_TLSv1_3};
  }
  return CURL_SSLVERSION_DEFAULT;
}

void set_tls_options(CURL* curl, const HttpTlsOptions& tls) {
  if (tls.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CAINFO, tls.ca_file.c_str());
  }
  if (!tls.cert_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, tls.cert_file.c_str());
  if (!tls.key_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, tls.key_file.c_str());
  if (!tls.cipher_list.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, tls.cipher_list.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_SSLVERSION,
                   curl_version(tls.min_version, false) | curl_version(tls.max_version, true));
  curl_easy_setopt(curl, CURLOPT_CERTINFO, 1L);
}

// libcurl tells the negotiated version only in its verbose text: "SSL connection using TLSv1.3 /
// TLS_AES_256_GCM_SHA384".
int record_tls_version(CURL* /*curl*/, curl_infotype type, char* data, size_t size, void* target) {
  constexpr std::string_view kPrefix = "SSL connection using ";
  const std::string_view text(data, size);
  if (type == CURLINFO_TEXT && text.starts_with(kPrefix)) {
    const std::string_view rest = text.substr(kPrefix.size());
    *static_cast<std::string*>(target) = std::string(rest.substr(0, rest.find(' ')));
  }
  return 0;
}

// The server certificate's subject, from what libcurl recorded (CURLOPT_CERTINFO).
void read_peer_subject(CURL* curl, HttpResult& result) {
  curl_certinfo* certificates = nullptr;
  if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &certificates) != CURLE_OK ||
      certificates == nullptr || certificates->num_of_certs == 0) {
    return;
  }
  constexpr std::string_view kSubject = "Subject:";
  for (curl_slist* field = certificates->certinfo[0]; field != nullptr; field = field->next) {
    const std::string_view text = field->data;
    if (text.starts_with(kSubject)) result.peer_subject = std::string(text.substr(kSubject.size()));
  }
}

}  // namespace

HttpResult http_request(std::string_view method, const std::string& url, std::string_view body,
                        const HttpRequestOptions& options) {
  ensure_curl_initialised();
  HttpResult result;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    result.transport_error = "curl_easy_init failed";
    return result;
  }
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : options.headers) {
    header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  }
  const std::string method_text(method);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method_text.c_str());
  if (method_text == "GET") curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  if (!body.empty() || method_text == "POST" || method_text == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);

  char error_detail[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_detail);
  const bool https = url.starts_with("https://");
  if (https) {
    set_tls_options(curl, options.tls);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, record_tls_version);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &result.tls_version);
  }

  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  if (https) read_peer_subject(curl, result);
  result.curl_code = static_cast<int>(code);
  if (code != CURLE_OK) {
    // The detail names the cause ("...alert protocol version"); the code's text is generic.
    result.transport_error = error_detail[0] != '\0' ? error_detail : curl_easy_strerror(code);
  }
  curl_slist_free_all(header_list);
  curl_easy_cleanup(curl);

  const auto encoding = result.header("Content-Encoding");
  if (options.decode_gzip && encoding && iequals(*encoding, "gzip")) {
    if (auto decoded = common::gzip_decompress(result.body)) {
      result.body = std::move(*decoded);
    } else {
      result.decode_error = decoded.error().message;
    }
  }
  return result;
}

HttpResult http_get(const std::string& url, const HttpRequestOptions& options) {
  return http_request("GET", url, "", options);
}

HttpResult http_post(const std::string& url, std::string_view body,
                     const HttpRequestOptions& options) {
  return http_request("POST", url, body, options);
}

Result<long> wait_until_answers(const std::string& url, std::chrono::milliseconds timeout,
                                const std::function<bool()>& still_alive,
                                const std::vector<long>& expected, const HttpTlsOptions& tls) {
  const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
  HttpRequestOptions options;
  options.timeout = std::chrono::milliseconds(1000);
  options.tls = tls;
  std::string last_error = "no attempt made";
  while (std::chrono::steady_clock::now() < deadline) {
    if (still_alive && !still_alive()) return fail("the server exited before " + url + " answered");
    const HttpResult result = http_get(url, options);
    if (std::find(expected.begin(), expected.end(), result.status) != expected.end()) {
      return result.status;
    }
    last_error =
        result.status != 0 ? "status " + std::to_string(result.status) : result.transport_error;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return fail("no answer from " + url + " within " + std::to_string(timeout.count()) +
              " ms (last error: " + last_error + ")");
}

}  // namespace xee::test_support
