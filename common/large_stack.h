#pragma once
// Runs work on a thread with a stack of a chosen size and waits for it. Parsers that recurse per
// nesting level (toml++ reading a deeply nested config) need more stack than civetweb's worker
// threads have; their depth limits only help if the stack reaches them.

#include <cstddef>
#include <functional>

namespace xee::common {

// 64 MiB: toml++'s nesting limit with room to spare; only the pages used are ever committed.
inline constexpr std::size_t kParserStackBytes = std::size_t{64} << 20;

// Calls `work` on a new thread with `stack_bytes` of stack and returns when it has finished;
// exceptions thrown by `work` are rethrown here. False, without calling `work`, when no such
// thread can be created (running it on a small stack instead could crash).
[[nodiscard]] bool run_on_large_stack(std::size_t stack_bytes, const std::function<void()>& work);

}  // namespace xee::common
