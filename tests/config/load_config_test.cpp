#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "tests/config/test_environment.h"

namespace xee::config {
namespace {

using std::chrono::milliseconds;
using test_support::kSecretMarker;
using test_support::secrets_environment;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

// ----- bad configs: one file each, asserting the full error text -----

struct InvalidConfig {
  std::string file;    // in testdata/
  std::string errors;  // the whole message: every error, sorted by position
};

const InvalidConfig kInvalidConfigs[] = {
    {"invalid-accounts-without-consumer.toml",
     "testdata/invalid-accounts-without-consumer.toml:4:1: accounts: signing requests for "
     "[[accounts]] needs app.consumer_key and app.consumer_secret"},
    {"invalid-basic-auth-users.toml",
     "testdata/invalid-basic-auth-users.toml:6:1: web.basic_auth_users: a user name must not be "
     "empty\n"
     "testdata/invalid-basic-auth-users.toml:7:1: web.basic_auth_users: user name "
     "\"grafana:agent\" contains ':', which separates user and password in basic "
     "authentication\n"
     "testdata/invalid-basic-auth-users.toml:8:9: web.basic_auth_users.alice: not a bcrypt hash (a "
     "plain-text password?); store a bcrypt hash of the password instead, made with `htpasswd "
     "-nBC 10 \"\" | tr -d ':\\n'` (apache2-utils) or `python3 -c 'import bcrypt; "
     "print(bcrypt.hashpw(b\"PASSWORD\", bcrypt.gensalt(10)).decode())'`\n"
     "testdata/invalid-basic-auth-users.toml:9:7: web.basic_auth_users.bob: unsupported bcrypt "
     "variant; expected $2a$, $2b$ or $2y$\n"
     "testdata/invalid-basic-auth-users.toml:10:9: web.basic_auth_users.carol: bcrypt cost 03 is "
     "out of range 04..31\n"
     "testdata/invalid-basic-auth-users.toml:11:8: web.basic_auth_users.dave: bcrypt cost 32 is "
     "out of range 04..31\n"
     "testdata/invalid-basic-auth-users.toml:12:8: web.basic_auth_users.erin: expected 53 "
     "characters of salt and hash after the cost, got 54\n"
     "testdata/invalid-basic-auth-users.toml:13:9: web.basic_auth_users.frank: salt and hash must "
     "use bcrypt's alphabet: ./A-Za-z0-9\n"
     "testdata/invalid-basic-auth-users.toml:14:9: web.basic_auth_users.grace: expected a "
     "two-digit cost after the variant, as in $2b$10$\n"
     "testdata/invalid-basic-auth-users.toml:15:9: web.basic_auth_users.heidi: expected a bcrypt "
     "hash string, got an integer"},
    {"invalid-billing.toml",
     "testdata/invalid-billing.toml:5:26: billing.monthly_accounts_limit: -1 is out of range "
     "0..1000000000\n"
     "testdata/invalid-billing.toml:6:1: unknown key billing.currency (expected "
     "monthly_accounts_limit)"},
    {"invalid-ca-file.toml",
     "testdata/invalid-ca-file.toml:5:11: api.ca_file: cannot read testdata/certs/missing-ca.pem: "
     "No such file or directory"},
    {"invalid-campaigns.toml",
     "testdata/invalid-campaigns.toml:22:26: campaigns[0].hashtags[1]: \"lauchday\" is not a "
     "[[discovery.hashtags]] tag; did you mean \"launchday\"?\n"
     "testdata/invalid-campaigns.toml:23:21: campaigns[0].accounts[1]: \"initech\" is not a "
     "[[discovery.accounts]] or [[accounts]] handle\n"
     "testdata/invalid-campaigns.toml:25:1: campaigns[1]: names no posts, hashtags or accounts\n"
     "testdata/invalid-campaigns.toml:30:8: campaigns[2].name: duplicate campaign name "
     "\"launch-week\" (first defined at testdata/invalid-campaigns.toml:21:8)\n"
     "testdata/invalid-campaigns.toml:31:23: campaigns[2].accounts[1]: \"globex\" is listed twice, "
     "first at testdata/invalid-campaigns.toml:31:13\n"
     "testdata/invalid-campaigns.toml:34:8: campaigns[3].name: invalid campaign name \"launch "
     "week\": expected 1 to 64 letters, digits, '_', '-' or '.'\n"
     "testdata/invalid-campaigns.toml:35:9: campaigns[3].posts: 3 Posts configured in [[posts]] "
     "and campaigns together, more than limits.max_posts (2)\n"
     "testdata/invalid-campaigns.toml:35:33: campaigns[3].posts[1]: invalid Post ID \"0123\": "
     "expected 1 to 19 digits without sign or leading zero, at most 9223372036854775807\n"
     "testdata/invalid-campaigns.toml:39:1: unknown key campaigns[4].hashtag (did you mean "
     "\"hashtags\"?)"},
    {"invalid-connect-timeout.toml",
     "testdata/invalid-connect-timeout.toml:6:19: api.connect_timeout: 10s is longer than "
     "api.timeout (5s), which bounds the whole request"},
    {"invalid-discovery-accounts.toml",
     "testdata/invalid-discovery-accounts.toml:5:10: discovery.accounts[0].handle: handle "
     "\"@globex\": give it without the leading '@'; the query adds it\n"
     "testdata/invalid-discovery-accounts.toml:8:10: discovery.accounts[1].handle: handle "
     "\"initech_archive_2020\": 20 characters, more than the 15 allowed\n"
     "testdata/invalid-discovery-accounts.toml:12:13: discovery.accounts[2].operators: operators "
     "\"lang:en \\\"launch day\": the quote at position 9 is never closed\n"
     "testdata/invalid-discovery-accounts.toml:15:10: discovery.accounts[3].handle: duplicate "
     "handle \"ACME\" (first defined at testdata/invalid-discovery-accounts.toml:11:10)\n"
     "testdata/invalid-discovery-accounts.toml:16:1: unknown key discovery.accounts[3].operator "
     "(did you mean \"operators\"?)"},
    {"invalid-discovery-hashtags.toml",
     "testdata/invalid-discovery-hashtags.toml:9:7: discovery.hashtags[1].tag: hashtag \"#xapi\": "
     "give it without the leading '#'; the query adds it\n"
     "testdata/invalid-discovery-hashtags.toml:13:13: discovery.hashtags[2].operators: operators "
     "\"-is:retweet OR lang:en\": a top-level OR would widen the search beyond #xapi; wrap "
     "alternatives in parentheses\n"
     "testdata/invalid-discovery-hashtags.toml:16:7: discovery.hashtags[3].tag: duplicate tag "
     "\"LaunchDay\" (first defined at testdata/invalid-discovery-hashtags.toml:5:7)\n"
     "testdata/invalid-discovery-hashtags.toml:19:7: discovery.hashtags[4].tag: hashtag "
     "\"launch-day\": '-' at position 7 is not an ASCII letter, digit or underscore\n"
     "testdata/invalid-discovery-hashtags.toml:22:1: discovery.hashtags[5]: missing required key "
     "\"tag\"\n"
     "testdata/invalid-discovery-hashtags.toml:24:13: discovery.hashtags[5].max_posts: expected an "
     "integer, got a string"},
    {"invalid-discovery-ranges.toml",
     "testdata/invalid-discovery-ranges.toml:5:12: discovery.interval: 10s is out of range "
     "15s..1d\n"
     "testdata/invalid-discovery-ranges.toml:6:23: discovery.requests_per_window: 451 is out of "
     "range 1..450\n"
     "testdata/invalid-discovery-ranges.toml:7:12: discovery.lookback: 8d is out of range 1m..7d\n"
     "testdata/invalid-discovery-ranges.toml:8:7: discovery.ttl: 30m is out of range 1h..90d\n"
     "testdata/invalid-discovery-ranges.toml:9:13: discovery.max_posts: 200 is more than "
     "limits.max_posts (100)\n"
     "testdata/invalid-discovery-ranges.toml:10:23: discovery.max_pages_per_round: 0 is out of "
     "range 1..100\n"
     "testdata/invalid-discovery-ranges.toml:14:13: discovery.hashtags[0].max_posts: 100001 is out "
     "of range 1..100000\n"
     "testdata/invalid-discovery-ranges.toml:18:13: discovery.accounts[0].max_posts: 0 is out of "
     "range 1..100000"},
    {"invalid-duplicate-accounts.toml",
     "testdata/invalid-duplicate-accounts.toml:11:10: accounts[1].handle: duplicate handle "
     "\"ACME\" (first defined at testdata/invalid-duplicate-accounts.toml:6:10)"},
    {"invalid-duplicate-posts.toml",
     "testdata/invalid-duplicate-posts.toml:8:6: posts[1].id: duplicate Post ID "
     "1855555555555555555, first listed at testdata/invalid-duplicate-posts.toml:5:6\n"
     "testdata/posts/overlapping.txt:3: duplicate Post ID 1855555555555555555, first listed at "
     "testdata/invalid-duplicate-posts.toml:5:6 (in the Post list of posts[2].file at "
     "testdata/invalid-duplicate-posts.toml:11:8)\n"
     "testdata/posts/overlapping.txt:5: duplicate Post ID 1855555555555555556, first listed at "
     "testdata/posts/overlapping.txt:2 (in the Post list of posts[2].file at "
     "testdata/invalid-duplicate-posts.toml:11:8)"},
    {"invalid-durations.toml",
     "testdata/invalid-durations.toml:5:11: api.timeout: invalid duration \"30 seconds\"; expected "
     "a number and a unit, as in \"250ms\", \"30s\", \"5m\" or \"1h\"\n"
     "testdata/invalid-durations.toml:6:19: api.connect_timeout: must not be empty\n"
     "testdata/invalid-durations.toml:9:12: collectors.totals.interval: invalid duration \"5min\"; "
     "expected a number and a unit, as in \"250ms\", \"30s\", \"5m\" or \"1h\""},
    {"invalid-half-consumer.toml",
     "testdata/invalid-half-consumer.toml:1:1: app: consumer_key is set but consumer_secret is "
     "missing"},
    {"invalid-handles.toml",
     "testdata/invalid-handles.toml:6:10: accounts[0].handle: invalid handle \"@acme\": expected 1 "
     "to 15 letters, digits or underscores, without the @\n"
     "testdata/invalid-handles.toml:11:10: accounts[1].handle: invalid handle "
     "\"initech_archive_2020\": expected 1 to 15 letters, digits or underscores, without the @"},
    {"invalid-hourly.toml",
     "testdata/invalid-hourly.toml:5:11: collectors.hourly.enabled: expected a boolean, got a "
     "string\n"
     "testdata/invalid-hourly.toml:6:9: collectors.hourly.delay: 1h is out of range 0s..59m\n"
     "testdata/invalid-hourly.toml:7:18: collectors.hourly.inactive_after: 30m is out of range "
     "1h..90d\n"
     "testdata/invalid-hourly.toml:8:17: collectors.hourly.slow_interval: 2d is out of range "
     "1h..1d\n"
     "testdata/invalid-hourly.toml:9:16: collectors.hourly.budget_share: 1.5 is out of range "
     "0.05..1\n"
     "testdata/invalid-hourly.toml:10:1: unknown key collectors.hourly.slow_intervall (did you "
     "mean \"slow_interval\"?)\n"
     "testdata/invalid-hourly.toml:13:8: state.file: must not be empty"},
    {"invalid-listen-address.toml",
     "testdata/invalid-listen-address.toml:2:18: web.listen_address: invalid listen address "
     "\"10877\": expected [host]:port, as in \":10877\" or \"127.0.0.1:10877\""},
    {"invalid-missing-keys.toml",
     "testdata/invalid-missing-keys.toml:5:1: accounts[0]: missing required key "
     "\"access_token_secret\"\n"
     "testdata/invalid-missing-keys.toml:9:1: accounts[1]: missing required key \"handle\"\n"
     "testdata/invalid-missing-keys.toml:13:1: posts[0]: missing required key \"id\" or \"file\"\n"
     "testdata/invalid-missing-keys.toml:16:1: posts[1]: set either id or file, not both"},
    {"invalid-no-credentials.toml",
     "testdata/invalid-no-credentials.toml:1:1: app: no credentials; set bearer_token, or "
     "consumer_key and consumer_secret (the bearer token is then fetched from api.search_url)"},
    {"invalid-post-ids.toml",
     "testdata/invalid-post-ids.toml:5:6: posts[0].id: invalid Post ID \"0123\": expected 1 to 19 "
     "digits without sign or leading zero, at most 9223372036854775807\n"
     "testdata/invalid-post-ids.toml:8:6: posts[1].id: invalid Post ID \"12345678901234567890\": "
     "expected 1 to 19 digits without sign or leading zero, at most 9223372036854775807\n"
     "testdata/invalid-post-ids.toml:11:6: posts[2].id: invalid Post ID "
     "\"https://x.com/acme/status/18555555555555…\": expected 1 to 19 digits without sign or "
     "leading zero, at most 9223372036854775807"},
    {"invalid-posts-cap.toml",
     "testdata/invalid-posts-cap.toml:10:1: posts[1]: 4 Posts configured, more than "
     "limits.max_posts (3)"},
    {"invalid-posts-file.toml",
     "testdata/posts/bad-lines.txt:4: invalid Post ID \"1855555555555555557x\": expected 1 to 19 "
     "digits without sign or leading zero, at most 9223372036854775807 (in the Post list of "
     "posts[0].file at testdata/invalid-posts-file.toml:5:8)\n"
     "testdata/posts/bad-lines.txt:5: invalid Post ID \"@globex\": expected 1 to 19 digits without "
     "sign or leading zero, at most 9223372036854775807 (in the Post list of posts[0].file at "
     "testdata/invalid-posts-file.toml:5:8)\n"
     "testdata/posts/bad-lines.txt:7: invalid Post ID \"-1855555555555555558\": expected 1 to 19 "
     "digits without sign or leading zero, at most 9223372036854775807 (in the Post list of "
     "posts[0].file at testdata/invalid-posts-file.toml:5:8)\n"
     "testdata/invalid-posts-file.toml:8:8: posts[1].file: cannot read Post list "
     "testdata/posts/missing.txt: No such file or directory"},
    {"invalid-public-auth-mode.toml",
     "testdata/invalid-public-auth-mode.toml:4:15: app.public_auth: \"oauth1\" is not one of "
     "\"auto\", \"bearer\", \"oauth1_app\""},
    {"invalid-public-auth.toml",
     "testdata/invalid-public-auth.toml:4:15: app.public_auth: \"oauth1_app\" signs with "
     "app.consumer_key and app.consumer_secret, which are not set"},
    {"invalid-ranges.toml",
     "testdata/invalid-ranges.toml:5:11: api.timeout: 0s is out of range 1ms..10m\n"
     "testdata/invalid-ranges.toml:6:23: api.requests_per_minute: 0 is out of range 1..100000\n"
     "testdata/invalid-ranges.toml:7:15: api.max_retries: 11 is out of range 0..10\n"
     "testdata/invalid-ranges.toml:10:12: collectors.totals.interval: 10s is out of range 15s..1d\n"
     "testdata/invalid-ranges.toml:13:13: limits.max_posts: 0 is out of range 1..1000000"},
    {"invalid-secret-control.toml",
     "testdata/invalid-secret-control.toml:2:25: app.consumer_key: secret file "
     "testdata/secrets/with-nul contains control character 0x00 at byte 14; a secret is one line "
     "of printable text\n"
     "testdata/invalid-secret-control.toml:3:28: app.consumer_secret: secret file "
     "testdata/secrets/two-lines contains control character 0x0A at byte 11; a secret is one "
     "line of printable text"},
    {"invalid-secret-env.toml",
     "testdata/invalid-secret-env.toml:2:24: app.consumer_key: environment variable "
     "X_UNSET_CONSUMER_KEY is not set\n"
     "testdata/invalid-secret-env.toml:3:27: app.consumer_secret: environment variable "
     "X_EMPTY_CONSUMER_SECRET is empty\n"
     "testdata/invalid-secret-env.toml:4:24: app.bearer_token: environment variable "
     "X_BLANK_BEARER_TOKEN is empty"},
    {"invalid-secret-file.toml",
     "testdata/invalid-secret-file.toml:2:25: app.consumer_key: cannot read secret file "
     "testdata/secrets/missing: No such file or directory\n"
     "testdata/invalid-secret-file.toml:3:28: app.consumer_secret: secret file "
     "testdata/secrets/blank is empty\n"
     "testdata/invalid-secret-file.toml:4:25: app.bearer_token: cannot read secret file "
     "testdata/secrets: Is a directory"},
    {"invalid-secret-shape.toml",
     "testdata/invalid-secret-shape.toml:3:16: app.consumer_key: set either env or file, not both\n"
     "testdata/invalid-secret-shape.toml:4:27: app.consumer_secret.env: not an environment "
     "variable name (letters, digits and underscores, not starting with a digit)\n"
     "testdata/invalid-secret-shape.toml:5:16: app.bearer_token: expected { env = \"NAME\" } or { "
     "file = \"/path\" }\n"
     "testdata/invalid-secret-shape.toml:9:16: accounts[0].access_token: expected { env = \"…\" }, "
     "{ file = \"…\" } or a string, got an integer\n"
     "testdata/invalid-secret-shape.toml:10:23: accounts[0].access_token_secret: must not be "
     "empty"},
    {"invalid-syntax.toml",
     "testdata/invalid-syntax.toml:5:26: Error while parsing string: unescaped control characters "
     "other than TAB (U+0009) are explicitly prohibited"},
    {"invalid-table-types.toml",
     "testdata/invalid-table-types.toml:1:7: web: expected a table, got a string\n"
     "testdata/invalid-table-types.toml:2:12: accounts: expected an array of tables "
     "([[accounts]]), got a table\n"
     "testdata/invalid-table-types.toml:3:10: posts[0]: expected a table, got a string\n"
     "testdata/invalid-table-types.toml:9:10: collectors.totals: expected a table, got a string"},
    {"invalid-tls-client-ca-not-pem.toml",
     "testdata/invalid-tls-client-ca-not-pem.toml:7:18: web.tls.client_ca_file: "
     "testdata/certs/ca.pem holds no PEM CA certificate (no start line)"},
    {"invalid-tls-client-ca-without-auth.toml",
     "testdata/invalid-tls-client-ca-without-auth.toml:7:18: web.tls.client_ca_file: set without "
     "client_auth_type, so no client is ever asked for a certificate; add client_auth_type = \""
     "RequireAndVerifyClientCert\""},
    {"invalid-tls-encrypted-key.toml",
     "testdata/invalid-tls-encrypted-key.toml:6:12: web.tls.key_file: "
     "testdata/certs/encrypted-key.pem is encrypted; give the key without a passphrase (openssl "
     "pkey -in KEY -out PLAIN_KEY)"},
    {"invalid-tls-mismatched-key.toml",
     "testdata/invalid-tls-mismatched-key.toml:6:12: web.tls.key_file: "
     "testdata/certs/other-key.pem is not the private key of the certificate in "
     "testdata/certs/server.pem (key values mismatch)"},
    {"invalid-tls-missing-cert-file.toml",
     "testdata/invalid-tls-missing-cert-file.toml:5:13: web.tls.cert_file: cannot read "
     "testdata/certs/missing.pem: No such file or directory"},
    {"invalid-tls-missing-key.toml",
     "testdata/invalid-tls-missing-key.toml:4:1: web.tls: missing required key \"key_file\"\n"
     "testdata/invalid-tls-missing-key.toml:6:1: unknown key web.tls.cipher_suites (expected "
     "cert_file, key_file, client_ca_file, client_auth_type, min_version or max_version)"},
    {"invalid-tls-not-a-certificate.toml",
     "testdata/invalid-tls-not-a-certificate.toml:5:13: web.tls.cert_file: testdata/certs/ca.pem "
     "is not a PEM certificate chain (no start line)"},
    {"invalid-tls-settings.toml",
     "testdata/invalid-tls-settings.toml:7:20: web.tls.client_auth_type: unknown \""
     "RequireClientCerts\"; expected NoClientCert, RequestClientCert, RequireAnyClientCert, "
     "VerifyClientCertIfGiven or RequireAndVerifyClientCert\n"
     "testdata/invalid-tls-settings.toml:8:15: web.tls.min_version: TLS11 is not supported: "
     "OpenSSL 3 refuses TLS 1.0 and 1.1 at its default security level; use TLS12 or TLS13\n"
     "testdata/invalid-tls-settings.toml:9:15: web.tls.max_version: unknown TLS version \"TLS14\""
     "; expected TLS12 or TLS13"},
    {"invalid-tls-verify-without-ca.toml",
     "testdata/invalid-tls-verify-without-ca.toml:7:20: web.tls.client_auth_type: "
     "RequireAndVerifyClientCert verifies client certificates, which needs client_ca_file"},
    {"invalid-tls-version-range.toml",
     "testdata/invalid-tls-version-range.toml:8:15: web.tls.max_version: TLS12 is below "
     "min_version TLS13"},
    {"invalid-types.toml",
     "testdata/invalid-types.toml:2:11: api.timeout: expected a string, got an integer\n"
     "testdata/invalid-types.toml:3:23: api.requests_per_minute: expected an integer, got a "
     "string\n"
     "testdata/invalid-types.toml:4:15: api.max_retries: expected an integer, got a float\n"
     "testdata/invalid-types.toml:7:16: app.bearer_token: expected { env = \"…\" }, { file = \"…\" "
     "} or a string, got an integer\n"
     "testdata/invalid-types.toml:10:6: posts[0].id: expected a string, got an integer\n"
     "testdata/invalid-types.toml:13:13: limits.max_posts: expected an integer, got a boolean"},
    {"invalid-undefined-account.toml",
     "testdata/invalid-undefined-account.toml:12:11: posts[0].account: no [[accounts]] entry has "
     "handle \"acmee\" (did you mean \"acme\"?)\n"
     "testdata/invalid-undefined-account.toml:16:11: posts[1].account: no [[accounts]] entry has "
     "handle \"initech\""},
    {"invalid-unknown-keys.toml",
     "testdata/invalid-unknown-keys.toml:3:1: unknown key web.listen_adress (did you mean "
     "\"listen_address\"?)\n"
     "testdata/invalid-unknown-keys.toml:4:1: unknown key web.port (expected listen_address, "
     "basic_auth_users, max_connections, request_timeout, idle_timeout or tls)\n"
     "testdata/invalid-unknown-keys.toml:7:1: unknown key api.timeout_seconds (did you mean "
     "\"timeout\"?)\n"
     "testdata/invalid-unknown-keys.toml:12:18: unknown key app.bearer_token.enc (did you mean "
     "\"env\"?)\n"
     "testdata/invalid-unknown-keys.toml:16:1: unknown key accounts[0].acess_token (did you mean "
     "\"access_token\"?)\n"
     "testdata/invalid-unknown-keys.toml:21:1: unknown key posts[0].acount (did you mean "
     "\"account\"?)\n"
     "testdata/invalid-unknown-keys.toml:23:13: unknown key collectors.total (did you mean "
     "\"totals\"?)\n"
     "testdata/invalid-unknown-keys.toml:26:2: unknown key limit (did you mean \"limits\"?)"},
    {"invalid-url-scheme.toml",
     "testdata/invalid-url-scheme.toml:5:18: api.engagement_url: invalid URL "
     "\"ftp://data-api.x.com\": the scheme must be http or https\n"
     "testdata/invalid-url-scheme.toml:6:14: api.search_url: invalid URL "
     "\"https://api.x.com:99999\": the port must be a number from 1 to 65535"},
    {"invalid-urls.toml",
     "testdata/invalid-urls.toml:5:18: api.engagement_url: invalid URL "
     "\"https://data-api.x.com/insights/engageme…\": a base URL has no path; the exporter appends "
     "the API paths\n"
     "testdata/invalid-urls.toml:6:14: api.search_url: invalid URL \"api.x.com\": expected "
     "scheme://host[:port]"},
    {"invalid-web-limits.toml",
     "testdata/invalid-web-limits.toml:2:19: web.max_connections: 0 is out of range 1..4096\n"
     "testdata/invalid-web-limits.toml:3:19: web.request_timeout: 50ms is out of range 100ms..5m\n"
     "testdata/invalid-web-limits.toml:4:16: web.idle_timeout: 10m is out of range 100ms..5m"},
};

class InvalidConfigTest : public ::testing::TestWithParam<InvalidConfig> {};

TEST_P(InvalidConfigTest, ReportsEveryErrorAtItsPosition) {
  const auto loaded = load_config("testdata/" + GetParam().file, secrets_environment());
  ASSERT_FALSE(loaded) << "loaded although invalid";
  EXPECT_EQ(loaded.error().message, GetParam().errors);
}

TEST_P(InvalidConfigTest, NeverShowsASecretValue) {
  const auto loaded = load_config("testdata/" + GetParam().file, secrets_environment());
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message, Not(HasSubstr(kSecretMarker)));
}

INSTANTIATE_TEST_SUITE_P(Testdata, InvalidConfigTest, ::testing::ValuesIn(kInvalidConfigs),
                         [](const ::testing::TestParamInfo<InvalidConfig>& param_info) {
                           std::string name =
                               param_info.param.file.substr(0, param_info.param.file.find('.'));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(InvalidConfigs, EveryInvalidFileHasAnExpectedMessage) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator("testdata")) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("invalid-")) files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> listed;
  for (const InvalidConfig& config : kInvalidConfigs) listed.push_back(config.file);
  EXPECT_EQ(files, listed);
}

