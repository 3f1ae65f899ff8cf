#include "simulator/server/service.h"

#include <array>
#include <chrono>

#include "common/gzip.h"
#include "common/time_format.h"
#include "simulator/server/engagement_request.h"
#include "simulator/server/engagement_response.h"
#include "simulator/server/json_output.h"
#include "simulator/server/landing_page.h"
#include "simulator/server/search.h"
#include "wire/api_errors.h"
#include "wire/oauth.h"

namespace xee::simulator::server {
namespace {

constexpr std::string_view kJsonType = "application/json; charset=utf-8";

// X's production hosts, for clients that sign the real URL while talking to the simulator.
constexpr std::array<std::string_view, 2> kEngagementHosts{"https://data-api.x.com",
                                                           "https://data-api.twitter.com"};
constexpr std::array<std::string_view, 2> kSearchHosts{"https://api.x.com",
                                                       "https://api.twitter.com"};

HttpResponse json_response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.set_header("Content-Type", std::string(kJsonType));
  return response;
}

HttpResponse errors_response(int status, std::vector<std::string> errors) {
  return json_response(status, errors_body(errors));
}

HttpResponse text_response(int status, std::string content_type, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.set_header("Content-Type", std::move(content_type));
  return response;
}

void add_headers(HttpResponse& response, const HeaderList& headers) {
  for (const auto& [name, value] : headers) response.set_header(name, value);
}

// A 429 storm looks like a spent budget: remaining 0 until the window's reset.
HeaderList with_nothing_remaining(HeaderList headers) {
  for (auto& [name, value] : headers) {
    if (name.ends_with("-remaining")) value = "0";
  }
  return headers;
}

std::optional<wire::Endpoint> engagement_endpoint(std::string_view path) {
  if (path == wire::kTotalsPath) return wire::Endpoint::totals;
  if (path == wire::k28hrPath) return wire::Endpoint::hr28;
  if (path == wire::kHistoricalPath) return wire::Endpoint::historical;
  return std::nullopt;
}

HttpResponse method_not_allowed(const HttpRequest& request, std::string_view allowed) {
  HttpResponse response = errors_response(405, {"Method " + request.method + " is not allowed on " +
                                                request.path + "; use " + std::string(allowed)});
  response.set_header("Allow", std::string(allowed));
  return response;
}

// The URLs the client may have signed: this server as it was addressed, and X's real hosts.
std::vector<std::string> signed_url_candidates(const HttpRequest& request,
                                               wire::Endpoint endpoint) {
  const std::string host(request.header("Host").value_or("localhost"));
  const std::string suffix = request.path + (request.query.empty() ? "" : "?" + request.query);
  std::vector<std::string> urls{"http://" + host + suffix, "https://" + host + suffix};
  const auto& production =
      endpoint == wire::Endpoint::recent_search ? kSearchHosts : kEngagementHosts;
  for (const auto production_host : production)
    urls.push_back(std::string(production_host) + suffix);
  return urls;
}

// A classic serializer bug: a trailing comma before the closing brace. Still UTF-8 text and
// correctly framed, so only a JSON parser notices.
std::string malformed_json(const std::string& body) {
  if (body.empty() || body.back() != '}') return body + ",";
  return body.substr(0, body.size() - 1) + ",}";
}

}  // namespace

Service::Service(const World& world, const common::Clock& world_clock,
                 const common::Clock& wall_clock, FaultConfig faults, ServiceOptions options,
                 common::Logger& logger)
    : world_(world),
      world_clock_(world_clock),
      options_(std::move(options)),
      logger_(logger),
      authenticator_(world.config(), wall_clock),
      engagement_limiter_(engagement_rate_windows(world.config().limits), wall_clock),
      search_limiter_(search_rate_windows(world.config().limits), wall_clock),
      faults_(std::move(faults)),
      metrics_(options_.version, options_.revision) {}

