#pragma once
// [discovery] with its [[discovery.hashtags]] and [[discovery.accounts]], [[campaigns]] and
// [billing] of the config file (see config/example.toml): the part of the loader for Posts found
// through X's recent search and the groups they are compared in.

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "config/toml_reader.h"

namespace xee::config {

struct DiscoveryInputs {
  // Every valid [[accounts]] handle, including those whose tokens failed to resolve, so a
  // campaign naming one is not reported a second time.
  const std::vector<std::string>& account_handles;
  // False when limits.max_posts was written but invalid: no cap is checked against it then.
  bool posts_cap_valid = true;
};

// Reads the sections into `config`, whose [limits], [[accounts]] and [[posts]] are already read;
// errors and warnings go to `reader`.
void read_discovery_campaigns_and_billing(TomlReader& reader, const toml::table& root,
                                          const DiscoveryInputs& inputs, ExporterConfig& config);

}  // namespace xee::config