TEST(LoadConfig, ReadsWebTlsWithPathsBesideTheConfig) {
  const auto loaded = load_config("testdata/valid-tls.toml", secrets_environment());
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_TRUE(loaded->config.web.tls.has_value());
  const common::TlsServerSettings& tls = *loaded->config.web.tls;
  EXPECT_EQ(tls.cert_file, "testdata/certs/server.pem");
  EXPECT_EQ(tls.key_file, "testdata/certs/server-key.pem");
  EXPECT_EQ(tls.client_ca_file, "testdata/certs/server.pem");
  EXPECT_EQ(tls.client_auth, common::ClientAuth::require_and_verify_client_cert);
  EXPECT_EQ(tls.min_version, common::TlsVersion::tls13);
  EXPECT_EQ(tls.max_version, common::TlsVersion::tls13);
}

TEST(LoadConfig, ServesPlainHttpWithoutWebTls) {
  const auto loaded = load_config("testdata/valid-minimal.toml", secrets_environment());
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_FALSE(loaded->config.web.tls.has_value());
}

TEST(LoadConfig, NamesAConfigFileItCannotRead) {
  const auto loaded = load_config("testdata/no-such-config.toml", secrets_environment());
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message,
            "testdata/no-such-config.toml: cannot read the config file: No such file or directory");
}

