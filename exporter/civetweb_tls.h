#pragma once
// HTTPS for the exporter's listener on Debian's civetweb 1.15, and certificates that change
// without a restart.
//
// Why this is more than an option: Debian builds civetweb for OpenSSL's 1.1 API with OpenSSL
// loaded at run time (dlopen of "libssl.so" and "libcrypto.so", the names libssl-dev provides).
// OpenSSL 3 no longer exports SSL_get_peer_certificate, one of the functions civetweb requires:
// mg_init_library(MG_FEATURES_TLS) reports TLS as unavailable (returns 0), and a server started
// anyway (its TLS set up through a callback, which skips that check) keeps a NULL pointer for it
// and jumps to address 0 after the first completed handshake (reproduced under gdb). So before
// civetweb looks for OpenSSL the exporter loads, from memory, two tiny libraries whose sonames
// are "libssl.so" and "libcrypto.so" (exporter/openssl_compat/): the dynamic loader hands those
// to civetweb's dlopen, the first adds SSL_get_peer_certificate on top of libssl.so.3, and
// libssl-dev is not needed at run time.
//
// The OpenSSL context civetweb is given never changes (civetweb keeps the pointer). Each
// handshake switches, in OpenSSL's ClientHello callback, to the context built from the current
// settings (certificate, key, client CAs and policy, versions); a reload builds a new one and
// swaps it in, so connections in flight keep theirs and new ones get the new certificate.

#include <openssl/ssl.h>

#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"
#include "common/tls_context.h"

namespace xee::exporter {

// Loads the compatibility libraries and initializes civetweb's TLS, once per process and
// before any HTTPS server starts. Later calls return the first call's result.
Result<void> enable_civetweb_tls();

class TlsContexts {
 public:
  // Errors name the file and OpenSSL's reason.
  static Result<std::unique_ptr<TlsContexts>> create(const common::TlsServerSettings& settings);
  TlsContexts(const TlsContexts&) = delete;
  TlsContexts& operator=(const TlsContexts&) = delete;

  // The context for civetweb's external_ssl_ctx callback; owned here, so it outlives the server
  // only if this does (HttpServer keeps both).
  SSL_CTX* listener_context() const { return listener_.get(); }

  // Re-reads the files of `settings`. On success new handshakes use them; on failure the current
  // certificate keeps serving and the error says why.
  Result<void> update(const common::TlsServerSettings& settings);

  // The served certificate, for logs (common::describe_certificate).
  std::string describe() const;

 private:
  TlsContexts(common::SslCtxPtr listener, common::SslCtxPtr served);
  static int on_client_hello(SSL* ssl, int* alert, void* self);

  common::SslCtxPtr listener_;
  mutable std::mutex mutex_;
  common::SslCtxPtr served_;  // guarded by mutex_; SSL objects using it hold their own reference
};

// Whether a civetweb log line reports a failed TLS handshake (a plain-HTTP client, a refused or
// missing client certificate, an unsupported version), which the server logs sparingly.
bool is_tls_handshake_failure(std::string_view civetweb_message);

}  // namespace xee::exporter