HttpResponse Service::handle(const HttpRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  std::string_view endpoint_label = "unknown";
  HttpResponse response = route(request, endpoint_label);
  if (!response.body.empty() && !response.header("Content-Encoding") &&
      common::accepts_gzip(request.header("Accept-Encoding").value_or(""))) {
    response.body = common::gzip_compress(response.body);
    response.set_header("Content-Encoding", "gzip");
  }
  const bool answered = response.delivery != Delivery::reset;
  metrics_.count_request(endpoint_label, answered ? std::to_string(response.status) : "none");
  if (logger_.enabled(common::LogLevel::debug)) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    logger_.debug("request", {{"method", request.method},
                              {"path", request.path},
                              {"endpoint", std::string(endpoint_label)},
                              {"status", answered ? std::to_string(response.status) : "none"},
                              {"duration_us", std::to_string(elapsed.count())}});
  }
  return response;
}

HttpResponse Service::route(const HttpRequest& request, std::string_view& endpoint_label) {
  const std::string& path = request.path;
  if (const auto endpoint = engagement_endpoint(path)) {
    endpoint_label = wire::endpoint_name(*endpoint);
    if (request.method != "POST") return method_not_allowed(request, "POST");
    return handle_engagement(request, *endpoint);
  }
  if (path == wire::kRecentSearchPath) {
    endpoint_label = wire::endpoint_name(wire::Endpoint::recent_search);
    if (request.method != "GET") return method_not_allowed(request, "GET");
    return handle_search(request);
  }
  if (path == wire::kOAuth2TokenPath) {
    endpoint_label = wire::endpoint_name(wire::Endpoint::oauth2_token);
    if (request.method != "POST") return method_not_allowed(request, "POST");
    return handle_token(request);
  }
  if (path == "/admin/faults" && options_.admin_enabled) {
    endpoint_label = "admin";
    if (request.method != "GET" && request.method != "PUT") {
      return method_not_allowed(request, "GET, PUT");
    }
    return handle_admin(request);
  }
  if (path == "/metrics" || path == "/-/healthy" || path == "/") {
    endpoint_label = path == "/metrics" ? "metrics" : path == "/" ? "landing" : "healthy";
    if (request.method != "GET") return method_not_allowed(request, "GET");
    if (path == "/metrics") {
      return text_response(200, "text/plain; version=0.0.4; charset=utf-8", metrics_.serialize());
    }
    if (path == "/") return landing();
    return text_response(200, "text/plain; charset=utf-8", "X API simulator is Healthy.\n");
  }
  return errors_response(404, {"No such endpoint: " + path});
}

std::optional<HttpResponse> Service::replacing_fault(const FaultPlan& plan,
                                                     wire::Endpoint endpoint) {
  if (plan.reset) {
    metrics_.count_fault(FaultKind::reset);
    logger_.info("fault injected",
                 {{"fault", "reset"}, {"endpoint", std::string(wire::endpoint_name(endpoint))}});
    HttpResponse response;
    response.delivery = Delivery::reset;
    return response;
  }
  if (plan.error_status) {
    metrics_.count_fault(FaultKind::error);
    logger_.info("fault injected", {{"fault", "error"},
                                    {"endpoint", std::string(wire::endpoint_name(endpoint))},
                                    {"status", std::to_string(*plan.error_status)}});
    return errors_response(*plan.error_status, {std::string(wire::kInternalServerError)});
  }
  return std::nullopt;
}

void Service::apply_late_faults(const FaultPlan& plan, const HttpRequest& request,
                                HttpResponse& response) {
  if (response.status == 200 && response.delivery == Delivery::complete) {
    if (plan.malformed) {
      metrics_.count_fault(FaultKind::malformed);
      logger_.info("fault injected", {{"fault", "malformed"}, {"path", request.path}});
      response.body = malformed_json(response.body);
    } else if (plan.truncated) {
      metrics_.count_fault(FaultKind::truncated);
      logger_.info("fault injected", {{"fault", "truncated"}, {"path", request.path}});
      response.delivery = Delivery::truncated;
    }
  }
  if (plan.latency.count() > 0) {
    metrics_.count_fault(FaultKind::latency);
    logger_.info("fault injected", {{"fault", "latency"},
                                    {"path", request.path},
                                    {"delay", common::format_duration(plan.latency)}});
    response.delay = plan.latency;
  }
}

