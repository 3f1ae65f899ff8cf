#include "collectors/billing_ledger.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/time_format.h"

namespace xee::collectors {
namespace {

std::chrono::sys_seconds at(const char* iso) { return *common::parse_iso8601(iso); }

TEST(BillingAccountKeyTest, PrefersTheHandleThenTheAuthorIdThenThePost) {
  EXPECT_EQ(billing_account_key("ACME", "1000001", 5), "handle:acme");
  EXPECT_EQ(billing_account_key("", "1000002", 5), "id:1000002");
  EXPECT_EQ(billing_account_key("", "", 2123222773114340474), "post:2123222773114340474");
}

TEST(BillingLedgerTest, CountsUniqueAccountsPerCalendarMonth) {
  BillingLedger ledger;
  EXPECT_TRUE(ledger.record(std::vector<std::string>{"handle:acme", "handle:globex"},
                            at("2026-11-20T00:00:00Z")));
  EXPECT_FALSE(ledger.record(std::vector<std::string>{"handle:acme"}, at("2026-11-30T23:59:59Z")));
  EXPECT_EQ(ledger.count(), 2u);
  EXPECT_EQ(ledger.month_start(), at("2026-11-01T00:00:00Z"));
  EXPECT_TRUE(ledger.record(std::vector<std::string>{"handle:acme"}, at("2026-12-01T00:00:00Z")));
  EXPECT_EQ(ledger.count(), 1u);
  EXPECT_EQ(ledger.month_start(), at("2026-12-01T00:00:00Z"));
}

TEST(BillingLedgerTest, SurvivesARestartAndRollsOverAfterIt) {
  BillingLedger ledger;
  ledger.record(std::vector<std::string>{"id:7", "handle:acme"}, at("2026-11-20T00:00:00Z"));
  EXPECT_EQ(ledger.encode(), R"({"month":"2026-11","accounts":["handle:acme","id:7"]})");
  BillingLedger restarted;
  ASSERT_TRUE(restarted.decode(ledger.encode()));
  EXPECT_EQ(restarted.count(), 2u);
  EXPECT_FALSE(restarted.record(std::vector<std::string>{"id:7"}, at("2026-11-21T00:00:00Z")));
  EXPECT_TRUE(restarted.record(std::vector<std::string>{"id:7"}, at("2027-01-02T00:00:00Z")));
  EXPECT_EQ(restarted.count(), 1u);
}

TEST(BillingLedgerTest, RejectsMalformedState) {
  BillingLedger ledger;
  EXPECT_EQ(ledger.decode(R"({"month":"2026-13","accounts":[]})").error().message,
            "missing or invalid \"month\" (YYYY-MM)");
  EXPECT_EQ(ledger.decode(R"({"month":"2026-11","accounts":[1]})").error().message,
            "\"accounts\" holds a non-string");
  EXPECT_EQ(ledger.decode(R"({"month":"2026-11"})").error().message,
            "missing or non-array \"accounts\"");
}

}  // namespace
}  // namespace xee::collectors