// Found by fuzz/config_fuzzer: a quoted key holding a newline split its diagnostic in two lines.
TEST(LoadConfig, KeepsEachDiagnosticOnOneLine) {
  FakeEnvironment env;
  env.set_variable("X_BEARER_TOKEN", "t")
      .set_file("/virtual/x.toml",
                "[app]\nbearer_token = { env = \"X_BEARER_TOKEN\" }\n[[posts]]\nid = \"1\"\n"
                "[web.basic_auth_users]\n\"ops:a\\nb\" = "
                "\"$2y$04$RbjHHAZuBWN99ibct9lRZuabWsopRAD7XJU5EeZ3J0BtA.PWRL5ZC\"\n");
  const auto loaded = load_config("/virtual/x.toml", env);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(
      loaded.error().message,
      "/virtual/x.toml:6:1: web.basic_auth_users: user name \"ops:a\\nb\" contains ':', which "
      "separates user and password in basic authentication");
}

// Found by fuzz/config_fuzzer: toml++ quotes the character it stopped at, a newline included.
TEST(LoadConfig, KeepsASyntaxErrorOnOneLine) {
  FakeEnvironment env;
  env.set_file("/virtual/x.toml", "[app]\nbearer_token = tr\n");
  const auto loaded = load_config("/virtual/x.toml", env);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message,
            "/virtual/x.toml:2:18: Error while parsing boolean: expected 'true', saw 'tr\\n'");
}