tl::expected<Caller, AuthFailure> Service::authenticate(const HttpRequest& request,
                                                        wire::Endpoint endpoint) {
  const FaultConfig faults = faults_.config();
  // X's API reference: app-only is "your consumer key and secret, or a bearer token", /totals only;
  // v2 search takes Bearer but not app-only OAuth 1.0a.
  const AppOnlySchemes app_only{
      .bearer = endpoint == wire::Endpoint::totals || endpoint == wire::Endpoint::recent_search,
      .oauth = endpoint == wire::Endpoint::totals};
  const AuthRequest auth_request{request.method, signed_url_candidates(request, endpoint),
                                 request.header("Authorization").value_or(""), request.body};
  auto caller = authenticator_.authenticate(auth_request, app_only, faults.revoked_accounts);
  if (!caller) {
    const AuthFailure& failure = caller.error();
    metrics_.count_auth_failure(failure.reason);
    if (failure.reason == AuthFailureReason::revoked_token) {
      metrics_.count_fault(FaultKind::revoked_account);
    }
    logger_.info("authentication failed", {{"endpoint", std::string(wire::endpoint_name(endpoint))},
                                           {"reason", std::string(reason_label(failure.reason))},
                                           {"detail", failure.detail}});
  }
  return caller;
}

HttpResponse Service::handle_engagement(const HttpRequest& request, wire::Endpoint endpoint) {
  const FaultPlan plan = faults_.plan_next();
  HttpResponse response = answer_engagement(request, endpoint, plan);
  if (response.delivery != Delivery::reset && !response.header(wire::kHeaderMinuteLimit)) {
    add_headers(response, engagement_limiter_.peek().headers);
  }
  apply_late_faults(plan, request, response);
  return response;
}

HttpResponse Service::answer_engagement(const HttpRequest& request, wire::Endpoint endpoint,
                                        const FaultPlan& plan) {
  if (auto replaced = replacing_fault(plan, endpoint)) return std::move(*replaced);
  if (!common::accepts_gzip(request.header("Accept-Encoding").value_or(""))) {
    return errors_response(406, {std::string(wire::kGzipRequiredMessage)});
  }
  const auto caller = authenticate(request, endpoint);
  if (!caller) return errors_response(caller.error().status, {caller.error().message});

  const std::string& rate_limit_message = world_.config().limits.rate_limit_message;
  if (plan.rate_limited) {
    metrics_.count_fault(FaultKind::rate_limit);
    logger_.info("fault injected", {{"fault", "rate_limit"}, {"path", request.path}});
    HttpResponse response = errors_response(429, {rate_limit_message});
    add_headers(response, with_nothing_remaining(engagement_limiter_.peek().headers));
    return response;
  }
  const RateDecision decision = engagement_limiter_.acquire();
  HttpResponse response = [&] {
    if (!decision.allowed) {
      metrics_.count_rate_limited(wire::endpoint_name(endpoint), decision.exceeded_window);
      return errors_response(429, {rate_limit_message});
    }
    const auto parsed = parse_engagement_request(endpoint, request.body);
    if (!parsed) return errors_response(parsed.error().status, parsed.error().errors);
    const common::TimePoint now = world_clock_.now();
    std::optional<TimeWindow> window;
    if (endpoint == wire::Endpoint::hr28) window = last_28_hours(now);
    if (endpoint == wire::Endpoint::historical) {
      const auto historical = historical_window(*parsed, now, world_.config().limits);
      if (!historical) return errors_response(historical.error().status, historical.error().errors);
      window = *historical;
    }
    const FaultConfig faults = faults_.config();
    ResolvedPosts posts = resolve_posts(world_, parsed->post_ids, now, faults.deleted_posts);
    const bool hit_deleted =
        std::any_of(posts.unavailable.begin(), posts.unavailable.end(),
                    [&](wire::PostId id) { return faults.deleted_posts.contains(id); });
    if (hit_deleted) {
      metrics_.count_fault(FaultKind::deleted_post);
      logger_.info("fault injected", {{"fault", "deleted_post"}, {"path", request.path}});
    }
    const int forbidden_status =
        faults.forbidden_tweets_status.value_or(world_.config().variants.forbidden_tweets_status);
    if (const auto refused = check_access(*parsed, posts, *caller, forbidden_status)) {
      return errors_response(refused->status, refused->errors);
    }
    // The 200 variant answers the allowed Posts and names the others in `errors`.
    const auto forbidden = drop_forbidden_posts(posts, *caller);
    return json_response(200,
                         build_engagement_response(world_, *parsed, posts, window, now, forbidden));
  }();
  add_headers(response, decision.headers);
  return response;
}

