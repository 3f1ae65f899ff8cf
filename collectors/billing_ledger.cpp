#include "collectors/billing_ledger.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>

#include "collectors/state_json.h"
#include "common/text.h"

namespace xee::collectors {
namespace {

std::string month_text(std::chrono::sys_seconds month_start) {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(month_start)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()));
  return text;
}

std::optional<std::chrono::sys_seconds> parse_month(std::string_view text) {
  int year = 0;
  unsigned month = 0;
  char tail = 0;
  const std::string copy(text);
  if (copy.size() != 7 || std::sscanf(copy.c_str(), "%4d-%2u%c", &year, &month, &tail) != 2 ||
      month < 1 || month > 12) {
    return std::nullopt;
  }
  return std::chrono::sys_seconds{
      std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{month} / 1}};
}

}  // namespace

std::string billing_account_key(std::string_view handle, std::string_view author_id,
                                wire::PostId post_id) {
  if (!handle.empty()) return "handle:" + common::ascii_lower(handle);
  if (!author_id.empty()) return "id:" + std::string(author_id);
  return "post:" + wire::format_post_id(post_id);
}

std::chrono::sys_seconds month_start_of(std::chrono::sys_seconds t) {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(t)};
  return std::chrono::sys_seconds{std::chrono::sys_days{day.year() / day.month() / 1}};
}

bool BillingLedger::roll_to(std::chrono::sys_seconds now) {
  const auto month = month_start_of(now);
  if (month <= month_start_) return false;
  month_start_ = month;
  accounts_.clear();
  return true;
}

std::size_t BillingLedger::count() const {
  std::lock_guard lock(mutex_);
  return accounts_.size();
}

std::chrono::sys_seconds BillingLedger::month_start() const {
  std::lock_guard lock(mutex_);
  return month_start_;
}

std::string BillingLedger::encode() const {
  std::lock_guard lock(mutex_);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("month");
  const std::string month = month_text(month_start_);
  writer.String(month.c_str(), static_cast<rapidjson::SizeType>(month.size()));
  writer.Key("accounts");
  writer.StartArray();
  for (const std::string& account : accounts_) {
    writer.String(account.c_str(), static_cast<rapidjson::SizeType>(account.size()));
  }
  writer.EndArray();
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<void> BillingLedger::decode(std::string_view json) {
  rapidjson::Document document;
  if (auto parsed = parse_json_object(json, document); !parsed) {
    return tl::unexpected(parsed.error());
  }
  const rapidjson::Value& root = document;
  const auto month = root.FindMember("month");
  const auto start = month != root.MemberEnd() && month->value.IsString()
                         ? parse_month(month->value.GetString())
                         : std::nullopt;
  if (!start) return fail("missing or invalid \"month\" (YYYY-MM)");
  const auto accounts = root.FindMember("accounts");
  if (accounts == root.MemberEnd() || !accounts->value.IsArray()) {
    return fail("missing or non-array \"accounts\"");
  }
  std::set<std::string> decoded;
  for (const auto& account : accounts->value.GetArray()) {
    if (!account.IsString()) return fail("\"accounts\" holds a non-string");
    decoded.insert(std::string(account.GetString(), account.GetStringLength()));
  }
  std::lock_guard lock(mutex_);
  month_start_ = *start;
  accounts_ = std::move(decoded);
  return {};
}

}  // namespace xee::collectors