TEST(LoadConfig, ShowsTheFirstHundredErrorsAndCountsTheRest) {
  std::string garbage;
  for (int i = 1; i <= 150; ++i) garbage += "not-an-id-" + std::to_string(i) + "\n";
  FakeEnvironment env;
  env.set_variable("X_BEARER_TOKEN", "t")
      .set_file("/virtual/x.toml",
                "[app]\nbearer_token = { env = \"X_BEARER_TOKEN\" }\n[[posts]]\nfile = "
                "\"garbage.txt\"\n")
      .set_file("/virtual/garbage.txt", garbage);
  const auto loaded = load_config("/virtual/x.toml", env);
  ASSERT_FALSE(loaded);
  const std::string& message = loaded.error().message;
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 100);
  EXPECT_THAT(message, HasSubstr("/virtual/garbage.txt:100: invalid Post ID \"not-an-id-100\""));
  EXPECT_THAT(message, Not(HasSubstr("not-an-id-101")));
  EXPECT_TRUE(message.ends_with("\n/virtual/x.toml: 50 more errors not shown")) << message;
}

// ----- valid configs -----

TEST(LoadConfig, ReadsEveryKeyOfAFullConfig) {
  const auto loaded = load_config("testdata/valid-full.toml", secrets_environment());
  ASSERT_TRUE(loaded) << loaded.error().message;
  const ExporterConfig& config = loaded->config;
  EXPECT_EQ(config.file, "testdata/valid-full.toml");
  EXPECT_EQ(config.web.listen_address, "127.0.0.1:10999");
  EXPECT_EQ(config.web.limits.max_connections, 64);
  EXPECT_EQ(config.web.limits.request_timeout, std::chrono::seconds(3));
  EXPECT_EQ(config.web.limits.idle_timeout, std::chrono::minutes(1));
  EXPECT_THAT(
      config.web.basic_auth_users,
      ElementsAre(
          Pair("alice", "$2a$04$qeExUOttWM9HG8v4RJsW3O0EOighgaC9ZpHoYBMVrOBQz3XuvbrnG"),
          Pair("prometheus", "$2b$04$QG2xyWsg3P.ILoYmySg78.ERHo6kgVM6xbK5wOripUkeplxKICYqS")));
  EXPECT_EQ(config.api.engagement_url, "http://127.0.0.1:10880");
  EXPECT_EQ(config.api.search_url, "http://localhost:10880");
  EXPECT_EQ(config.api.timeout, milliseconds{45000});
  EXPECT_EQ(config.api.connect_timeout, milliseconds{2500});
  EXPECT_EQ(config.api.requests_per_minute, 120);
  EXPECT_EQ(config.api.max_retries, 0);
  EXPECT_EQ(config.api.ca_file, "testdata/certs/ca.pem");
  ASSERT_TRUE(config.app.consumer_key && config.app.consumer_secret && config.app.bearer_token);
  EXPECT_EQ(config.app.consumer_key->reveal(), "env-consumer-key-s3cr3t");
  EXPECT_EQ(config.app.consumer_key->origin(), "environment variable X_CONSUMER_KEY");
  EXPECT_EQ(config.app.consumer_secret->reveal(), "file-consumer-s3cr3t");
  EXPECT_EQ(config.app.consumer_secret->origin(), "file testdata/secrets/consumer_secret");
  EXPECT_EQ(config.app.bearer_token->reveal(), "env-bearer-s3cr3t");
  EXPECT_EQ(config.app.public_auth, PublicAuthMode::oauth1_app);
  ASSERT_EQ(config.accounts.size(), 2u);
  EXPECT_EQ(config.accounts[0].handle, "acme");
  EXPECT_EQ(config.accounts[0].access_token.reveal(), "1000001-acme-s3cr3t");
  EXPECT_EQ(config.accounts[0].access_token_secret.reveal(), "acme-token-s3cr3t");
  EXPECT_EQ(config.accounts[1].handle, "globex");
  EXPECT_EQ(config.accounts[1].access_token.reveal(), "file-globex-token-s3cr3t");
  EXPECT_EQ(config.accounts[1].access_token_secret.reveal(), "globex-token-s3cr3t");
  EXPECT_THAT(config.posts, ElementsAre(PostConfig{1855555555555555555ULL, "acme"},
                                        PostConfig{1855555555555555556ULL, "globex"},
                                        PostConfig{1855555555555555557ULL, "globex"},
                                        PostConfig{1855555555555555558ULL, "globex"},
                                        PostConfig{1855555555555555559ULL, std::nullopt}));
  EXPECT_EQ(config.collectors.totals.interval, milliseconds{60000});
  EXPECT_FALSE(config.collectors.hourly.enabled);
  EXPECT_EQ(config.collectors.hourly.delay, milliseconds{600000});
  EXPECT_EQ(config.collectors.hourly.inactive_after, milliseconds{3 * 86400000});
  EXPECT_EQ(config.collectors.hourly.slow_interval, milliseconds{12 * 3600000});
  EXPECT_EQ(config.collectors.hourly.budget_share, 0.25);
  EXPECT_EQ(config.state.file, "testdata/state/exporter.state.json");
  EXPECT_EQ(config.limits.max_posts, 50u);
  EXPECT_EQ(config.discovery.interval, milliseconds{120000});
  EXPECT_EQ(config.discovery.requests_per_window, 90);
  EXPECT_EQ(config.discovery.lookback, milliseconds{12 * 3600000});
  EXPECT_EQ(config.discovery.ttl, milliseconds{3 * 86400000});
  EXPECT_EQ(config.discovery.max_posts, 40u);
  EXPECT_EQ(config.discovery.max_pages_per_round, 3);
  EXPECT_THAT(config.discovery.hashtags,
              ElementsAre(HashtagSourceConfig{"LaunchDay", "-is:retweet lang:en", 25},
                          HashtagSourceConfig{"xapi", "", 500}));
  EXPECT_THAT(config.discovery.accounts,
              ElementsAre(AccountSourceConfig{"initech", "-is:reply", 10}));
  // References are matched regardless of case and kept as their definitions spell them.
  EXPECT_THAT(config.campaigns,
              ElementsAre(CampaignConfig{"launch_week.2026",
                                         {1855555555555555555ULL, 1855555555555555560ULL},
                                         {"LaunchDay"},
                                         {"acme", "initech"},
                                         300},
                          CampaignConfig{"xapi-es", {}, {"xapi"}, {}, 1000}));
  EXPECT_EQ(config.billing.monthly_accounts_limit, 5000);
  EXPECT_THAT(loaded->warnings, ElementsAre());
}