HttpResponse Service::handle_search(const HttpRequest& request) {
  const FaultPlan plan = faults_.plan_next();
  HttpResponse response = answer_search(request, plan);
  if (response.delivery != Delivery::reset && !response.header(wire::kHeaderRateLimit)) {
    add_headers(response, search_limiter_.peek().headers);
  }
  apply_late_faults(plan, request, response);
  return response;
}

HttpResponse Service::answer_search(const HttpRequest& request, const FaultPlan& plan) {
  if (auto replaced = replacing_fault(plan, wire::Endpoint::recent_search)) {
    return std::move(*replaced);
  }
  if (!authenticate(request, wire::Endpoint::recent_search)) {
    return json_response(401, std::string(wire::kProblemUnauthorizedBody));
  }
  if (plan.rate_limited) {
    metrics_.count_fault(FaultKind::rate_limit);
    logger_.info("fault injected", {{"fault", "rate_limit"}, {"path", request.path}});
    HttpResponse response = json_response(429, std::string(wire::kProblemTooManyRequestsBody));
    add_headers(response, with_nothing_remaining(search_limiter_.peek().headers));
    return response;
  }
  const RateDecision decision = search_limiter_.acquire();
  HttpResponse response = [&] {
    if (!decision.allowed) {
      metrics_.count_rate_limited(wire::endpoint_name(wire::Endpoint::recent_search),
                                  decision.exceeded_window);
      return json_response(429, std::string(wire::kProblemTooManyRequestsBody));
    }
    const auto query = wire::oauth::parse_query(request.query);
    if (!query) {
      return json_response(400, invalid_request_body({{{"query string", request.query}},
                                                      "The query string is not valid "
                                                      "URL-encoding: " +
                                                          query.error().message}));
    }
    const auto params = parse_search_params(*query, world_clock_.now());
    if (!params) return json_response(400, invalid_request_body(params.error()));
    return json_response(200, search_recent(world_, *params, faults_.config().deleted_posts));
  }();
  add_headers(response, decision.headers);
  return response;
}

HttpResponse Service::handle_token(const HttpRequest& request) {
  if (!authenticator_.verify_app_basic(request.header("Authorization").value_or(""))) {
    logger_.info(
        "authentication failed",
        {{"endpoint", "token"}, {"reason", "basic"}, {"detail", "not the app's key and secret"}});
    return json_response(403, std::string(wire::kTokenBadCredentialsBody));
  }
  const auto form = wire::oauth::parse_query(request.body);
  const bool client_credentials =
      form && std::any_of(form->begin(), form->end(), [](const auto& field) {
        return field.first == "grant_type" && field.second == "client_credentials";
      });
  if (!client_credentials) return json_response(403, std::string(wire::kTokenMissingGrantTypeBody));
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  write_key(writer, "token_type");
  write_string(writer, "bearer");
  write_key(writer, "access_token");
  write_string(writer, world_.config().app.bearer_token);
  writer.EndObject();
  return json_response(200, std::string(buffer.GetString(), buffer.GetSize()));
}

HttpResponse Service::handle_admin(const HttpRequest& request) {
  if (request.method == "PUT") {
    auto merged = merge_faults_json(faults_.config(), request.body, world_.config());
    if (!merged) return errors_response(400, {"/admin/faults: " + merged.error().message});
    faults_.replace(*merged);
    logger_.info("faults changed", {{"faults", faults_to_json(*merged)}});
  }
  return json_response(200, faults_to_json(faults_.config()));
}

HttpResponse Service::landing() const {
  const LandingInfo info{options_.version,     options_.revision,  options_.clock_start,
                         options_.clock_speed, world_clock_.now(), options_.admin_enabled};
  return text_response(200, "text/html; charset=utf-8", landing_page(world_.config(), info));
}

}  // namespace xee::simulator::server
