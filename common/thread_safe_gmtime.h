#pragma once
// civetweb 1.15 writes its Date header with gmtime(), whose result lives in one static buffer
// shared by every thread, so concurrent responses race on it (ThreadSanitizer reports it). This
// program's own gmtime, with a buffer per thread, takes its place for every library loaded: the
// executable's definition wins symbol lookup. Nothing in civetweb is patched.

namespace xee::common {

// Call once from code that starts civetweb: it pulls the definition into the executable (an
// object in a static library is only linked when something refers to it).
void use_thread_safe_gmtime();

}  // namespace xee::common
