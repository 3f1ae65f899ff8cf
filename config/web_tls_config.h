#pragma once
// [web.tls] of the config file: the exporter's own listener over HTTPS, with
// prometheus/exporter-toolkit's tls_server_config keys and meaning. The certificate, key and CA
// files are loaded here with the same code the server uses, so --config.check rejects a key that
// does not match its certificate, not the first scrape.

#include <toml++/toml.h>

#include "config/config.h"
#include "config/toml_reader.h"

namespace xee::config {

// Reads web.tls (when present) into `web.tls`; errors and warnings go to `reader`.
void read_web_tls(TomlReader& reader, const toml::table& web, WebConfig& config);

}  // namespace xee::config
