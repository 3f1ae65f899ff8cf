#include "store/snapshot.h"

namespace xee::store {

void SnapshotStore::publish_totals(std::shared_ptr<const TotalsSection> section) {
  TotalsListener listener;
  {
    std::lock_guard lock(mutex_);
    current_.totals = section;
    listener = totals_listener_;
  }
  // Outside the lock: scrapes keep reading the store while the listener works.
  if (listener) listener(section);
}

void SnapshotStore::set_totals_listener(TotalsListener listener) {
  std::lock_guard lock(mutex_);
  totals_listener_ = std::move(listener);
}

void SnapshotStore::publish_hourly(std::shared_ptr<const HourlySection> section) {
  std::lock_guard lock(mutex_);
  current_.hourly = std::move(section);
}

void SnapshotStore::publish_discovery(std::shared_ptr<const DiscoverySection> section) {
  std::lock_guard lock(mutex_);
  current_.discovery = std::move(section);
}

Snapshot SnapshotStore::snapshot() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace xee::store
