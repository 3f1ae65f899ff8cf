#include "exporter/civetweb_tls.h"

#include <civetweb.h>
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

#include "exporter/openssl_compat/libraries.h"

namespace xee::exporter {
namespace {

struct EmbeddedLibrary {
  std::string_view soname;
  const unsigned char* bytes;
  std::size_t size;
};

// A memory file holding `library`; -1 with errno on failure.
int memory_file(const EmbeddedLibrary& library) {
  const std::string name(library.soname);
  const int fd = memfd_create(name.c_str(), MFD_CLOEXEC);
  if (fd < 0) return -1;
  std::size_t written = 0;
  while (written < library.size) {
    const ssize_t n = write(fd, library.bytes + written, library.size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      close(fd);
      errno = saved;
      return -1;
    }
    written += static_cast<std::size_t>(n);
  }
  return fd;
}

// Loads both libraries under their sonames. Both memory files stay open until both are loaded:
// the loader knows an object by its path too, and a reused descriptor number would make the
// second dlopen return the first library.
Result<void> load_compat_libraries() {
  const EmbeddedLibrary libraries[] = {
      {"libcrypto.so", openssl_compat::kLibcrypto, openssl_compat::kLibcryptoSize},
      {"libssl.so", openssl_compat::kLibssl, openssl_compat::kLibsslSize},
  };
  int fds[2] = {-1, -1};
  Result<void> result;
  for (std::size_t i = 0; i < 2 && result; ++i) {
    fds[i] = memory_file(libraries[i]);
    if (fds[i] < 0) {
      result = fail("cannot create a memory file for " + std::string(libraries[i].soname) + ": " +
                    std::strerror(errno));
      break;
    }
    const std::string path = "/proc/self/fd/" + std::to_string(fds[i]);
    // Never closed: civetweb keeps pointers into it for the life of the process.
    if (dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL) == nullptr) {
      const char* reason = dlerror();
      result = fail("cannot load the OpenSSL compatibility library " +
                    std::string(libraries[i].soname) + ": " + (reason ? reason : "unknown error"));
    }
  }
  for (const int fd : fds) {
    if (fd >= 0) close(fd);
  }
  return result;
}

Result<void> initialize_once() {
  if (mg_check_feature(MG_FEATURES_TLS) == 0) {
    return fail("TLS is not available: this civetweb was built without it (NO_SSL)");
  }
  if (auto loaded = load_compat_libraries(); !loaded) return loaded;
  // Must come before civetweb ever tries OpenSSL: after a failed attempt it counts the crypto
  // library as loaded and never retries libssl.
  if ((mg_init_library(MG_FEATURES_TLS) & MG_FEATURES_TLS) == 0) {
    return fail(
        "TLS is not available: civetweb could not load OpenSSL through libssl.so and "
        "libcrypto.so");
  }
  return {};
}

// Settings that SSL_set_SSL_CTX does not carry over: SSL_new copied them from the listener's
// context, so they are set from the served one before the handshake uses them.
bool adopt_served_settings(SSL* ssl, SSL_CTX* served) {
  if (SSL_set_SSL_CTX(ssl, served) != served) return false;
  SSL_set_verify(ssl, SSL_CTX_get_verify_mode(served), SSL_CTX_get_verify_callback(served));
  SSL_set_verify_depth(ssl, SSL_CTX_get_verify_depth(served));
  if (SSL_set_min_proto_version(ssl, SSL_CTX_get_min_proto_version(served)) != 1 ||
      SSL_set_max_proto_version(ssl, SSL_CTX_get_max_proto_version(served)) != 1) {
    return false;
  }
  if (SSL_CTX_get_verify_mode(served) != SSL_VERIFY_NONE) {
    STACK_OF(X509_NAME)* names = SSL_dup_CA_list(SSL_CTX_get_client_CA_list(served));
    if (names == nullptr) return false;
    SSL_set_client_CA_list(ssl, names);  // takes ownership
  }
  return true;
}

std::optional<TlsContexts::FileStamp> stamp_of(const std::string& path) {
  struct stat status {};
  if (path.empty() || stat(path.c_str(), &status) != 0) return std::nullopt;
  return TlsContexts::FileStamp{status.st_dev, status.st_ino, status.st_size, status.st_mtim};
}

TlsContexts::Stamps stamps_of(const common::TlsServerSettings& settings) {
  return {stamp_of(settings.cert_file), stamp_of(settings.key_file),
          stamp_of(settings.client_ca_file)};
}

// The context civetweb holds: no certificate of its own, only the switch to the served one.
// Session resumption stays off here too, since resumption is decided by this context's cache.
common::SslCtxPtr make_listener_context(SSL_client_hello_cb_fn on_client_hello, void* contexts) {
  common::SslCtxPtr listener(SSL_CTX_new(TLS_server_method()));
  if (!listener) return listener;
  SSL_CTX_set_options(listener.get(),
                      SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(listener.get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(listener.get(), 0);
  // The widest range: the served context's own bounds are applied per handshake.
  SSL_CTX_set_min_proto_version(listener.get(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(listener.get(), TLS1_3_VERSION);
  SSL_CTX_set_client_hello_cb(listener.get(), on_client_hello, contexts);
  return listener;
}

}  // namespace

Result<void> enable_civetweb_tls() {
  static const Result<void> result = initialize_once();
  return result;
}

Result<std::unique_ptr<TlsContexts>> TlsContexts::create(const common::TlsServerSettings& settings,
                                                         FilesListener on_files_changed) {
  if (auto enabled = enable_civetweb_tls(); !enabled) return tl::unexpected(enabled.error());
  auto contexts =
      std::unique_ptr<TlsContexts>(new TlsContexts(settings, std::move(on_files_changed)));
  if (auto updated = contexts->update(settings); !updated) return tl::unexpected(updated.error());
  contexts->listener_ = make_listener_context(&TlsContexts::on_client_hello, contexts.get());
  if (!contexts->listener_) {
    return fail("cannot create a TLS context: " + common::last_openssl_error());
  }
  return contexts;
}

TlsContexts::TlsContexts(common::TlsServerSettings settings, FilesListener on_files_changed)
    : on_files_changed_(std::move(on_files_changed)), settings_(std::move(settings)) {}

bool TlsContexts::FileStamp::operator==(const FileStamp& other) const {
  return device == other.device && inode == other.inode && size == other.size &&
         modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
}

Result<void> TlsContexts::update(const common::TlsServerSettings& settings) {
  std::lock_guard build(build_mutex_);
  return rebuild(settings, stamps_of(settings));
}

Result<void> TlsContexts::rebuild(const common::TlsServerSettings& settings, const Stamps& stamps) {
  auto served = common::build_server_context(settings);
  std::lock_guard lock(mutex_);
  if (!served) {
    if (settings == settings_) failed_stamps_ = stamps;
    return fail(served.error().message);
  }
  served_ = std::move(*served);  // handshakes that switched to the old one hold a reference
  settings_ = settings;
  stamps_ = stamps;
  failed_stamps_.reset();
  return {};
}

void TlsContexts::rebuild_if_files_changed() {
  // Another handshake building already will serve the result; this one goes on with the current.
  std::unique_lock build(build_mutex_, std::try_to_lock);
  if (!build.owns_lock()) return;
  common::TlsServerSettings settings;
  {
    std::lock_guard lock(mutex_);
    settings = settings_;
  }
  const Stamps stamps = stamps_of(settings);
  {
    std::lock_guard lock(mutex_);
    if (stamps == stamps_ || stamps == failed_stamps_) return;
  }
  auto rebuilt = rebuild(settings, stamps);
  if (on_files_changed_) {
    on_files_changed_(rebuilt ? Result<std::string>(describe())
                              : Result<std::string>(tl::unexpected(rebuilt.error())));
  }
}

std::string TlsContexts::describe() const {
  std::lock_guard lock(mutex_);
  return common::describe_certificate(served_.get());
}

int TlsContexts::on_client_hello(SSL* ssl, int* alert, void* self) {
  auto* contexts = static_cast<TlsContexts*>(self);
  contexts->rebuild_if_files_changed();
  std::lock_guard lock(contexts->mutex_);
  if (!adopt_served_settings(ssl, contexts->served_.get())) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

bool is_tls_handshake_failure(std::string_view civetweb_message) {
  return civetweb_message.starts_with("sslize error") ||
         civetweb_message.starts_with("SSL syscall error");
}

}  // namespace xee::exporter