TEST(LoadConfig, AppliesDefaultsToEverythingLeftOut) {
  const auto loaded = load_config("testdata/valid-minimal.toml", secrets_environment());
  ASSERT_TRUE(loaded) << loaded.error().message;
  const ExporterConfig& config = loaded->config;
  EXPECT_EQ(config.web.listen_address, ":10877");
  EXPECT_EQ(config.web.limits.max_connections, 512);
  EXPECT_EQ(config.web.limits.request_timeout, std::chrono::seconds(10));
  EXPECT_EQ(config.web.limits.idle_timeout, std::chrono::seconds(10));
  EXPECT_TRUE(config.web.basic_auth_users.empty());
  EXPECT_EQ(config.api.engagement_url, "https://data-api.x.com");
  EXPECT_EQ(config.api.search_url, "https://api.x.com");
  EXPECT_EQ(config.api.timeout, milliseconds{30000});
  EXPECT_EQ(config.api.connect_timeout, milliseconds{10000});
  EXPECT_EQ(config.api.requests_per_minute, 30);
  EXPECT_EQ(config.api.max_retries, 3);
  EXPECT_EQ(config.api.ca_file, std::nullopt);
  EXPECT_FALSE(config.app.consumer_key);
  EXPECT_FALSE(config.app.consumer_secret);
  ASSERT_TRUE(config.app.bearer_token);
  EXPECT_EQ(config.app.bearer_token->reveal(), "env-bearer-s3cr3t");
  EXPECT_EQ(config.app.public_auth, PublicAuthMode::automatic);
  EXPECT_TRUE(config.accounts.empty());
  EXPECT_THAT(config.posts, ElementsAre(PostConfig{1855555555555555555ULL, std::nullopt}));
  EXPECT_EQ(config.collectors.totals.interval, milliseconds{300000});
  EXPECT_TRUE(config.collectors.hourly.enabled);
  EXPECT_EQ(config.collectors.hourly.delay, milliseconds{300000});
  EXPECT_EQ(config.collectors.hourly.inactive_after, milliseconds{48 * 3600000});
  EXPECT_EQ(config.collectors.hourly.slow_interval, milliseconds{6 * 3600000});
  EXPECT_EQ(config.collectors.hourly.budget_share, 0.5);
  EXPECT_EQ(config.state.file, "testdata/x-engagement-exporter.state.json");
  EXPECT_EQ(config.limits.max_posts, 10000u);
  EXPECT_TRUE(config.discovery == DiscoveryConfig{});
  EXPECT_TRUE(config.campaigns.empty());
  EXPECT_TRUE(config.billing == BillingConfig{});
  EXPECT_THAT(loaded->warnings, ElementsAre());
}

