// Starts the built x_api_simulator on a free loopback port and drives it over real sockets with
// libcurl, as the exporter and users do.

#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <thread>

#include "common/gzip.h"
#include "common/time_format.h"
#include "simulator/world/world.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/ports.h"
#include "wire/api_limits.h"
#include "wire/oauth.h"

namespace xee::simulator {
namespace {

using namespace std::chrono_literals;
using test_support::ChildProcess;
using test_support::HttpRequestOptions;
using test_support::HttpResult;
using ::testing::HasSubstr;

const std::string kBinary = std::string(XEE_BINARY_DIR) + "/simulator/x_api_simulator";
const common::TimePoint kClockStart =
    common::TimePoint(*common::parse_iso8601("2026-11-20T00:00:00Z"));

std::string log_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "x_api_simulator_test";
  std::filesystem::create_directories(dir);
  return (dir / (name + "-" + std::to_string(::getpid()) + ".log")).string();
}

// One running simulator with the tests' frozen clock and any extra flags.
class Simulator {
 public:
  static std::unique_ptr<Simulator> start(std::vector<std::string> extra_flags = {}) {
    // A port picked free can be taken before the child binds it; one retry covers that race.
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto simulator = try_start(extra_flags);
      if (simulator) return simulator;
    }
    ADD_FAILURE() << "the simulator did not start";
    return nullptr;
  }

  std::string url(std::string_view path) const { return base_ + std::string(path); }
  ChildProcess& process() { return *process_; }

  std::string metrics() { return test_support::http_get(url("/metrics")).body; }

 private:
  static std::unique_ptr<Simulator> try_start(const std::vector<std::string>& extra_flags) {
    const auto port = test_support::pick_free_port();
    if (!port) return nullptr;
    auto simulator = std::unique_ptr<Simulator>(new Simulator());
    simulator->base_ = "http://127.0.0.1:" + std::to_string(*port);
    std::vector<std::string> args{"--web.listen-address=127.0.0.1:" + std::to_string(*port),
                                  "--clock.start=2026-11-20T00:00:00Z", "--clock.speed=0"};
    args.insert(args.end(), extra_flags.begin(), extra_flags.end());
    auto child = ChildProcess::start({.program = kBinary,
                                      .args = args,
                                      .env = {},
                                      .stderr_path = log_path("stderr-" + std::to_string(*port)),
                                      .stdout_path = log_path("stdout-" + std::to_string(*port))});
    if (!child) {
      ADD_FAILURE() << child.error().message;
      return nullptr;
    }
    simulator->process_ = std::make_unique<ChildProcess>(std::move(*child));
    ChildProcess& process = *simulator->process_;
    const auto answered = test_support::wait_until_answers(simulator->url("/-/healthy"), 10s,
                                                           [&] { return process.running(); });
    if (!answered) return nullptr;
    return simulator;
  }
  Simulator() = default;

  std::string base_;
  std::unique_ptr<ChildProcess> process_;
};

const World& world() {
  static const World instance(demo_world());
  return instance;
}

std::vector<Post> recent_posts_of(std::string_view handle) {
  std::vector<Post> posts;
  for (Post& post : world().posts_between(kClockStart - 24h, kClockStart)) {
    if (post.author_handle == handle) posts.push_back(std::move(post));
  }
  return posts;
}

std::string totals_body(const std::vector<Post>& posts, std::string_view types) {
  std::string ids;
  for (const Post& post : posts)
    ids += (ids.empty() ? "\"" : ",\"") + wire::format_post_id(post.id) + "\"";
  return R"({"tweet_ids":[)" + ids + R"(],"engagement_types":)" + std::string(types) +
         R"(,"groupings":{"g":{"group_by":["tweet.id","engagement.type"]}}})";
}

// Signs like a real client: the URL it calls, the wall clock's time, a fresh nonce.
HttpRequestOptions signed_options(const std::string& url, std::string_view handle,
                                  std::string_view method = "POST") {
  const AccountConfig& account = *world().account_by_handle(handle);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  HttpRequestOptions options;
  options.headers = {{"Accept-Encoding", "gzip"},
                     {"Content-Type", "application/json"},
                     {"Authorization", wire::oauth::authorization_header(
                                           method, url,
                                           {"demo-consumer-key", "demo-consumer-secret",
                                            account.access_token, account.access_token_secret},
                                           wire::oauth::make_nonce(), now)}};
  options.decode_gzip = true;
  return options;
}

