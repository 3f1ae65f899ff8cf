#pragma once
// X bills the Engagement API by the unique accounts whose Posts are queried per calendar month
// (spec §4.3, the FAQ's "unique @handles"). The ledger remembers which accounts were queried this
// month, on X's clock, so x_engagement_accounts_queried_this_month can guard the contract. It is
// kept in the state file (section "billing") so a restart does not reset the count mid-month.
//
// An account is known by its handle (lower case) when one is known — the configured owner or the
// author search reported — else by X's author ID; a Post whose author is unknown (a configured
// Post of someone else) counts as an account of its own: the count may overstate, never
// understate, what X bills.

#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "common/result.h"
#include "wire/snowflake.h"

namespace xee::collectors {

inline constexpr std::string_view kBillingStateSection = "billing";

// "handle:acme", "id:1000002" or "post:2123…".
std::string billing_account_key(std::string_view handle, std::string_view author_id,
                                wire::PostId post_id);

class BillingLedger {
 public:
  // Adds accounts queried at `now`. A `now` in a later month than the ledger's starts that month
  // afresh. Returns whether the ledger changed (worth saving).
  template <typename Keys>
  bool record(const Keys& keys, std::chrono::sys_seconds now) {
    std::lock_guard lock(mutex_);
    bool changed = roll_to(now);
    for (const auto& key : keys) changed = accounts_.insert(std::string(key)).second || changed;
    return changed;
  }

  std::size_t count() const;
  std::chrono::sys_seconds month_start() const;

  // {"month": "2026-11", "accounts": ["handle:acme", …]}
  std::string encode() const;
  // Replaces the ledger; a ledger of an earlier month than `now` is kept only as a start point
  // that the next record() rolls over. An error names what is wrong.
  Result<void> decode(std::string_view json);

 private:
  bool roll_to(std::chrono::sys_seconds now);

  mutable std::mutex mutex_;
  std::chrono::sys_seconds month_start_{};
  std::set<std::string> accounts_;
};

// The first instant of the UTC calendar month that holds `t`.
std::chrono::sys_seconds month_start_of(std::chrono::sys_seconds t);

}  // namespace xee::collectors
