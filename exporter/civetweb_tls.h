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
// swaps it in, so connections in flight keep theirs and new ones get the new certificate. Like
// exporter-toolkit, which reads the files at every handshake, each handshake also compares the
// files' identity (device, inode, size, modification time: three stat calls, microseconds
// against a handshake's milliseconds) with those it was built from, and builds again when they
// changed: a certificate cert-manager renews in a mounted Secret is served without a reload.

#include <openssl/ssl.h>
#include <sys/stat.h>

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/tls_context.h"

namespace xee::exporter {

// Loads the compatibility libraries and initializes civetweb's TLS, once per process and
// before any HTTPS server starts. Later calls return the first call's result.
Result<void> enable_civetweb_tls();

class TlsContexts {
 public:
  // Told, on the handshake's thread, when files that changed on disk were read again: the new
  // certificate's description, or why they did not load (the current one keeps serving, and the
  // same files are not tried again until they change once more).
  using FilesListener = std::function<void(const Result<std::string>&)>;

  // Errors name the file and OpenSSL's reason.
  static Result<std::unique_ptr<TlsContexts>> create(const common::TlsServerSettings& settings,
                                                     FilesListener on_files_changed = {});
  TlsContexts(const TlsContexts&) = delete;
  TlsContexts& operator=(const TlsContexts&) = delete;

  // The context for civetweb's external_ssl_ctx callback; owned here, so it outlives the server
  // only if this does (HttpServer keeps both).
  SSL_CTX* listener_context() const { return listener_.get(); }

  // Re-reads the files of `settings`. On success new handshakes use them; on failure the current
  // certificate keeps serving and the error says why.
  Result<void> update(const common::TlsServerSettings& settings);

  // What identifies a file's content without reading it; nullopt for a file stat cannot see.
  struct FileStamp {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec modified{};
    bool operator==(const FileStamp& other) const;
  };
  using Stamps = std::array<std::optional<FileStamp>, 3>;  // cert, key, client CA

  // The served certificate, for logs (common::describe_certificate).
  std::string describe() const;

 private:
  TlsContexts(common::TlsServerSettings settings, FilesListener on_files_changed);
  static int on_client_hello(SSL* ssl, int* alert, void* self);
  // Builds from the settings' files and serves the result; the caller holds build_mutex_.
  Result<void> rebuild(const common::TlsServerSettings& settings, const Stamps& stamps);
  void rebuild_if_files_changed();

  const FilesListener on_files_changed_;
  common::SslCtxPtr listener_;
  std::mutex build_mutex_;  // one build at a time: a reload or changed files; before mutex_
  mutable std::mutex mutex_;
  // Guarded by mutex_. SSL objects that switched to a served context hold their own reference.
  common::SslCtxPtr served_;
  common::TlsServerSettings settings_;
  Stamps stamps_;                        // of the files served_ was built from
  std::optional<Stamps> failed_stamps_;  // of files that did not load, not tried again
};

// Whether a civetweb log line reports a failed TLS handshake (a plain-HTTP client, a refused or
// missing client certificate, an unsupported version), which the server logs sparingly.
bool is_tls_handshake_failure(std::string_view civetweb_message);

}  // namespace xee::exporter
