/* libssl.so as civetweb 1.15 (Debian's build) expects to find it: OpenSSL 3's libssl.so.3 plus
 * SSL_get_peer_certificate, which OpenSSL 3 only has as a macro for SSL_get1_peer_certificate.
 * civetweb looks the symbol up with dlsym and calls it after every TLS handshake; without it
 * the pointer is NULL and the first HTTPS request crashes the process (see
 * exporter/civetweb_tls.h). Built as a shared library with the soname "libssl.so" and embedded
 * in the exporter, which loads it before civetweb does. */
#include <openssl/ssl.h>

#undef SSL_get_peer_certificate

/* Same contract as OpenSSL 1.1's: a new reference the caller frees (civetweb does). */
X509 *SSL_get_peer_certificate(const SSL *ssl);
X509 *SSL_get_peer_certificate(const SSL *ssl) {
  return SSL_get1_peer_certificate(ssl);
}
