#pragma once
// The world's randomness: every draw is a hash of the seed and what the draw is about (stream and
// Post index, or Post ID, plus a purpose), so any Post or count can be recomputed on its own, in
// any order, with the same result on every machine. std::rand and the std::*_distribution classes
// are avoided because their output differs between standard library versions.

#include <cstdint>

namespace xee::simulator {

// splitmix64's finaliser: every input bit affects every output bit.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Chained so that (a, b) and (b, a) hash differently.
template <typename... Words>
constexpr std::uint64_t hash_words(std::uint64_t first, Words... rest) {
  std::uint64_t h = mix64(first);
  ((h = mix64(h ^ static_cast<std::uint64_t>(rest))), ...);
  return h;
}

// Uniform in [0, 1) from the top 53 bits, the precision of a double.
constexpr double unit_interval(std::uint64_t h) {
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
}

// One value per kind of draw, so two draws about the same Post never share a hash.
enum class Draw : std::uint64_t {
  jitter = 1,
  sequence,
  video,
  carries_hashtag,
  hashtag_choice,
  public_author,
  topic,
  popularity,
  viral,
  burst_hours,
  tail_hours,
  burst_weight,
  noise,
};

constexpr std::uint64_t draw_word(Draw draw) {
  return static_cast<std::uint64_t>(draw);
}

}  // namespace xee::simulator
