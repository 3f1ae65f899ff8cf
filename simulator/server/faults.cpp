#include "simulator/server/faults.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <utility>

#include "common/time_format.h"
#include "simulator/server/json_output.h"

namespace xee::simulator::server {
namespace {

constexpr std::array<std::string_view, kAllFaultKinds.size()> kFaultLabels{
    "error",     "latency", "rate_limit",      "malformed",
    "truncated", "reset",   "revoked_account", "deleted_post"};
constexpr std::array<int, 3> kErrorStatuses{500, 502, 503};

struct RateField {
  const char* name;
  double FaultConfig::*member;
};
constexpr std::array<RateField, 5> kRateFields{{
    {"error_rate", &FaultConfig::error_rate},
    {"rate_limit_rate", &FaultConfig::rate_limit_rate},
    {"malformed_rate", &FaultConfig::malformed_rate},
    {"truncated_rate", &FaultConfig::truncated_rate},
    {"reset_rate", &FaultConfig::reset_rate},
}};

std::string_view as_view(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

Result<std::set<std::string>> read_handles(const rapidjson::Value& value) {
  if (!value.IsArray()) return fail("revoked_accounts must be an array of account handles");
  std::set<std::string> handles;
  for (const auto& item : value.GetArray()) {
    if (!item.IsString()) return fail("revoked_accounts must contain only strings");
    handles.emplace(as_view(item));
  }
  return handles;
}

Result<std::set<wire::PostId>> read_post_ids(const rapidjson::Value& value) {
  if (!value.IsArray()) return fail("deleted_posts must be an array of Post ID strings");
  std::set<wire::PostId> ids;
  for (const auto& item : value.GetArray()) {
    std::optional<wire::PostId> id;
    if (item.IsString()) id = wire::parse_post_id(as_view(item));
    if (item.IsUint64()) id = wire::parse_post_id(std::to_string(item.GetUint64()));
    if (!id) return fail("deleted_posts contains a value that is not a Post ID");
    ids.insert(*id);
  }
  return ids;
}

Result<void> merge_member(FaultConfig& config, std::string_view name,
                          const rapidjson::Value& value) {
  for (const auto& field : kRateFields) {
    if (name != field.name) continue;
    if (!value.IsNumber()) return fail(std::string(field.name) + " must be a number");
    config.*field.member = value.GetDouble();
    return {};
  }
  if (name == "latency") {
    const auto latency = value.IsString() ? common::parse_duration(as_view(value)) : std::nullopt;
    if (!latency) return fail("latency must be a duration string such as \"200ms\"");
    config.latency = *latency;
  } else if (name == "revoked_accounts") {
    auto handles = read_handles(value);
    if (!handles) return tl::unexpected(handles.error());
    config.revoked_accounts = std::move(*handles);
  } else if (name == "deleted_posts") {
    auto ids = read_post_ids(value);
    if (!ids) return tl::unexpected(ids.error());
    config.deleted_posts = std::move(*ids);
  } else if (name == "forbidden_tweets_status") {
    if (value.IsNull()) {
      config.forbidden_tweets_status.reset();
    } else if (value.IsInt()) {
      config.forbidden_tweets_status = value.GetInt();
    } else {
      return fail("forbidden_tweets_status must be 403, 400, 200 or null (the world's)");
    }
  } else if (name == "seed") {
    if (!value.IsUint64()) return fail("seed must be a non-negative integer");
    config.seed = value.GetUint64();
  } else {
    return fail("unknown field '" + std::string(name) + "'");
  }
  return {};
}

}  // namespace

std::string_view fault_label(FaultKind kind) {
  return kFaultLabels[static_cast<std::size_t>(kind)];
}

Result<FaultConfig> validate_faults(FaultConfig config, const WorldConfig& world) {
  for (const auto& field : kRateFields) {
    const double rate = config.*field.member;
    if (!(rate >= 0.0 && rate <= 1.0)) {
      return fail(std::string(field.name) + " must be between 0 and 1, got " +
                  std::to_string(rate));
    }
  }
  if (config.latency.count() < 0) return fail("latency must not be negative");
  if (const auto status = config.forbidden_tweets_status;
      status && std::find(kForbiddenTweetsStatuses.begin(), kForbiddenTweetsStatuses.end(),
                          *status) == kForbiddenTweetsStatuses.end()) {
    return fail("forbidden_tweets_status must be 403, 400, 200 or null (the world's), got " +
                std::to_string(*status));
  }
  for (const auto& handle : config.revoked_accounts) {
    const bool known =
        std::any_of(world.accounts.begin(), world.accounts.end(),
                    [&](const AccountConfig& account) { return account.handle == handle; });
    if (!known)
      return fail("revoked_accounts: no configured account has the handle '" + handle + "'");
  }
  return config;
}

std::string faults_to_json(const FaultConfig& config) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  for (const auto& field : kRateFields) {
    write_key(writer, field.name);
    writer.Double(config.*field.member);
  }
  write_key(writer, "latency");
  write_string(writer, common::format_duration(config.latency));
  write_string_array(
      writer, "revoked_accounts",
      std::vector<std::string>(config.revoked_accounts.begin(), config.revoked_accounts.end()));
  std::vector<std::string> ids;
  for (const auto id : config.deleted_posts) ids.push_back(wire::format_post_id(id));
  write_string_array(writer, "deleted_posts", ids);
  write_key(writer, "forbidden_tweets_status");
  if (config.forbidden_tweets_status) {
    writer.Int(*config.forbidden_tweets_status);
  } else {
    writer.Null();
  }
  write_key(writer, "seed");
  writer.Uint64(config.seed);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<FaultConfig> merge_faults_json(const FaultConfig& base, std::string_view json,
                                      const WorldConfig& world) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    return fail("invalid JSON at offset " + std::to_string(document.GetErrorOffset()) + ": " +
                rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsObject()) return fail("the body must be a JSON object");
  FaultConfig merged = base;
  for (const auto& member : std::as_const(document).GetObject()) {
    auto applied = merge_member(merged, as_view(member.name), member.value);
    if (!applied) return tl::unexpected(applied.error());
  }
  return validate_faults(std::move(merged), world);
}

FaultInjector::FaultInjector(FaultConfig config) : config_(std::move(config)), rng_(config_.seed) {}

double FaultInjector::draw() {
  return static_cast<double>(rng_() >> 11) * 0x1.0p-53;
}

FaultPlan FaultInjector::plan_next() {
  std::lock_guard lock(mutex_);
  const double reset = draw();
  const double error = draw();
  const double error_kind = draw();
  const double rate_limit = draw();
  const double malformed = draw();
  const double truncated = draw();
  FaultPlan plan;
  plan.latency = config_.latency;
  if (reset < config_.reset_rate) {
    plan.reset = true;
  } else if (error < config_.error_rate) {
    plan.error_status =
        kErrorStatuses[static_cast<std::size_t>(error_kind * kErrorStatuses.size())];
  } else if (rate_limit < config_.rate_limit_rate) {
    plan.rate_limited = true;
  } else if (malformed < config_.malformed_rate) {
    plan.malformed = true;
  } else if (truncated < config_.truncated_rate) {
    plan.truncated = true;
  }
  return plan;
}

FaultConfig FaultInjector::config() const {
  std::lock_guard lock(mutex_);
  return config_;
}

void FaultInjector::replace(FaultConfig config) {
  std::lock_guard lock(mutex_);
  config_ = std::move(config);
  rng_.seed(config_.seed);
}

}  // namespace xee::simulator::server