TEST(LoadConfig, AppliesSourceAndCampaignDefaults) {
  FakeEnvironment env;
  env.set_variable("X_BEARER_TOKEN", "t")
      .set_file("/virtual/sources.toml",
                "[app]\nbearer_token = { env = \"X_BEARER_TOKEN\" }\n"
                "[[discovery.hashtags]]\ntag = \"launchday\"\n"
                "[[discovery.accounts]]\nhandle = \"globex\"\n"
                "[[campaigns]]\nname = \"globex-launch\"\naccounts = [\"globex\"]\n"
                "[limits]\nmax_posts = 100\n");
  const auto loaded = load_config("/virtual/sources.toml", env);
  ASSERT_TRUE(loaded) << loaded.error().message;
  const ExporterConfig& config = loaded->config;
  EXPECT_THAT(config.discovery.hashtags, ElementsAre(HashtagSourceConfig{"launchday", "", 500}));
  EXPECT_THAT(config.discovery.accounts, ElementsAre(AccountSourceConfig{"globex", "", 500}));
  EXPECT_THAT(config.campaigns,
              ElementsAre(CampaignConfig{"globex-launch", {}, {}, {"globex"}, 1000}));
  // Left out, discovery.max_posts does not exceed a lower limits.max_posts.
  EXPECT_EQ(config.discovery.max_posts, 100u);
  // Discovered Posts will be tracked, so no [[posts]] is no reason to warn.
  EXPECT_THAT(loaded->warnings, ElementsAre());
}

TEST(LoadConfig, CountsCampaignPostsWithThePostsAgainstTheLimitEachOnce) {
  const auto load_with_limit = [](int max_posts) {
    FakeEnvironment env;
    env.set_variable("X_BEARER_TOKEN", "t")
        .set_file("/virtual/campaign-posts.toml",
                  "[app]\nbearer_token = { env = \"X_BEARER_TOKEN\" }\n"
                  "[[posts]]\nid = \"20\"\n"
                  "[[campaigns]]\nname = \"a\"\nposts = [\"20\", \"21\"]\n"
                  "[[campaigns]]\nname = \"b\"\nposts = [\"21\", \"22\"]\n"
                  "[limits]\nmax_posts = " +
                      std::to_string(max_posts) + "\n");
    return load_config("/virtual/campaign-posts.toml", env);
  };
  const auto three = load_with_limit(3);
  ASSERT_TRUE(three) << three.error().message;
  EXPECT_THAT(three->config.campaigns, ElementsAre(CampaignConfig{"a", {20, 21}, {}, {}, 1000},
                                                   CampaignConfig{"b", {21, 22}, {}, {}, 1000}));
  EXPECT_THAT(three->config.posts, ElementsAre(PostConfig{20, std::nullopt}));
  const auto two = load_with_limit(2);
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().message,
            "/virtual/campaign-posts.toml:10:9: campaigns[1].posts: 3 Posts configured in "
            "[[posts]] and campaigns together, more than limits.max_posts (2)");
}

