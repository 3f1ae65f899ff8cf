// The exporter's listener and lifecycle as a hostile-but-realistic operator meets them, on the
// real binary over sockets: held idle and trickling connections, many keep-alive scrapers, a
// deeply nested config sent to /-/reload, SIGTERM while X never answers, and failed reloads of a
// huge junk Post list that must give their memory back.

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/stack.h"
#include "tests/support/time_scale.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test_support::scaled;

const std::string kConfigTemplate = read_text_file(XEE_TEST_DIR "/configs/listener.toml");
constexpr auto kStartTimeout = 60s;

int connect_to(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Room for a few hundred sockets on both ends of loopback.
void raise_open_file_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

std::int64_t rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stoll(line.substr(6));
  }
  return -1;
}

class ListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    raise_open_file_limit();
    dir_ = make_temp_dir("listener");
  }

  void start(std::vector<std::string> exporter_args = {"--web.enable-lifecycle"}) {
    auto simulator = Simulator::start(dir_);
    ASSERT_TRUE(simulator) << simulator.error().message;
    simulator_.emplace(std::move(*simulator));
    auto exporter =
        Exporter::start(dir_, kConfigTemplate, simulator_->url(), std::move(exporter_args));
    ASSERT_TRUE(exporter) << exporter.error().message;
    exporter_.emplace(std::move(*exporter));
    ASSERT_TRUE(exporter_->wait_ready(kStartTimeout)) << exporter_->process().read_stderr();
  }

  test_support::HttpResult reload() const {
    return test_support::http_post(exporter_->url() + "/-/reload", "");
  }

  std::string dir_;
  std::optional<Simulator> simulator_;
  std::optional<Exporter> exporter_;
};

TEST_F(ListenerTest, ScrapesAreServedWhileHundredsOfConnectionsIdleOrTrickle) {
  start();
  std::vector<int> idle;
  std::vector<int> trickling;
  for (int i = 0; i < 200; ++i) idle.push_back(connect_to(exporter_->port()));
  for (int i = 0; i < 200; ++i) trickling.push_back(connect_to(exporter_->port()));
  ASSERT_EQ(std::count(idle.begin(), idle.end(), -1), 0);
  ASSERT_EQ(std::count(trickling.begin(), trickling.end(), -1), 0);
  std::atomic<bool> done = false;
  std::thread trickler([&] {
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for (std::size_t at = 0; !done.load(); at = (at + 1) % request.size()) {
      for (const int fd : trickling) send(fd, &request[at], 1, MSG_NOSIGNAL);
      std::this_thread::sleep_for(200ms);
    }
  });

  int probes = 0;
  Clock::duration slowest{};
  const auto until = Clock::now() + 5s;
  while (Clock::now() < until) {
    const auto started = Clock::now();
    const auto response =
        test_support::http_get(exporter_->url() + "/metrics",
                               {.headers = {}, .decode_gzip = false, .timeout = scaled(5s)});
    slowest = std::max(slowest, Clock::now() - started);
    EXPECT_EQ(response.status, 200) << response.transport_error;
    EXPECT_NE(response.body.find("x_engagement_post_lifetime_interactions"), std::string::npos);
    ++probes;
    std::this_thread::sleep_for(250ms);
  }
  done = true;
  trickler.join();
  for (const int fd : idle) close(fd);
  for (const int fd : trickling) close(fd);
  std::cout << "figure: " << probes << " scrapes beside 200 idle and 200 trickling connections, "
            << "slowest " << std::chrono::duration<double>(slowest).count() << " s\n";
  EXPECT_GE(probes, 10);
  EXPECT_LT(slowest, scaled(1s)) << "slowest scrape: "
                                 << std::chrono::duration<double>(slowest).count() << " s";
}

// Like Prometheus: one handle per scraper, so each keeps its connection alive between scrapes.
TEST_F(ListenerTest, FiftyKeepAliveScrapersAreAllServed) {
  start();
  constexpr int kScrapers = 50;
  std::vector<int> served(kScrapers, 0);
  std::vector<int> failed(kScrapers, 0);
  std::vector<long> connections(kScrapers, 0);
  std::vector<std::thread> scrapers;
  const auto until = Clock::now() + 20s;
  const std::string url = exporter_->url() + "/metrics";
  for (int i = 0; i < kScrapers; ++i) {
    scrapers.emplace_back([&, i] {
      CURL* curl = curl_easy_init();
      std::string body;
      curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
      curl_easy_setopt(
          curl, CURLOPT_WRITEFUNCTION,
          +[](char* data, std::size_t size, std::size_t count, void* out) -> std::size_t {
            static_cast<std::string*>(out)->append(data, size * count);
            return size * count;
          });
      curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
      while (Clock::now() < until) {
        body.clear();
        long status = 0;
        const CURLcode code = curl_easy_perform(curl);
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        long opened = 0;
        curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &opened);
        connections[i] += opened;
        if (code == CURLE_OK && status == 200 &&
            body.find("x_engagement_collector_up") != std::string::npos) {
          ++served[i];
        } else {
          ++failed[i];
        }
        std::this_thread::sleep_for(500ms);
      }
      curl_easy_cleanup(curl);
    });
  }
  for (std::thread& scraper : scrapers) scraper.join();
  std::cout << "figure: 50 keep-alive scrapers served "
            << std::accumulate(served.begin(), served.end(), 0) << " scrapes in 20 s, "
            << std::accumulate(failed.begin(), failed.end(), 0) << " failed, over "
            << std::accumulate(connections.begin(), connections.end(), 0L) << " connections\n";
  for (int i = 0; i < kScrapers; ++i) {
    EXPECT_EQ(failed[i], 0) << "scraper " << i;
    EXPECT_GE(served[i], 20) << "scraper " << i;
    // Kept alive: scrapes 0.5 s apart are well inside the 10 s idle timeout.
    EXPECT_EQ(connections[i], 1) << "scraper " << i;
  }
}