HttpRequestOptions bearer_options() {
  HttpRequestOptions options;
  options.headers = {{"Accept-Encoding", "gzip"},
                     {"Content-Type", "application/json"},
                     {"Authorization", "Bearer demo-bearer-token"}};
  options.decode_gzip = true;
  return options;
}

HttpResult post_totals(Simulator& simulator, const std::vector<Post>& posts,
                       std::string_view types = R"(["favorites"])") {
  const std::string url = simulator.url(wire::kTotalsPath);
  return test_support::http_post(url, totals_body(posts, types), signed_options(url, "acme"));
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  return document;
}

std::string fault_count(std::string_view fault, std::string_view value) {
  return "x_api_simulator_faults_injected_total{fault=\"" + std::string(fault) + "\"} " +
         std::string(value);
}

TEST(SimulatorHttp, RequiresGzipAndAnswersWithIt) {
  auto simulator = Simulator::start();
  ASSERT_TRUE(simulator);
  const auto acme = recent_posts_of("acme");
  const std::string url = simulator->url(wire::kTotalsPath);
  HttpRequestOptions plain = signed_options(url, "acme");
  plain.headers.erase(plain.headers.begin());  // no Accept-Encoding
  const HttpResult refused =
      test_support::http_post(url, totals_body(acme, R"(["favorites"])"), plain);
  EXPECT_EQ(refused.status, 406);
  EXPECT_EQ(refused.body,
            std::string(R"({"errors":[")") + std::string(wire::kGzipRequiredMessage) + "\"]}");

  HttpRequestOptions raw = signed_options(url, "acme");
  raw.decode_gzip = false;
  const HttpResult answered =
      test_support::http_post(url, totals_body(acme, R"(["favorites"])"), raw);
  EXPECT_EQ(answered.status, 200);
  EXPECT_EQ(answered.header("Content-Encoding"), "gzip");
  const auto decoded = common::gzip_decompress(answered.body);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_FALSE(parse(*decoded).HasParseError());
}

TEST(SimulatorHttp, SignedTotalsRequestReturnsExactlyTheWorldsValues) {
  auto simulator = Simulator::start();
  ASSERT_TRUE(simulator);
  const auto acme = recent_posts_of("acme");
  ASSERT_FALSE(acme.empty());
  const HttpResult result = post_totals(
      *simulator, acme, R"(["impressions","engagements","favorites","retweets","replies"])");
  ASSERT_EQ(result.status, 200) << result.body;
  const auto json = parse(result.body);
  for (const Post& post : acme) {
    const auto& values = json["g"][wire::format_post_id(post.id).c_str()];
    for (const auto type : {wire::EngagementType::impressions, wire::EngagementType::engagements,
                            wire::EngagementType::favorites, wire::EngagementType::retweets,
                            wire::EngagementType::replies}) {
      EXPECT_EQ(std::string(values[std::string(wire::to_string(type)).c_str()].GetString()),
                std::to_string(world().cumulative(post, type, kClockStart)));
    }
  }
  EXPECT_EQ(result.header("x-per-minute-limit"), "60");
}

TEST(SimulatorHttp, BearerTokenFromTheTokenEndpointSeesOnlyPublicTotals) {
  auto simulator = Simulator::start();
  ASSERT_TRUE(simulator);
  HttpRequestOptions basic;
  basic.headers = {{"Authorization", "Basic " + wire::oauth::base64_encode(
                                                    "demo-consumer-key:demo-consumer-secret")},
                   {"Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"}};
  const HttpResult token = test_support::http_post(simulator->url(wire::kOAuth2TokenPath),
                                                   "grant_type=client_credentials", basic);
  EXPECT_EQ(token.body, R"({"token_type":"bearer","access_token":"demo-bearer-token"})");

  const auto globex = recent_posts_of("globex");
  const HttpResult public_metrics =
      test_support::http_post(simulator->url(wire::kTotalsPath),
                              totals_body(globex, R"(["favorites","retweets"])"), bearer_options());
  EXPECT_EQ(public_metrics.status, 200);
  const HttpResult impressions =
      test_support::http_post(simulator->url(wire::kTotalsPath),
                              totals_body(globex, R"(["impressions"])"), bearer_options());
  EXPECT_EQ(impressions.status, 403);
  EXPECT_EQ(impressions.body, R"({"errors":["Forbidden to access metrics: impressions"]})");
  const HttpResult hr28 = test_support::http_post(
      simulator->url(wire::k28hrPath), totals_body(globex, R"(["favorites"])"), bearer_options());
  EXPECT_EQ(hr28.status, 401);
  EXPECT_EQ(
      hr28.body,
      R"({"errors":["Your account could not be authenticated. Reason: Unknown Authorization Type"]})");
}

