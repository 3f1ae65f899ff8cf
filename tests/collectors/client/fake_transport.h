#pragma once
// An HttpTransport for client tests: canned replies handed out in order, every request kept.

#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/client/http_transport.h"

namespace xee::collectors::client::testing {

class FakeTransport final : public HttpTransport {
 public:
  // With no reply left, answers as a transport that got no response.
  TransportResult send(const HttpRequest& request) override {
    requests.push_back(request);
    if (replies.empty())
      return tl::unexpected(TransportError{TransportErrorKind::other, "no reply"});
    TransportResult reply = std::move(replies.front());
    replies.pop_front();
    return reply;
  }
  void reply(long status, std::string body, HttpHeaders headers = {}) {
    replies.emplace_back(HttpResponse{status, std::move(headers), std::move(body)});
  }

  std::vector<HttpRequest> requests;
  std::deque<TransportResult> replies;
};

// The value of the request's header `name`, or "<absent>".
inline std::string header(const HttpRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "<absent>";
}

}  // namespace xee::collectors::client::testing