TEST(LoadConfig, LoadsTheExampleWithTheDemoScriptsVariables) {
  FakeEnvironment env;
  env.set_variable("X_CONSUMER_KEY", "demo-consumer-key")
      .set_variable("X_CONSUMER_SECRET", "demo-consumer-secret")
      .set_variable("X_BEARER_TOKEN", "demo-bearer-token")
      .set_variable("X_ACME_ACCESS_TOKEN", "1000001-acme-demo-token")
      .set_variable("X_ACME_ACCESS_TOKEN_SECRET", "acme-demo-token-secret")
      .set_variable("X_GLOBEX_ACCESS_TOKEN", "1000002-globex-demo-token")
      .set_variable("X_GLOBEX_ACCESS_TOKEN_SECRET", "globex-demo-token-secret")
      .set_variable("X_INITECH_ARCHIVE_ACCESS_TOKEN", "1000003-initech-demo-token")
      .set_variable("X_INITECH_ARCHIVE_ACCESS_TOKEN_SECRET", "initech-demo-token-secret");
  const auto loaded = load_config(XEE_TEST_DIR "/../../config/example.toml", env);
  ASSERT_TRUE(loaded) << loaded.error().message;
  const ExporterConfig& config = loaded->config;
  EXPECT_EQ(config.web.listen_address, ":10877");
  EXPECT_EQ(config.web.limits.max_connections, 512);
  EXPECT_EQ(config.web.limits.request_timeout, std::chrono::seconds(10));
  EXPECT_EQ(config.web.limits.idle_timeout, std::chrono::seconds(10));
  EXPECT_EQ(config.api.engagement_url, "http://127.0.0.1:10880");
  EXPECT_EQ(config.api.search_url, "http://127.0.0.1:10880");
  EXPECT_EQ(config.app.consumer_key->reveal(), "demo-consumer-key");
  EXPECT_EQ(config.app.consumer_secret->reveal(), "demo-consumer-secret");
  EXPECT_EQ(config.app.bearer_token->reveal(), "demo-bearer-token");
  ASSERT_EQ(config.accounts.size(), 3u);
  EXPECT_EQ(config.accounts[0].handle, "acme");
  EXPECT_EQ(config.accounts[1].handle, "globex");
  EXPECT_EQ(config.accounts[2].handle, "initech_archive");
  EXPECT_EQ(config.accounts[2].access_token.reveal(), "1000003-initech-demo-token");
  EXPECT_EQ(config.accounts[2].access_token_secret.reveal(), "initech-demo-token-secret");
  EXPECT_EQ(config.collectors.totals.interval, milliseconds{60000});
  // The Post lists hold demo-world IDs (10 acme, 5 globex, 2 initech_archive, 10 public).
  ASSERT_EQ(config.posts.size(), 27u);
  EXPECT_EQ(config.posts.front(), (PostConfig{2123521096312426148ULL, "acme"}));
  EXPECT_EQ(config.posts[16], (PostConfig{1232397864911514337ULL, "initech_archive"}));
  EXPECT_EQ(config.posts.back(), (PostConfig{2123554636464918412ULL, std::nullopt}));
  EXPECT_EQ(config.discovery.interval, milliseconds{60000});
  EXPECT_EQ(config.discovery.lookback, milliseconds{86400000});
  EXPECT_EQ(config.discovery.ttl, milliseconds{2 * 86400000});
  EXPECT_EQ(config.discovery.max_posts, 1000u);
  EXPECT_THAT(config.discovery.hashtags,
              ElementsAre(HashtagSourceConfig{"launchday", "-is:retweet", 600},
                          HashtagSourceConfig{"xapi", "lang:es", 100}));
  EXPECT_THAT(config.discovery.accounts,
              ElementsAre(AccountSourceConfig{"acme", "-is:retweet", 500},
                          AccountSourceConfig{"globex", "-is:retweet", 500}));
  EXPECT_THAT(config.campaigns,
              ElementsAre(CampaignConfig{"acme-launch", {}, {"launchday"}, {"acme"}, 1000},
                          CampaignConfig{"globex-launch", {}, {}, {"globex"}, 1000}));
  EXPECT_EQ(config.billing.monthly_accounts_limit, 1000);
  EXPECT_THAT(loaded->warnings, ElementsAre());
}

TEST(LoadConfig, WarnsAboutInlineSecretsWithoutShowingThem) {
  FakeEnvironment env;
  env.set_file("/virtual/inline.toml",
               "[app]\n"
               "consumer_key = \"inline-key-s3cr3t\"\n"
               "consumer_secret = \"inline-secret-s3cr3t\"\n"
               "[[accounts]]\n"
               "handle = \"acme\"\n"
               "access_token = \"inline-token-s3cr3t\"\n"
               "access_token_secret = \"inline-token-secret-s3cr3t\"\n"
               "[[posts]]\n"
               "id = \"1855555555555555555\"\n"
               "account = \"acme\"\n");
  const auto loaded = load_config("/virtual/inline.toml", env);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_THAT(
      loaded->warnings,
      ElementsAre(
          "/virtual/inline.toml:2:16: app.consumer_key is inline; prefer { env = \"…\" } or "
          "{ file = \"…\" }",
          "/virtual/inline.toml:3:19: app.consumer_secret is inline; prefer { env = \"…\" } or "
          "{ file = \"…\" }",
          "/virtual/inline.toml:6:16: accounts[0].access_token is inline; prefer { env = \"…\" } "
          "or { file = \"…\" }",
          "/virtual/inline.toml:7:23: accounts[0].access_token_secret is inline; prefer { env = "
          "\"…\" } or { file = \"…\" }"));
  for (const std::string& warning : loaded->warnings) {
    EXPECT_THAT(warning, Not(HasSubstr(kSecretMarker)));
  }
  EXPECT_EQ(loaded->config.app.consumer_key->reveal(), "inline-key-s3cr3t");
  EXPECT_EQ(loaded->config.app.consumer_key->origin(), "inline at /virtual/inline.toml:2:16");
  EXPECT_EQ(loaded->config.accounts[0].access_token_secret.reveal(), "inline-token-secret-s3cr3t");
}

TEST(LoadConfig, WarnsAboutPlainHttpToARemoteHostEmptyPostListsAndNoPosts) {
  FakeEnvironment env;
  env.set_variable("X_BEARER_TOKEN", "t")
      .set_file("/virtual/http.toml",
                "[api]\n"
                "engagement_url = \"http://data-api.x.com\"\n"
                "[app]\n"
                "bearer_token = { env = \"X_BEARER_TOKEN\" }\n"
                "[[posts]]\n"
                "file = \"only-comments.txt\"\n")
      .set_file("/virtual/only-comments.txt", "# filled in later\n\n")
      .set_file("/virtual/no-posts.toml", "[app]\nbearer_token = { env = \"X_BEARER_TOKEN\" }\n")
      .set_file("/virtual/empty-posts.toml",
                "posts = []\n[app]\nbearer_token = { env = \"X_BEARER_TOKEN\" }\n");
  const auto http = load_config("/virtual/http.toml", env);
  ASSERT_TRUE(http) << http.error().message;
  EXPECT_THAT(http->warnings,
              ElementsAre("/virtual/http.toml:2:18: api.engagement_url uses plain http to "
                          "data-api.x.com; credentials would cross the network unencrypted",
                          "/virtual/http.toml:6:8: posts[0].file: /virtual/only-comments.txt "
                          "lists no Post IDs"));
  EXPECT_TRUE(http->config.posts.empty());

  const auto no_posts = load_config("/virtual/no-posts.toml", env);
  ASSERT_TRUE(no_posts) << no_posts.error().message;
  EXPECT_THAT(no_posts->warnings,
              ElementsAre("/virtual/no-posts.toml:1:1: no [[posts]] configured; the exporter "
                          "will report only its own health"));
  const auto empty_posts = load_config("/virtual/empty-posts.toml", env);
  ASSERT_TRUE(empty_posts) << empty_posts.error().message;
  EXPECT_THAT(empty_posts->warnings,
              ElementsAre("/virtual/empty-posts.toml:1:9: no [[posts]] configured; the exporter "
                          "will report only its own health"));
}