TEST(SimulatorHttp, SearchAnswersWithBearerAndRateLimitHeaders) {
  auto simulator = Simulator::start();
  ASSERT_TRUE(simulator);
  const HttpResult result =
      test_support::http_get(simulator->url(wire::kRecentSearchPath) +
                                 "?query=%23launchday%20-is%3Aretweet&max_results=10",
                             bearer_options());
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(parse(result.body)["meta"]["result_count"].GetUint(), 10u);
  EXPECT_EQ(result.header("x-rate-limit-limit"), "450");
  EXPECT_EQ(result.header("x-rate-limit-remaining"), "449");
}

TEST(SimulatorHttp, AnswersTooManyRequestsOnceThePerMinuteBudgetIsSpent) {
  auto simulator = Simulator::start();
  ASSERT_TRUE(simulator);
  const auto acme = recent_posts_of("acme");
  // Windows follow the wall clock; if one rolls over mid-test, counting starts again.
  int allowed_in_window = 0;
  std::string window_reset;
  HttpResult refused;
  for (int i = 0; i < 200 && refused.status != 429; ++i) {
    HttpResult result = post_totals(*simulator, acme);
    const std::string reset = result.header("x-per-minute-reset").value_or("");
    if (reset != window_reset) {
      window_reset = reset;
      allowed_in_window = 0;
    }
    if (result.status == 200) {
      ++allowed_in_window;
      EXPECT_EQ(result.header("x-per-minute-remaining"), std::to_string(60 - allowed_in_window));
    } else {
      refused = std::move(result);
    }
  }
  ASSERT_EQ(refused.status, 429);
  EXPECT_EQ(allowed_in_window, 60);
  EXPECT_EQ(refused.body, R"({"errors":["Exceeded rate limit"]})");
  EXPECT_EQ(refused.header("x-per-minute-limit"), "60");
  EXPECT_EQ(refused.header("x-per-minute-remaining"), "0");
  const std::int64_t reset = std::stoll(refused.header("x-per-minute-reset").value_or("0"));
  EXPECT_EQ(reset % 60, 0);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  EXPECT_GT(reset, now - 1);
  EXPECT_LE(reset, now + 60);
  EXPECT_THAT(
      simulator->metrics(),
      HasSubstr(
          "x_api_simulator_rate_limited_requests_total{endpoint=\"totals\",window=\"minute\"} 1"));
}

TEST(SimulatorHttp, ErrorRateFaultAnswersServerErrorsAndCountsThem) {
  auto simulator = Simulator::start({"--fault.error-rate=1"});
  ASSERT_TRUE(simulator);
  const HttpResult result = post_totals(*simulator, recent_posts_of("acme"));
  EXPECT_THAT((std::vector<long>{500, 502, 503}), ::testing::Contains(result.status));
  EXPECT_EQ(result.body, R"({"errors":["internal server error"]})");
  EXPECT_THAT(simulator->metrics(), HasSubstr(fault_count("error", "1")));
}

TEST(SimulatorHttp, LatencyFaultDelaysTheAnswer) {
  auto simulator = Simulator::start({"--fault.latency=300ms"});
  ASSERT_TRUE(simulator);
  const auto started = std::chrono::steady_clock::now();
  const HttpResult result = post_totals(*simulator, recent_posts_of("acme"));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  EXPECT_EQ(result.status, 200);
  EXPECT_THAT(simulator->metrics(), HasSubstr(fault_count("latency", "1")));
}

