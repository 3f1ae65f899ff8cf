#pragma once
// For test binaries that run civetweb in-process: civetweb 1.15 formats its Date header with
// gmtime(), whose result lives in one static buffer, so concurrent responses race on it (TSan
// reports it). common/thread_safe_gmtime gives the executable a gmtime with a buffer per thread;
// it only takes civetweb's calls when the executable exports it, so the check below asks the
// dynamic linker for the gmtime every library binds to and calls it from two threads.

#include <dlfcn.h>

#include <ctime>
#include <thread>

namespace xee::test_support {

// True when the process-wide gmtime (the one libcivetweb.so calls) returns a buffer per thread.
inline bool gmtime_is_per_thread() {
  using Gmtime = std::tm* (*)(const std::time_t*);
  const auto bound = reinterpret_cast<Gmtime>(::dlsym(RTLD_DEFAULT, "gmtime"));
  if (bound == nullptr) return false;
  const std::time_t epoch = 0;
  const std::tm* here = bound(&epoch);
  const std::tm* there = nullptr;
  std::thread([&] { there = bound(&epoch); }).join();
  return here != nullptr && there != nullptr && here != there;
}

}  // namespace xee::test_support
