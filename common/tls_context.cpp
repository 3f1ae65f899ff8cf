#include "common/tls_context.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <utility>

namespace xee::common {
namespace {

int openssl_version(TlsVersion version) {
  switch (version) {
    case TlsVersion::tls10:
      return TLS1_VERSION;
    case TlsVersion::tls11:
      return TLS1_1_VERSION;
    case TlsVersion::tls12:
      return TLS1_2_VERSION;
    case TlsVersion::tls13:
      return TLS1_3_VERSION;
  }
  return TLS1_2_VERSION;
}

// Go's RequestClientCert and RequireAnyClientCert take whatever certificate comes.
int accept_any_certificate(int /*preverified*/, X509_STORE_CTX* /*store*/) {
  return 1;
}

// Both PEM spellings of an encrypted key: PKCS#8 "ENCRYPTED PRIVATE KEY" and the legacy
// "Proc-Type: 4,ENCRYPTED" header.
bool is_encrypted_pem(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return text.find("ENCRYPTED") != std::string::npos;
}

// Encrypted keys are refused instead of OpenSSL asking for a passphrase on the terminal.
int no_passphrase(char* /*buffer*/, int /*size*/, int /*writing*/, void* /*data*/) {
  return 0;
}

// "cannot read <path>: No such file or directory" before OpenSSL's vaguer "system library".
std::optional<std::string> unreadable(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (file) return std::nullopt;
  return "cannot read " + path + ": " + std::strerror(errno);
}

tl::expected<void, TlsError> load_certificate_and_key(SSL_CTX* context,
                                                      const TlsServerSettings& settings) {
  if (auto problem = unreadable(settings.cert_file)) {
    return tl::unexpected(TlsError{TlsSetting::cert_file, *problem});
  }
  if (SSL_CTX_use_certificate_chain_file(context, settings.cert_file.c_str()) != 1) {
    return tl::unexpected(TlsError{
        TlsSetting::cert_file,
        settings.cert_file + " is not a PEM certificate chain (" + last_openssl_error() + ")"});
  }
  const std::string& key_file = settings.key_file;
  if (auto problem = unreadable(key_file)) {
    return tl::unexpected(TlsError{TlsSetting::key_file, *problem});
  }
  EVP_PKEY* key = nullptr;
  if (BIO* file = BIO_new_file(key_file.c_str(), "r")) {
    key = PEM_read_bio_PrivateKey(file, nullptr, no_passphrase, nullptr);
    BIO_free(file);
  }
  if (key == nullptr) {
    const std::string reason = last_openssl_error();
    return tl::unexpected(TlsError{
        TlsSetting::key_file,
        key_file + (is_encrypted_pem(key_file)
                        ? " is encrypted; give the key without a passphrase (openssl pkey -in "
                          "KEY -out PLAIN_KEY)"
                        : " is not a PEM private key (" + reason + ")")});
  }
  const bool used = SSL_CTX_use_PrivateKey(context, key) == 1;
  EVP_PKEY_free(key);
  if (!used || SSL_CTX_check_private_key(context) != 1) {
    return tl::unexpected(
        TlsError{TlsSetting::key_file, key_file + " is not the private key of the certificate in " +
                                           settings.cert_file + " (" + last_openssl_error() + ")"});
  }
  return {};
}

tl::expected<void, TlsError> load_client_cas(SSL_CTX* context, const TlsServerSettings& settings) {
  const std::string& path = settings.client_ca_file;
  if (auto problem = unreadable(path)) {
    return tl::unexpected(TlsError{TlsSetting::client_ca_file, *problem});
  }
  // The names are what the server lists in its CertificateRequest; the store is what verifies.
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(path.c_str());
  if (names == nullptr || sk_X509_NAME_num(names) == 0 ||
      SSL_CTX_load_verify_locations(context, path.c_str(), nullptr) != 1) {
    if (names != nullptr) sk_X509_NAME_pop_free(names, X509_NAME_free);
    return tl::unexpected(
        TlsError{TlsSetting::client_ca_file,
                 path + " holds no PEM CA certificate (" + last_openssl_error() + ")"});
  }
  SSL_CTX_set_client_CA_list(context, names);  // takes ownership
  return {};
}

int verify_mode(ClientAuth auth) {
  switch (auth) {
    case ClientAuth::no_client_cert:
      return SSL_VERIFY_NONE;
    case ClientAuth::request_client_cert:
    case ClientAuth::verify_client_cert_if_given:
      return SSL_VERIFY_PEER;
    case ClientAuth::require_any_client_cert:
    case ClientAuth::require_and_verify_client_cert:
      return SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  return SSL_VERIFY_NONE;
}

std::string asn1_time_text(const ASN1_TIME* time) {
  std::tm parsed{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parsed) != 1) return "unknown";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parsed);
  return text;
}

}  // namespace

tl::expected<SslCtxPtr, TlsError> build_server_context(const TlsServerSettings& settings) {
  ERR_clear_error();
  SslCtxPtr context(SSL_CTX_new(TLS_server_method()));
  if (!context) {
    return tl::unexpected(
        TlsError{TlsSetting::cert_file, "cannot create a TLS context: " + last_openssl_error()});
  }
  SSL_CTX_set_default_passwd_cb(context.get(), no_passphrase);
  if (auto loaded = load_certificate_and_key(context.get(), settings); !loaded) {
    return tl::unexpected(loaded.error());
  }
  if (!settings.client_ca_file.empty()) {
    if (auto loaded = load_client_cas(context.get(), settings); !loaded) {
      return tl::unexpected(loaded.error());
    }
  }
  const bool verifies = verifies_client_certificates(settings.client_auth);
  SSL_CTX_set_verify(context.get(), verify_mode(settings.client_auth),
                     verifies ? nullptr : accept_any_certificate);
  SSL_CTX_set_min_proto_version(context.get(), openssl_version(settings.min_version));
  SSL_CTX_set_max_proto_version(context.get(), openssl_version(settings.max_version));
  SSL_CTX_set_options(context.get(),
                      SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(context.get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(context.get(), 0);
  return context;
}

std::string describe_certificate(SSL_CTX* context) {
  X509* certificate = context != nullptr ? SSL_CTX_get0_certificate(context) : nullptr;
  if (certificate == nullptr) return "no certificate";
  char subject[256];
  X509_NAME_oneline(X509_get_subject_name(certificate), subject, sizeof subject);
  std::string serial = "unknown";
  if (BIGNUM* number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr)) {
    if (char* hex = BN_bn2hex(number)) {
      serial = hex;
      OPENSSL_free(hex);
    }
    BN_free(number);
  }
  return std::string("subject=") + subject +
         ", not_after=" + asn1_time_text(X509_get0_notAfter(certificate)) + ", serial=" + serial;
}

std::string last_openssl_error() {
  // The first error is the cause ("no start line"); later ones are the callers ("PEM lib").
  const unsigned long code = ERR_peek_error();
  ERR_clear_error();
  if (code == 0) return "no detail from OpenSSL";
  const char* reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : "OpenSSL error " + std::to_string(code);
}

}  // namespace xee::common