TEST(SimulatorHttp, RateLimitFaultIsAStormOf429s) {
  auto simulator = Simulator::start({"--fault.rate-limit-rate=1"});
  ASSERT_TRUE(simulator);
  for (int i = 0; i < 3; ++i) {
    const HttpResult result = post_totals(*simulator, recent_posts_of("acme"));
    EXPECT_EQ(result.status, 429);
    EXPECT_EQ(result.header("x-per-minute-remaining"), "0");
  }
  EXPECT_THAT(simulator->metrics(), HasSubstr(fault_count("rate_limit", "3")));
}

TEST(SimulatorHttp, MalformedFaultSendsInvalidJsonWith200) {
  auto simulator = Simulator::start({"--fault.malformed-rate=1"});
  ASSERT_TRUE(simulator);
  const HttpResult result = post_totals(*simulator, recent_posts_of("acme"));
  EXPECT_EQ(result.status, 200);
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(parse(result.body).HasParseError()) << result.body;
  EXPECT_THAT(simulator->metrics(), HasSubstr(fault_count("malformed", "1")));
}

TEST(SimulatorHttp, TruncatedFaultCutsTheBodyInHalf) {
  auto simulator = Simulator::start({"--fault.truncated-rate=1"});
  ASSERT_TRUE(simulator);
  const std::string url = simulator->url(wire::kTotalsPath);
  HttpRequestOptions raw = signed_options(url, "acme");
  raw.decode_gzip = false;
  const HttpResult result =
      test_support::http_post(url, totals_body(recent_posts_of("acme"), R"(["favorites"])"), raw);
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.curl_code, CURLE_PARTIAL_FILE) << result.transport_error;
  const std::size_t announced = std::stoul(result.header("Content-Length").value_or("0"));
  EXPECT_EQ(result.body.size(), announced / 2);
  EXPECT_THAT(simulator->metrics(), HasSubstr(fault_count("truncated", "1")));
}

TEST(SimulatorHttp, ResetFaultClosesTheConnectionWithoutAnAnswer) {
  auto simulator = Simulator::start({"--fault.reset-rate=1"});
  ASSERT_TRUE(simulator);
  const HttpResult result = post_totals(*simulator, recent_posts_of("acme"));
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.curl_code, CURLE_GOT_NOTHING) << result.transport_error;
  const std::string metrics = simulator->metrics();
  EXPECT_THAT(metrics, HasSubstr(fault_count("reset", "1")));
  EXPECT_THAT(metrics,
              HasSubstr("x_api_simulator_requests_total{code=\"none\",endpoint=\"totals\"} 1"));
}

TEST(SimulatorHttp, RevokedAccountsGet401AndDeletedPostsAreUnavailable) {
  const auto acme = recent_posts_of("acme");
  auto simulator = Simulator::start({"--fault.revoked-accounts=globex",
                                     "--fault.deleted-posts=" + wire::format_post_id(acme[0].id)});
  ASSERT_TRUE(simulator);
  const std::string url = simulator->url(wire::kTotalsPath);
  const HttpResult revoked =
      test_support::http_post(url, totals_body(recent_posts_of("globex"), R"(["favorites"])"),
                              signed_options(url, "globex"));
  EXPECT_EQ(revoked.status, 401);
  EXPECT_EQ(
      revoked.body,
      R"({"errors":["Your account could not be authenticated. Reason: Access token not found"]})");
  const HttpResult deleted = post_totals(*simulator, {acme[0], acme[1]});
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(std::string(parse(deleted.body)["unavailable_tweet_ids"][0].GetString()),
            wire::format_post_id(acme[0].id));
  const std::string metrics = simulator->metrics();
  EXPECT_THAT(metrics, HasSubstr(fault_count("revoked_account", "1")));
  EXPECT_THAT(metrics, HasSubstr(fault_count("deleted_post", "1")));
  EXPECT_THAT(metrics,
              HasSubstr("x_api_simulator_auth_failures_total{reason=\"revoked_token\"} 1"));
}