TEST(LoadConfig, ReadsBasicAuthUsersFromTheirOwnTableAndWarnsWhenItIsEmpty) {
  FakeEnvironment env;
  env.set_variable("X_BEARER_TOKEN", "t")
      .set_file("/virtual/users.toml",
                "[app]\nbearer_token = { env = \"X_BEARER_TOKEN\" }\n[[posts]]\nid = \"1\"\n"
                "[web.basic_auth_users]\n"
                "\"bob@example.org\" = "
                "\"$2y$04$RbjHHAZuBWN99ibct9lRZuabWsopRAD7XJU5EeZ3J0BtA.PWRL5ZC\"\n")
      .set_file("/virtual/empty.toml",
                "[app]\nbearer_token = { env = \"X_BEARER_TOKEN\" }\n[[posts]]\nid = \"1\"\n"
                "[web]\nbasic_auth_users = {}\n");
  const auto users = load_config("/virtual/users.toml", env);
  ASSERT_TRUE(users) << users.error().message;
  EXPECT_THAT(users->config.web.basic_auth_users,
              ElementsAre(Pair("bob@example.org",
                               "$2y$04$RbjHHAZuBWN99ibct9lRZuabWsopRAD7XJU5EeZ3J0BtA.PWRL5ZC")));
  EXPECT_THAT(users->warnings, ElementsAre());

  const auto empty = load_config("/virtual/empty.toml", env);
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_TRUE(empty->config.web.basic_auth_users.empty());
  EXPECT_THAT(empty->warnings,
              ElementsAre("/virtual/empty.toml:6:20: web.basic_auth_users is empty, so the "
                          "listener stays open to everyone"));
}

TEST(LoadConfig, ResolvesPathsAgainstTheConfigFilesFolder) {
  FakeEnvironment env;
  env.set_variable("X_BEARER_TOKEN", "t")
      .set_file("here.toml",
                "[app]\nbearer_token = { file = \"token\" }\n[[posts]]\nfile = \"ids.txt\"\n")
      .set_file("token", "from-cwd")
      .set_file("ids.txt", "20\n");
  const auto loaded = load_config("here.toml", env);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->config.app.bearer_token->reveal(), "from-cwd");
  EXPECT_THAT(loaded->config.posts, ElementsAre(PostConfig{20, std::nullopt}));
}

TEST(LoadConfig, ReadsPostListsWithCommentsBlankLinesAndIndentation) {
  FakeEnvironment env;
  env.set_variable("X_BEARER_TOKEN", "t")
      .set_file("/virtual/lists.toml",
                "[app]\nbearer_token = { env = \"X_BEARER_TOKEN\" }\n"
                "[[posts]]\nfile = \"/elsewhere/ids.txt\"\n")
      .set_file(
          "/elsewhere/ids.txt",
          "# launch week\r\n\r\n  1855555555555555555  # keynote\r\n\t1855555555555555556\r\n#"
          " 1855555555555555557\n");
  const auto loaded = load_config("/virtual/lists.toml", env);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_THAT(loaded->config.posts, ElementsAre(PostConfig{1855555555555555555ULL, std::nullopt},
                                                PostConfig{1855555555555555556ULL, std::nullopt}));
}

// ----- secrets from the real environment and real files -----

class SystemSecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ =
        std::filesystem::temp_directory_path() / ("xee-config-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override {
    ::unsetenv(kVariable);
    std::filesystem::remove_all(folder_);
  }
  std::string write(const std::string& name, const std::string& content) {
    const std::filesystem::path path = folder_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  static constexpr const char* kVariable = "XEE_CONFIG_TEST_BEARER_TOKEN";
  std::filesystem::path folder_;
};

TEST_F(SystemSecretsTest, ReadsVariablesAndTrimsTrailingNewlinesOfSecretFiles) {
  ::setenv(kVariable, "system-bearer-s3cr3t", 1);
  write("consumer_key", "system-key-s3cr3t\n");
  write("consumer_secret", "system-secret-s3cr3t \r\n\n");
  const std::string config = write("x.toml",
                                   "[app]\n"
                                   "consumer_key = { file = \"consumer_key\" }\n"
                                   "consumer_secret = { file = \"consumer_secret\" }\n"
                                   "bearer_token = { env = \"XEE_CONFIG_TEST_BEARER_TOKEN\" }\n"
                                   "[[posts]]\nid = \"20\"\n");
  const auto loaded = load_config(config, SystemEnvironment{});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->config.app.consumer_key->reveal(), "system-key-s3cr3t");
  EXPECT_EQ(loaded->config.app.consumer_secret->reveal(), "system-secret-s3cr3t");
  EXPECT_EQ(loaded->config.app.bearer_token->reveal(), "system-bearer-s3cr3t");
  EXPECT_EQ(loaded->config.app.consumer_secret->origin(),
            "file " + (folder_ / "consumer_secret").string());
}

TEST_F(SystemSecretsTest, NamesTheUnsetVariableAndTheMissingFile) {
  const std::string config =
      write("x.toml",
            "[app]\n"
            "consumer_key = { file = \"absent\" }\n"
            "consumer_secret = { env = \"XEE_CONFIG_TEST_BEARER_TOKEN\" }\n");
  const auto loaded = load_config(config, SystemEnvironment{});
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message,
            config + ":2:25: app.consumer_key: cannot read secret file " +
                (folder_ / "absent").string() + ": No such file or directory\n" + config +
                ":3:27: app.consumer_secret: environment variable XEE_CONFIG_TEST_BEARER_TOKEN is "
                "not set");
}

// ----- helpers for the exporter's main -----

TEST(ExporterConfig, FindsAccountsByHandleAndBuildsTheirCredentials) {
  const auto loaded = load_config("testdata/valid-full.toml", secrets_environment());
  ASSERT_TRUE(loaded) << loaded.error().message;
  const AccountConfig* globex = loaded->config.find_account("globex");
  ASSERT_NE(globex, nullptr);
  EXPECT_EQ(globex->handle, "globex");
  EXPECT_EQ(loaded->config.find_account("Globex"), nullptr);
  const wire::oauth::Credentials credentials = user_credentials(loaded->config.app, *globex);
  EXPECT_EQ(credentials.consumer_key, "env-consumer-key-s3cr3t");
  EXPECT_EQ(credentials.consumer_secret, "file-consumer-s3cr3t");
  EXPECT_EQ(credentials.token, "file-globex-token-s3cr3t");
  EXPECT_EQ(credentials.token_secret, "globex-token-s3cr3t");
}

}  // namespace
}  // namespace xee::config
