#pragma once
// Who is asking, once authentication succeeded: the app alone (Bearer, or OAuth 1.0a signed with
// the consumer key and secret only) or the app on behalf of one configured account (OAuth 1.0a
// user context).

#include "simulator/world/world.h"

namespace xee::simulator::server {

struct Caller {
  enum class Kind { bearer, app_oauth, user };
  Kind kind = Kind::bearer;
  const AccountConfig* account = nullptr;  // set for Kind::user

  static Caller app() { return {Kind::bearer, nullptr}; }
  static Caller app_oauth() { return {Kind::app_oauth, nullptr}; }
  // The app alone, whichever scheme: the five public /totals types only.
  bool app_only() const { return kind != Kind::user; }
  static Caller user(const AccountConfig& account) { return {Kind::user, &account}; }
};

}  // namespace xee::simulator::server
