#include "collectors/client/http_transport.h"

#include <curl/curl.h>

#include <array>
#include <mutex>

#include "common/text.h"

namespace xee::collectors::client {
namespace {

// curl_global_init is not safe to race with other libcurl calls, so it runs once, before the
// first handle, behind a magic static. It is never undone: handles may live until process exit.
bool curl_ready() {
  static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ready;
}

// What one transfer has received so far, filled by libcurl's callbacks.
struct Transfer {
  std::size_t max_bytes = 0;
  std::size_t received_bytes = 0;  // headers and decoded body, both count against the cap
  bool over_cap = false;
  HttpHeaders headers;
  std::string body;

  bool admit(std::size_t bytes) {
    received_bytes += bytes;
    over_cap = over_cap || received_bytes > max_bytes;
    return !over_cap;
  }
};

// Returning anything but `size` makes libcurl abort the transfer with CURLE_WRITE_ERROR.
std::size_t on_body(char* data, std::size_t, std::size_t size, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  if (!transfer.admit(size)) return 0;
  transfer.body.append(data, size);
  return size;
}

std::size_t on_header(char* data, std::size_t, std::size_t size, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  if (!transfer.admit(size)) return 0;
  const std::string_view line(data, size);
  // A status line starts a new response (after "100 Continue" or an informational reply); only
  // the final response's headers count.
  if (line.starts_with("HTTP/")) {
    transfer.headers.clear();
    return size;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size;
  std::string name = common::ascii_lower(common::trim_ascii(line.substr(0, colon)));
  const std::string_view value = common::trim_ascii(line.substr(colon + 1));
  auto [it, inserted] = transfer.headers.try_emplace(std::move(name), value);
  if (!inserted) {
    it->second += ", ";
    it->second += value;
  }
  return size;
}

// libcurl calls it at least once a second during a transfer; non-zero aborts the transfer.
int on_progress(void* cancelled, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(cancelled)->load() ? 1 : 0;
}

TransportErrorKind classify(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return TransportErrorKind::timeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return TransportErrorKind::connect;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportErrorKind::reset;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
      return TransportErrorKind::tls;
    case CURLE_ABORTED_BY_CALLBACK:
      return TransportErrorKind::cancelled;
    default:
      return TransportErrorKind::other;
  }
}

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

class HeaderList {
 public:
  ~HeaderList() { curl_slist_free_all(list_); }
  void add(const std::string& line) { list_ = curl_slist_append(list_, line.c_str()); }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

}  // namespace

std::string_view to_string(TransportErrorKind kind) {
  switch (kind) {
    case TransportErrorKind::timeout:
      return "timeout";
    case TransportErrorKind::connect:
      return "connect";
    case TransportErrorKind::reset:
      return "reset";
    case TransportErrorKind::tls:
      return "tls";
    case TransportErrorKind::cancelled:
      return "cancelled";
    case TransportErrorKind::other:
      return "other";
  }
  return "other";
}

std::string_view default_user_agent() {
  return "x-engagement-exporter/" XEE_VERSION;
}

struct CurlTransport::HandlePool {
  std::mutex mutex;
  std::vector<CURL*> idle;

  ~HandlePool() {
    for (CURL* handle : idle) curl_easy_cleanup(handle);
  }
  CURL* acquire() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }
  void release(CURL* handle) {
    std::lock_guard lock(mutex);
    idle.push_back(handle);
  }
};

CurlTransport::CurlTransport(CurlTransportOptions options)
    : options_(std::move(options)), pool_(std::make_unique<HandlePool>()) {}

CurlTransport::~CurlTransport() = default;

TransportResult CurlTransport::send(const HttpRequest& request) {
  const std::string where = request.method + " " + request.url;
  auto error = [&where](TransportErrorKind kind, std::string_view cause) {
    return tl::unexpected(TransportError{kind, where + ": " + std::string(cause)});
  };
  if (!curl_ready()) return error(TransportErrorKind::other, "libcurl failed to initialise");
  for (const auto& [name, value] : request.headers) {
    // A line break would let a value smuggle in extra headers.
    if (has_line_break(name) || has_line_break(value)) {
      return error(TransportErrorKind::other, "header '" + name + "' contains a line break");
    }
  }

  if (cancelled_.load()) return error(TransportErrorKind::cancelled, "shutting down");

  CURL* handle = pool_->acquire();
  if (handle == nullptr) return error(TransportErrorKind::other, "curl_easy_init failed");
  // Reset clears the previous request's options but keeps the handle's live connections.
  curl_easy_reset(handle);

  HeaderList headers;
  for (const auto& [name, value] : request.headers) headers.add(name + ": " + value);
  // libcurl would otherwise send "Expect: 100-continue" for large bodies (250 IDs is ~6 kB) and
  // wait up to a second for an interim reply that X does not send.
  headers.add("Expect:");

  Transfer transfer;
  transfer.max_bytes = options_.max_response_bytes;
  std::array<char, CURL_ERROR_SIZE> error_text{};

  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // signals are process-wide; we are threaded
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(handle, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_bundle_path.empty()) {
    curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_bundle_path.c_str());
  }
  // Rejects early when Content-Length already announces too much; the callbacks catch the rest.
  curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(options_.max_response_bytes));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text.data());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &cancelled_);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  if (request.method == "GET") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else {
    if (request.method != "POST") {
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
  }

  const CURLcode code = curl_easy_perform(handle);
  long new_connections = 0;
  curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &new_connections);
  connections_opened_ += new_connections;
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  // The handle goes back even after an error: libcurl drops a broken connection by itself.
  pool_->release(handle);

  if (code == CURLE_FILESIZE_EXCEEDED || transfer.over_cap) {
    return error(
        TransportErrorKind::other,
        "response exceeds the cap of " + std::to_string(options_.max_response_bytes) + " bytes");
  }
  if (code != CURLE_OK) {
    const std::string cause = error_text[0] != '\0' ? error_text.data() : curl_easy_strerror(code);
    return error(classify(code), cause + " (curl error " + std::to_string(code) + ")");
  }
  return HttpResponse{status, std::move(transfer.headers), std::move(transfer.body)};
}

}  // namespace xee::collectors::client
