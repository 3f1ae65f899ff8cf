#include "store/snapshot.h"

namespace xee::store {

void SnapshotStore::publish_totals(std::shared_ptr<const TotalsSection> section) {
  std::lock_guard lock(mutex_);
  current_.totals = std::move(section);
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