TEST(SimulatorHttp, SameFaultSeedGivesTheSameFaults) {
  const auto statuses = [](std::vector<std::string> flags) {
    auto simulator = Simulator::start(std::move(flags));
    std::vector<long> out;
    if (!simulator) return out;
    for (int i = 0; i < 20; ++i)
      out.push_back(post_totals(*simulator, recent_posts_of("acme")).status);
    return out;
  };
  const auto first = statuses({"--fault.error-rate=0.5", "--fault.seed=7"});
  EXPECT_EQ(statuses({"--fault.error-rate=0.5", "--fault.seed=7"}), first);
  EXPECT_NE(statuses({"--fault.error-rate=0.5", "--fault.seed=8"}), first);
  EXPECT_THAT(first, ::testing::Contains(200));
  EXPECT_THAT(first, ::testing::Contains(::testing::Ge(500)));
}

TEST(SimulatorHttp, AdminEndpointIsOffByDefaultAndChangesFaultsWhenEnabled) {
  auto plain = Simulator::start();
  ASSERT_TRUE(plain);
  EXPECT_EQ(test_support::http_get(plain->url("/admin/faults")).status, 404);

  auto simulator = Simulator::start({"--admin.enable"});
  ASSERT_TRUE(simulator);
  EXPECT_EQ(test_support::http_get(simulator->url("/admin/faults")).body,
            R"({"error_rate":0.0,"rate_limit_rate":0.0,"malformed_rate":0.0,"truncated_rate":0.0,)"
            R"("reset_rate":0.0,"latency":"0s","revoked_accounts":[],"deleted_posts":[],)"
            R"("forbidden_tweets_status":null,"seed":1})");
  const HttpResult changed =
      test_support::http_request("PUT", simulator->url("/admin/faults"), R"({"error_rate":1})");
  EXPECT_EQ(changed.status, 200);
  EXPECT_GE(post_totals(*simulator, recent_posts_of("acme")).status, 500);
  test_support::http_request("PUT", simulator->url("/admin/faults"), R"({"error_rate":0})");
  EXPECT_EQ(post_totals(*simulator, recent_posts_of("acme")).status, 200);
  EXPECT_EQ(
      test_support::http_request("PUT", simulator->url("/admin/faults"), R"({"reset_rate":-1})")
          .status,
      400);
}

// The world file's [variants] reaches the running binary: "Forbidden to access tweets" inside a
// 200 that answers acme's own Posts.
TEST(SimulatorHttp, TheWorldFileChoosesThePartial200ForForbiddenTweets) {
  std::ifstream demo(XEE_TEST_DIR "/../../../simulator/world/demo-world.toml");
  std::string world((std::istreambuf_iterator<char>(demo)), std::istreambuf_iterator<char>());
  const std::string key = "forbidden_tweets_status = 403";
  ASSERT_NE(world.find(key), std::string::npos);
  world.replace(world.find(key), key.size(), "forbidden_tweets_status = 200");
  const auto path =
      std::filesystem::temp_directory_path() / "x_api_simulator_test" / "world-forbidden-200.toml";
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << world;
  auto simulator = Simulator::start({"--world.file=" + path.string()});
  ASSERT_TRUE(simulator);
  auto posts = recent_posts_of("acme");
  const auto globex = recent_posts_of("globex");
  posts.push_back(globex.front());
  const HttpResult result = post_totals(*simulator, posts);
  EXPECT_EQ(result.status, 200);
  const auto json = parse(result.body);
  ASSERT_TRUE(json.IsObject()) << result.body;
  EXPECT_EQ(json["g"].MemberCount(), posts.size() - 1);
  EXPECT_EQ(std::string(json["errors"][0].GetString()),
            "Forbidden to access tweets: " + wire::format_post_id(globex.front().id));
}

