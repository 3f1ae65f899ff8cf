#pragma once
// Who is asking, once authentication succeeded: the app alone (Bearer) or the app on behalf of
// one configured account (OAuth 1.0a user context).

#include "simulator/world/world.h"

namespace xee::simulator::server {

struct Caller {
  enum class Kind { bearer, user };
  Kind kind = Kind::bearer;
  const AccountConfig* account = nullptr;  // set for Kind::user

  static Caller app() { return {Kind::bearer, nullptr}; }
  static Caller user(const AccountConfig& account) { return {Kind::user, &account}; }
};

}  // namespace xee::simulator::server
