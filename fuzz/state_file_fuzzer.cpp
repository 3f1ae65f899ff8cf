// Fuzzes how the exporter reads its state file at start: parse_state_file (what StateFile::load
// does with the text), then each part's section decoder: hourly tallies, discovered Posts and
// search cursors, the billing ledger. Whatever is accepted must survive the way it is written
// back: the file's sections re-read from StateFile::save's layout, and each part's
// decode(encode(decode(x))) equal to decode(x).

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "collectors/billing_ledger.h"
#include "collectors/discovery_state.h"
#include "collectors/hourly_state.h"
#include "fuzz/fuzz_support.h"
#include "state/state_file.h"

namespace {

using namespace xee;

constexpr std::string_view kPath = "/fuzz/x-engagement-exporter.state.json";

// The text StateFile::save writes for `sections`, written the same way.
std::string saved_text(const state::Sections& sections) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("version");
  writer.Int(state::kStateFileVersion);
  writer.Key("sections");
  writer.StartObject();
  for (const auto& [name, json] : sections) {
    writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
  }
  writer.EndObject();
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

void check_hourly(std::string_view json) {
  const auto decoded = collectors::decode_hourly_state(json);
  if (!decoded) return;
  const auto again = collectors::decode_hourly_state(collectors::encode_hourly_state(*decoded));
  XEE_FUZZ_REQUIRE(again.has_value());
  // Posts without an added hour are not written (hourly_state.h).
  std::size_t written = 0;
  for (const auto& [id, hours] : *decoded) {
    if (!hours.last_added) continue;
    ++written;
    const auto found = again->find(id);
    XEE_FUZZ_REQUIRE(found != again->end());
    XEE_FUZZ_REQUIRE(found->second.last_added == hours.last_added);
    XEE_FUZZ_REQUIRE(found->second.last_active == hours.last_active);
    XEE_FUZZ_REQUIRE(found->second.tally == hours.tally);
  }
  XEE_FUZZ_REQUIRE(again->size() == written);
}

void check_discovery(std::string_view json) {
  const auto decoded = collectors::decode_discovery_state(json);
  if (!decoded) return;
  const auto again =
      collectors::decode_discovery_state(collectors::encode_discovery_state(*decoded));
  XEE_FUZZ_REQUIRE(again.has_value() && *again == *decoded);
}

void check_billing(std::string_view json) {
  collectors::BillingLedger ledger;
  if (!ledger.decode(json)) return;
  collectors::BillingLedger again;
  XEE_FUZZ_REQUIRE(again.decode(ledger.encode()).has_value());
  XEE_FUZZ_REQUIRE(again.count() == ledger.count());
  XEE_FUZZ_REQUIRE(again.month_start() == ledger.month_start());
  XEE_FUZZ_REQUIRE(again.encode() == ledger.encode());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const auto sections = state::parse_state_file(kPath, text);
  if (!sections) {
    XEE_FUZZ_REQUIRE(sections.error().message.starts_with(std::string(kPath) + ":"));
    // Section texts of their own, as a part would read them whatever the file around them.
    check_hourly(text);
    check_discovery(text);
    check_billing(text);
    return 0;
  }
  const auto reread = state::parse_state_file(kPath, saved_text(*sections));
  XEE_FUZZ_REQUIRE(reread.has_value() && *reread == *sections);
  for (const auto& [name, json] : *sections) {
    if (name == collectors::kHourlyStateSection) check_hourly(json);
    if (name == collectors::kDiscoveryStateSection) check_discovery(json);
    if (name == collectors::kBillingStateSection) check_billing(json);
  }
  return 0;
}