TEST(SimulatorHttp, MetricsPassPromtoolAndLandingPageNamesTheSimulator) {
  auto simulator = Simulator::start();
  ASSERT_TRUE(simulator);
  post_totals(*simulator, recent_posts_of("acme"));
  const std::string metrics = simulator->metrics();
  const std::string path = log_path("metrics");
  {
    std::FILE* file = std::fopen(path.c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fwrite(metrics.data(), 1, metrics.size(), file);
    std::fclose(file);
  }
  const std::string command = "promtool check metrics < " + path + " 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  EXPECT_EQ(::pclose(pipe), 0) << output;
  EXPECT_EQ(output, "");

  const HttpResult landing = test_support::http_get(simulator->url("/"));
  EXPECT_EQ(landing.status, 200);
  EXPECT_THAT(landing.body, HasSubstr("<h1>X API simulator</h1>"));
  EXPECT_THAT(landing.body, HasSubstr("World time 2026-11-20T00:00:00Z"));
}

// Polls `condition` until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(SimulatorHttp, LogsRequestsAtDebugInTheChosenFormat) {
  auto simulator = Simulator::start({"--log.level=debug", "--log.format=json"});
  ASSERT_TRUE(simulator);
  const auto stderr_has = [&](std::string_view text) {
    return simulator->process().read_stderr().find(text) != std::string::npos;
  };
  // The server may answer before main() has written its startup lines.
  EXPECT_TRUE(eventually([&] { return stderr_has(R"("msg":"listening")"); }))
      << simulator->process().read_stderr();
  EXPECT_TRUE(eventually([&] {
    return simulator->process().read_stdout().find(
               "x_api_simulator listening on http://127.0.0.1:") != std::string::npos;
  }));
  test_support::http_get(simulator->url("/-/healthy"));
  // The request line is logged before the response is written.
  EXPECT_TRUE(stderr_has(R"("path":"/-/healthy")")) << simulator->process().read_stderr();
}

TEST(SimulatorHttp, ShutsDownCleanlyOnSigterm) {
  auto simulator = Simulator::start();
  ASSERT_TRUE(simulator);
  const auto status = simulator->process().stop(10s);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, (test_support::ExitStatus{true, 0, 0}));
  EXPECT_THAT(simulator->process().read_stderr(), HasSubstr("shutting down"));
}

struct BadFlag {
  std::vector<std::string> args;
  std::string message;
};

TEST(SimulatorHttp, BadFlagsExitNonZeroNamingTheFlag) {
  const std::vector<BadFlag> cases{
      {{"--clock.speed=fast"}, "--clock.speed: must be a number >= 0, got 'fast'"},
      {{"--clock.start=yesterday"}, "--clock.start: 'yesterday' is not an ISO-8601 UTC timestamp"},
      {{"--fault.error-rate=2"}, "--fault.error-rate: must be a fraction between 0 and 1, got '2'"},
      {{"--fault.latency=soon"}, "--fault.latency: 'soon' is not a duration"},
      {{"--fault.revoked-accounts=nobody"},
       "--fault.revoked-accounts: no account in the world has the handle 'nobody'"},
      {{"--fault.deleted-posts=12x"}, "--fault.deleted-posts: '12x' is not a Post ID"},
      {{"--log.level=loud"}, "--log.level: loud not in {debug,info,warn,error}"},
      {{"--web.listen-address=nowhere"},
       "--web.listen-address: 'nowhere' is not HOST:PORT or :PORT"},
      {{"--world.file=/nonexistent/world.toml"}, "--world.file: "},
      {{"--no-such-flag"}, "--no-such-flag"},
  };
  for (const auto& bad : cases) {
    const std::string stderr_path = log_path("bad-flag");
    auto child = ChildProcess::start({.program = kBinary,
                                      .args = bad.args,
                                      .env = {},
                                      .stderr_path = stderr_path,
                                      .stdout_path = ""});
    ASSERT_TRUE(child) << child.error().message;
    const auto status = child->wait_for_exit(10s);
    ASSERT_TRUE(status) << bad.args.front();
    EXPECT_TRUE(status->exited);
    EXPECT_EQ(status->exit_code, 2) << bad.args.front();
    EXPECT_THAT(child->read_stderr(), HasSubstr(bad.message)) << bad.args.front();
  }
}

TEST(SimulatorHttp, PortInUseExitsNamingTheAddress) {
  auto first = Simulator::start();
  ASSERT_TRUE(first);
  const std::string address = first->url("").substr(7);
  auto second = ChildProcess::start({.program = kBinary,
                                     .args = {"--web.listen-address=" + address},
                                     .env = {},
                                     .stderr_path = log_path("port-in-use"),
                                     .stdout_path = ""});
  ASSERT_TRUE(second);
  const auto status = second->wait_for_exit(10s);
  ASSERT_TRUE(status);
  EXPECT_NE(status->exit_code, 0);
  EXPECT_THAT(second->read_stderr(),
              HasSubstr("--web.listen-address: cannot listen on " + address));
}

}  // namespace
}  // namespace xee::simulator
