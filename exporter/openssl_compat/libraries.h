#pragma once
// The compatibility libraries (libssl_compat.c, libcrypto_compat.c) as built for this exporter,
// embedded by embed.cmake; exporter/civetweb_tls.cpp loads them from memory.

#include <cstddef>

namespace xee::exporter::openssl_compat {

extern const unsigned char kLibssl[];  // soname "libssl.so"
extern const std::size_t kLibsslSize;
extern const unsigned char kLibcrypto[];  // soname "libcrypto.so"
extern const std::size_t kLibcryptoSize;

}  // namespace xee::exporter::openssl_compat