TEST_F(ListenerTest, DeeplyNestedConfigOverReloadIsRefusedWithItsPosition) {
  start();
  const std::string config = read_text_file(exporter_->config_path());
  const std::vector<std::pair<std::string, std::string>> nestings{
      {"inline tables", "deep = " +
                            [] {
                              std::string text;
                              for (int i = 0; i < 2000; ++i) text += "{a = ";
                              return text + "1" + std::string(2000, '}');
                            }()},
      {"arrays", "deep = " + std::string(5000, '[') + std::string(5000, ']')},
      {"a dotted table header", "[" + [] {
         std::string text = "a";
         for (int i = 0; i < 20000; ++i) text += ".a";
         return text;
       }() + "]"}};
  for (const auto& [what, text] : nestings) {
    std::ofstream(exporter_->config_path()) << config << "\n" << text << "\n";
    const auto refused = reload();
    EXPECT_EQ(refused.status, 500) << what;
    const std::string position = exporter_->config_path() + ":";
    EXPECT_TRUE(refused.body.starts_with(position)) << what << ": " << refused.body.substr(0, 300);
    EXPECT_NE(refused.body.find_first_of("0123456789", position.size()), std::string::npos) << what;
    ASSERT_TRUE(exporter_->process().running()) << what << "\n"
                                                << exporter_->process().read_stderr();
    EXPECT_EQ(test_support::http_get(exporter_->url() + "/-/healthy").status, 200) << what;
  }
  std::ofstream(exporter_->config_path()) << config;
  EXPECT_EQ(reload().status, 200);
}

TEST_F(ListenerTest, FailedReloadsOfAHugeJunkPostListGiveTheirMemoryBack) {
  start();
  const std::string junk_file = dir_ + "/junk-posts.txt";
  {
    std::ofstream junk(junk_file);
    for (int i = 0; i < 1'000'000; ++i) junk << "not-a-post-" << i << "\n";
  }
  const std::string config = read_text_file(exporter_->config_path());
  std::ofstream(exporter_->config_path())
      << config << "\n[[posts]]\nfile = \"" << junk_file << "\"\n";
  const auto first = reload();
  ASSERT_EQ(first.status, 500);
  EXPECT_NE(first.body.find(junk_file + ":100: invalid Post ID \"not-a-post-99\""),
            std::string::npos)
      << first.body.substr(0, 500);
  EXPECT_TRUE(first.body.ends_with(": 999900 more errors not shown\n"))
      << first.body.substr(first.body.size() - std::min<std::size_t>(first.body.size(), 300));
  const std::int64_t before = rss_kib(exporter_->process().pid());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(reload().status, 500);
  const std::int64_t after = rss_kib(exporter_->process().pid());
  std::cout << "figure: RSS " << before << " KiB after the first failed reload, " << after
            << " KiB after 20 more\n";
  EXPECT_LT(after - before, 20 * 1024) << "RSS " << before << " KiB -> " << after << " KiB";
  EXPECT_TRUE(exporter_->process().running());
}

TEST_F(ListenerTest, ReloadOverHttpNeedsTheLifecycleFlagAndTheLandingPageListsEveryCollector) {
  start({});
  const auto refused = reload();
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.header("X-Content-Type-Options"), "nosniff");
  const auto landing = test_support::http_get(exporter_->url() + "/");
  EXPECT_NE(landing.body.find("<td>totals</td>"), std::string::npos) << landing.body;
  EXPECT_NE(landing.body.find("<td>28hr</td>"), std::string::npos) << landing.body;
}

// A server that accepts connections and never answers: X hanging.
class SilentUpstream {
 public:
  SilentUpstream() {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    listen(listener_, 64);
    acceptor_ = std::thread([this] {
      while (true) {
        const int fd = accept(listener_, nullptr, nullptr);
        if (fd < 0) return;
        accepted_.push_back(fd);
        ++count_;
      }
    });
  }
  ~SilentUpstream() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    acceptor_.join();
    for (const int fd : accepted_) close(fd);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return count_.load(); }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> count_{0};
  std::vector<int> accepted_;
  std::thread acceptor_;
};

TEST_F(ListenerTest, SigtermExitsCleanlyWithinFiveSecondsWhileXNeverAnswers) {
  SilentUpstream upstream;
  auto exporter = Exporter::start(dir_, kConfigTemplate, upstream.url());
  ASSERT_TRUE(exporter) << exporter.error().message;
  ASSERT_TRUE(eventually([&] { return upstream.accepted() > 0; }, 20s));
  std::this_thread::sleep_for(500ms);  // the request is written and waiting for an answer
  const auto started = Clock::now();
  const auto stopped = exporter->process().stop(scaled(15s));
  const auto took = Clock::now() - started;
  std::cout << "figure: SIGTERM to exit " << std::chrono::duration<double>(took).count()
            << " s with a request to X hanging\n";
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_TRUE(stopped->exited);
  EXPECT_EQ(stopped->exit_code, 0);
  EXPECT_LT(took, scaled(5s)) << std::chrono::duration<double>(took).count() << " s";
  const std::string log = exporter->process().read_stderr();
  EXPECT_NE(log.find("aborting them"), std::string::npos) << log;
  EXPECT_NE(log.find("msg=stopped"), std::string::npos) << log;
}

}  // namespace
}  // namespace xee::test_stack
