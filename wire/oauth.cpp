#include "wire/oauth.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace xee::wire::oauth {
namespace {

constexpr std::string_view kHex = "0123456789ABCDEF";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string percent_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) return fail("malformed percent-escape at offset " + std::to_string(i));
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

Result<Params> parse_query(std::string_view query) {
  Params params;
  size_t pos = 0;
  while (pos < query.size()) {
    size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(pos, end - pos);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      auto key = percent_decode(pair.substr(0, eq));
      auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
      if (!key) return tl::unexpected(key.error());
      if (!value) return tl::unexpected(value.error());
      params.emplace_back(std::move(*key), std::move(*value));
    }
    pos = end + 1;
  }
  return params;
}

std::string base_string_uri(std::string_view url) {
  std::string_view rest = url.substr(0, url.find_first_of("?#"));
  const size_t scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos) return std::string(rest);
  const std::string scheme = to_lower(rest.substr(0, scheme_end));
  rest.remove_prefix(scheme_end + 3);
  const size_t path_start = rest.find('/');
  std::string authority = to_lower(rest.substr(0, path_start));
  const std::string_view path =
      path_start == std::string_view::npos ? "/" : rest.substr(path_start);
  if ((scheme == "http" && authority.ends_with(":80")) ||
      (scheme == "https" && authority.ends_with(":443"))) {
    authority.resize(authority.rfind(':'));
  }
  return scheme + "://" + authority + std::string(path);
}

std::string signature_base_string(std::string_view method, std::string_view url,
                                  const Params& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& [key, value] : params) {
    encoded.emplace_back(percent_encode(key), percent_encode(value));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string joined;
  for (const auto& [key, value] : encoded) {
    if (!joined.empty()) joined += '&';
    joined += key;
    joined += '=';
    joined += value;
  }
  std::string method_upper(method);
  std::transform(method_upper.begin(), method_upper.end(), method_upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return method_upper + "&" + percent_encode(base_string_uri(url)) + "&" + percent_encode(joined);
}

std::string hmac_sha1_base64(std::string_view key, std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data(), &length);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(written));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return fail("base64: length is not a multiple of 4");
  std::string out(3 * text.size() / 4, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) return fail("base64: invalid character");
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<size_t>(written) - padding);
  return out;
}

std::string body_hash(std::string_view body) {
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data());
  return base64_encode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string sign(std::string_view method, std::string_view url, const Params& oauth_params,
                 std::string_view consumer_secret, std::string_view token_secret) {
  Params all = oauth_params;
  const size_t query_start = url.find('?');
  if (query_start != std::string_view::npos) {
    auto query = parse_query(url.substr(query_start + 1));
    if (query) all.insert(all.end(), query->begin(), query->end());
  }
  const std::string key = percent_encode(consumer_secret) + "&" + percent_encode(token_secret);
  return hmac_sha1_base64(key, signature_base_string(method, url, all));
}

std::string authorization_header(std::string_view method, std::string_view url,
                                 const Credentials& credentials, std::string_view nonce,
                                 std::int64_t timestamp, const Params& extra_oauth_params) {
  Params params{
      {"oauth_consumer_key", credentials.consumer_key},
      {"oauth_nonce", std::string(nonce)},
      {"oauth_signature_method", "HMAC-SHA1"},
      {"oauth_timestamp", std::to_string(timestamp)},
      {"oauth_version", "1.0"},
  };
  // RFC 5849 §3.1: without a resource owner the parameter is left out, as requests-oauthlib
  // does for X's Gnip-Insights-Interface (consumer key and secret only, public /totals metrics).
  if (!credentials.token.empty()) params.emplace_back("oauth_token", credentials.token);
  params.insert(params.end(), extra_oauth_params.begin(), extra_oauth_params.end());
  params.emplace_back("oauth_signature", sign(method, url, params, credentials.consumer_secret,
                                              credentials.token_secret));
  std::sort(params.begin(), params.end());
  std::string header = "OAuth ";
  for (size_t i = 0; i < params.size(); ++i) {
    if (i > 0) header += ", ";
    header += percent_encode(params[i].first);
    header += "=\"";
    header += percent_encode(params[i].second);
    header += '"';
  }
  return header;
}

Result<Params> parse_authorization_header(std::string_view value) {
  if (value.size() < 6 || to_lower(value.substr(0, 6)) != "oauth ") {
    return fail("Authorization header is not of the OAuth scheme");
  }
  Params params;
  size_t pos = 6;
  while (pos < value.size()) {
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == ',')) ++pos;
    if (pos >= value.size()) break;
    const size_t eq = value.find('=', pos);
    if (eq == std::string_view::npos) {
      return fail("OAuth header: parameter without '=' at offset " + std::to_string(pos));
    }
    const std::string_view key = value.substr(pos, eq - pos);
    if (eq + 1 >= value.size() || value[eq + 1] != '"') {
      return fail("OAuth header: value of '" + std::string(key) + "' is not quoted");
    }
    const size_t close = value.find('"', eq + 2);
    if (close == std::string_view::npos) {
      return fail("OAuth header: value of '" + std::string(key) + "' has no closing quote");
    }
    auto decoded_key = percent_decode(key, false);
    auto decoded_value = percent_decode(value.substr(eq + 2, close - eq - 2), false);
    if (!decoded_key || !decoded_value) {
      return fail("OAuth header: malformed percent-escape in '" + std::string(key) + "'");
    }
    params.emplace_back(std::move(*decoded_key), std::move(*decoded_value));
    pos = close + 1;
  }
  return params;
}

std::string make_nonce() {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::array<unsigned char, 32> random{};
  RAND_bytes(random.data(), static_cast<int>(random.size()));
  std::string nonce;
  for (const unsigned char byte : random) nonce += kAlphabet[byte % kAlphabet.size()];
  return nonce;
}

}  // namespace xee::wire::oauth
