#include "common/tls_settings.h"

#include <array>

namespace xee::common {
namespace {

struct VersionName {
  TlsVersion version;
  std::string_view name;
};
constexpr std::array<VersionName, 4> kVersions{{
    {TlsVersion::tls10, "TLS10"},
    {TlsVersion::tls11, "TLS11"},
    {TlsVersion::tls12, "TLS12"},
    {TlsVersion::tls13, "TLS13"},
}};

struct ClientAuthName {
  ClientAuth auth;
  std::string_view name;
};
constexpr std::array<ClientAuthName, 5> kClientAuthNames{{
    {ClientAuth::no_client_cert, "NoClientCert"},
    {ClientAuth::request_client_cert, "RequestClientCert"},
    {ClientAuth::require_any_client_cert, "RequireAnyClientCert"},
    {ClientAuth::verify_client_cert_if_given, "VerifyClientCertIfGiven"},
    {ClientAuth::require_and_verify_client_cert, "RequireAndVerifyClientCert"},
}};

}  // namespace

std::optional<TlsVersion> parse_tls_version(std::string_view text) {
  for (const auto& entry : kVersions) {
    if (entry.name == text) return entry.version;
  }
  return std::nullopt;
}

std::string_view to_string(TlsVersion version) {
  for (const auto& entry : kVersions) {
    if (entry.version == version) return entry.name;
  }
  return "TLS12";
}

std::optional<ClientAuth> parse_client_auth(std::string_view text) {
  if (text == "RequireClientCert") return ClientAuth::require_any_client_cert;  // old name
  for (const auto& entry : kClientAuthNames) {
    if (entry.name == text) return entry.auth;
  }
  return std::nullopt;
}

std::string_view to_string(ClientAuth auth) {
  for (const auto& entry : kClientAuthNames) {
    if (entry.auth == auth) return entry.name;
  }
  return "NoClientCert";
}

bool verifies_client_certificates(ClientAuth auth) {
  return auth == ClientAuth::verify_client_cert_if_given ||
         auth == ClientAuth::require_and_verify_client_cert;
}

}  // namespace xee::common
