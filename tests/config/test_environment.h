#pragma once
// The environment the config tests load with. Every secret value contains kSecretMarker, so a
// test can assert that no message shows one.

#include <string_view>

#include "config/environment.h"

namespace xee::config::test_support {

inline constexpr std::string_view kSecretMarker = "s3cr3t";

inline FakeEnvironment secrets_environment() {
  FakeEnvironment env;
  env.set_variable("X_CONSUMER_KEY", "env-consumer-key-s3cr3t")
      .set_variable("X_CONSUMER_SECRET", "env-consumer-s3cr3t")
      .set_variable("X_BEARER_TOKEN", "env-bearer-s3cr3t\n")
      .set_variable("X_ACME_ACCESS_TOKEN", "1000001-acme-s3cr3t")
      .set_variable("X_ACME_ACCESS_TOKEN_SECRET", "acme-token-s3cr3t")
      .set_variable("X_GLOBEX_ACCESS_TOKEN", "1000002-globex-s3cr3t")
      .set_variable("X_GLOBEX_ACCESS_TOKEN_SECRET", "globex-token-s3cr3t")
      .set_variable("X_EMPTY_CONSUMER_SECRET", "")
      .set_variable("X_BLANK_BEARER_TOKEN", " \n");
  return env;
}

}  // namespace xee::config::test_support
