#pragma once
// The one function that turns [web.tls] settings (common/tls_settings.h) into an OpenSSL server
// context. The config loader builds one to reject a bad certificate, key or CA file at
// --config.check; the HTTP server builds the one it serves with. Same code, same verdict.

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "common/result.h"
#include "common/tls_settings.h"

namespace xee::common {

struct SslCtxDeleter {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

// Which setting a TlsError is about, so the config loader can point at its line.
enum class TlsSetting { cert_file, key_file, client_ca_file };

struct TlsError {
  TlsSetting setting;
  std::string message;  // names the file and OpenSSL's reason; never key material
};

// A server context with the certificate chain, the key (checked to match it), the client CA
// list and verification mode, and the version range; session resumption off (a resumed session
// would skip a client certificate check a reload may have tightened). Errors name the file.
tl::expected<SslCtxPtr, TlsError> build_server_context(const TlsServerSettings& settings);

// For logs: "subject=CN=exporter, not_after=2027-01-01T00:00:00Z, serial=1A2B".
std::string describe_certificate(SSL_CTX* context);

// The oldest queued OpenSSL error's reason ("no start line"), and the queue cleared.
std::string last_openssl_error();

}  // namespace xee::common
