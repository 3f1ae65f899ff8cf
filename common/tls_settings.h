#pragma once
// The exporter's TLS server settings ([web.tls]), with prometheus/exporter-toolkit's
// tls_server_config names and meaning, as plain data: the config loader fills them, the HTTP
// server serves them (common/tls_context.h turns them into an OpenSSL context).

#include <optional>
#include <string>
#include <string_view>

namespace xee::common {

enum class TlsVersion { tls10, tls11, tls12, tls13 };

// exporter-toolkit's spelling: "TLS10", "TLS11", "TLS12", "TLS13".
std::optional<TlsVersion> parse_tls_version(std::string_view text);
std::string_view to_string(TlsVersion version);

// Go's tls.ClientAuthType, by the names exporter-toolkit accepts.
enum class ClientAuth {
  no_client_cert,                  // no certificate is asked for
  request_client_cert,             // asked for, not required, not verified
  require_any_client_cert,         // required, not verified
  verify_client_cert_if_given,     // not required; verified against client_ca_file when sent
  require_and_verify_client_cert,  // required and verified: the only one that authenticates
};

// "NoClientCert", "RequestClientCert", "RequireAnyClientCert" (or its old name
// "RequireClientCert"), "VerifyClientCertIfGiven", "RequireAndVerifyClientCert".
std::optional<ClientAuth> parse_client_auth(std::string_view text);
std::string_view to_string(ClientAuth auth);
// Whether a client certificate is checked against client_ca_file (which these need).
bool verifies_client_certificates(ClientAuth auth);

struct TlsServerSettings {
  std::string cert_file;       // PEM: the server certificate first, then any intermediates
  std::string key_file;        // PEM private key, not encrypted
  std::string client_ca_file;  // PEM CA certificates for client certificates; "" for none
  ClientAuth client_auth = ClientAuth::no_client_cert;
  TlsVersion min_version = TlsVersion::tls12;
  TlsVersion max_version = TlsVersion::tls13;
  bool operator==(const TlsServerSettings&) const = default;
};

}  // namespace xee::common
