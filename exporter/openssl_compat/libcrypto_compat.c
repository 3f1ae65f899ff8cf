/* libcrypto.so as civetweb 1.15 dlopens it, without the libssl-dev package that provides that
 * name: a shared library with the soname "libcrypto.so" that only depends on OpenSSL 3's
 * libcrypto.so.3, so civetweb's dlsym lookups land there (see exporter/civetweb_tls.h). */
#include <openssl/crypto.h>

/* A reference into libcrypto.so.3, so the linker keeps the dependency even with --as-needed. */
unsigned long (*const xee_libcrypto_compat_anchor)(void) = OpenSSL_version_num;
