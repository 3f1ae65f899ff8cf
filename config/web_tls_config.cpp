#include "config/web_tls_config.h"

#include <string>

#include "common/tls_context.h"

namespace xee::config {
namespace {

const Keys kTlsKeys = {"cert_file",        "key_file",    "client_ca_file",
                       "client_auth_type", "min_version", "max_version"};
const Keys kRequiredTlsKeys = {"cert_file", "key_file"};
constexpr std::string_view kPath = "web.tls";
constexpr std::string_view kClientAuthNames =
    "NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven or "
    "RequireAndVerifyClientCert";

class TlsReader {
 public:
  TlsReader(TomlReader& reader, const toml::table& tls) : reader_(reader), tls_(tls) {}

  std::optional<common::TlsServerSettings> read() {
    reader_.check_keys(tls_, kPath, kTlsKeys);
    reader_.require_keys(tls_, std::string(kPath), kRequiredTlsKeys);
    bool valid = true;
    valid &= file(kRequiredTlsKeys[0], settings_.cert_file, true);
    valid &= file(kRequiredTlsKeys[1], settings_.key_file, true);
    valid &= file("client_ca_file", settings_.client_ca_file, false);
    valid &= client_auth();
    const bool min_valid = version("min_version", settings_.min_version);
    const bool max_valid = version("max_version", settings_.max_version);
    valid &= min_valid && max_valid && version_range();
    valid &= client_ca_matches_auth();
    // Only a table without other mistakes is worth loading: its errors would say the same twice.
    if (!valid) return std::nullopt;
    auto context = common::build_server_context(settings_);
    if (!context) {
      reader_.error(*tls_.get(key_of(context.error().setting)),
                    join(kPath, key_of(context.error().setting)) + ": " + context.error().message);
      return std::nullopt;
    }
    return settings_;
  }

 private:
  static std::string_view key_of(common::TlsSetting setting) {
    switch (setting) {
      case common::TlsSetting::cert_file:
        return "cert_file";
      case common::TlsSetting::key_file:
        return "key_file";
      case common::TlsSetting::client_ca_file:
        return "client_ca_file";
    }
    return "cert_file";
  }

  // A path, resolved against the config's folder; false when written but not a usable string.
  bool file(std::string_view key, std::string& path, bool required) {
    if (!tls_.contains(key)) return !required;
    const auto* value = reader_.string_node(tls_, kPath, key);
    if (value == nullptr) return false;
    path = reader_.resolve(value->get());
    return true;
  }

  bool client_auth() {
    if (!tls_.contains("client_auth_type")) return true;
    const auto* value = reader_.string_node(tls_, kPath, "client_auth_type");
    if (value == nullptr) return false;
    const auto auth = common::parse_client_auth(value->get());
    if (!auth) {
      reader_.error(*value, join(kPath, "client_auth_type") + ": unknown \"" + value->get() +
                                "\"; expected " + std::string(kClientAuthNames));
      return false;
    }
    settings_.client_auth = *auth;
    return true;
  }

  bool version(std::string_view key, common::TlsVersion& version) {
    if (!tls_.contains(key)) return true;
    const auto* value = reader_.string_node(tls_, kPath, key);
    if (value == nullptr) return false;
    const auto parsed = common::parse_tls_version(value->get());
    if (!parsed) {
      reader_.error(*value, join(kPath, key) + ": unknown TLS version \"" + value->get() +
                                "\"; expected TLS12 or TLS13");
      return false;
    }
    // OpenSSL 3 refuses TLS 1.0 and 1.1 at its default security level (their handshakes sign
    // with SHA-1), so accepting the setting would promise what no handshake does.
    if (*parsed < common::TlsVersion::tls12) {
      reader_.error(*value, join(kPath, key) + ": " + value->get() +
                                " is not supported: OpenSSL 3 refuses TLS 1.0 and 1.1 at its "
                                "default security level; use TLS12 or TLS13");
      return false;
    }
    version = *parsed;
    return true;
  }

  bool version_range() {
    if (settings_.min_version <= settings_.max_version) return true;
    reader_.error(
        *tls_.get("max_version"),
        join(kPath, "max_version") + ": " + std::string(common::to_string(settings_.max_version)) +
            " is below min_version " + std::string(common::to_string(settings_.min_version)));
    return false;
  }

  // exporter-toolkit's rules: a CA file needs a policy that asks for certificates, and (stricter
  // here) verifying needs a CA file, so no system-wide public CA ever authenticates a scraper.
  bool client_ca_matches_auth() {
    const bool has_ca = tls_.contains("client_ca_file");
    if (has_ca && settings_.client_auth == common::ClientAuth::no_client_cert) {
      reader_.error(*tls_.get("client_ca_file"),
                    join(kPath, "client_ca_file") +
                        ": set without client_auth_type, so no client is ever asked for a "
                        "certificate; add client_auth_type = \"RequireAndVerifyClientCert\"");
      return false;
    }
    if (!has_ca && common::verifies_client_certificates(settings_.client_auth)) {
      reader_.error(*tls_.get("client_auth_type"),
                    join(kPath, "client_auth_type") + ": " +
                        std::string(common::to_string(settings_.client_auth)) +
                        " verifies client certificates, which needs client_ca_file");
      return false;
    }
    return true;
  }

  TomlReader& reader_;
  const toml::table& tls_;
  common::TlsServerSettings settings_;
};

}  // namespace

void read_web_tls(TomlReader& reader, const toml::table& web, WebConfig& config) {
  const toml::table* tls = reader.optional_table(web, "web", "tls");
  if (tls == nullptr) return;
  config.tls = TlsReader(reader, *tls).read();
}

}  // namespace xee::config
