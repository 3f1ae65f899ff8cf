// Fuzzes what the API client does with a /totals answer: decode_totals_response for a 200, and
// for an error status decode_error_messages then forbidden_post_ids (the stripping of Posts X
// refuses); decode_bearer_token_response reads the same kind of body from /oauth2/token. The
// requested IDs are the Post IDs found in the input, so decoding gets past "was not requested";
// the length's parity picks the owned (7 types) or public (5 types) request. On success the
// values must keep the promises of engagement_codec.h.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "collectors/client/engagement_codec.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace xee::collectors;

bool contains(std::span<const PostId> ids, PostId id) {
  for (const PostId known : ids) {
    if (known == id) return true;
  }
  return false;
}

std::uint32_t mask_of(std::span<const EngagementType> types) {
  std::uint32_t mask = 0;
  for (const EngagementType type : types) mask |= 1u << xee::wire::index_of(type);
  return mask;
}

void check_totals(const TotalsResponse& response, std::span<const PostId> ids,
                  std::span<const EngagementType> types) {
  const std::uint32_t requested = mask_of(types);
  for (std::size_t i = 0; i < response.posts.size(); ++i) {
    const auto& [id, values] = response.posts[i];
    XEE_FUZZ_REQUIRE(contains(ids, id));
    XEE_FUZZ_REQUIRE((values.present & ~requested) == 0);
    for (std::size_t j = 0; j < i; ++j) XEE_FUZZ_REQUIRE(response.posts[j].first != id);
  }
  for (const PostId id : response.unavailable) {
    XEE_FUZZ_REQUIRE(xee::wire::parse_post_id(xee::wire::format_post_id(id)) == id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = xee::fuzz::as_text(data, size);
  const bool utf8 = xee::fuzz::is_valid_utf8(body);
  const std::vector<PostId> ids = xee::fuzz::post_ids_in(body, xee::wire::kTotalsMaxIds);
  const std::span<const EngagementType> types =
      size % 2 == 0 ? std::span<const EngagementType>(xee::wire::kTotalsTypes)
                    : std::span<const EngagementType>(xee::wire::kPublicTypes);

  if (const auto totals = client::decode_totals_response(body, ids, types)) {
    check_totals(*totals, ids, types);
  } else {
    XEE_FUZZ_REQUIRE_ABOUT(xee::fuzz::is_log_line(totals.error().message, utf8),
                           totals.error().message);
  }
  if (const auto messages = client::decode_error_messages(body, xee::wire::Endpoint::totals)) {
    if (const auto forbidden = client::forbidden_post_ids(*messages)) {
      for (const PostId id : *forbidden) XEE_FUZZ_REQUIRE(id != 0);
    }
  }
  (void)client::decode_bearer_token_response(body);
  return 0;
}
