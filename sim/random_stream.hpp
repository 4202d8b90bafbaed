#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace chiptrail::sim {

// Stable 64-bit name of a random stream (FNV-1a), so that streams can be keyed by readable names
// ("customs", "transit") and the key never changes between builds or platforms.
constexpr std::uint64_t stream_key(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Combines a value into a 64-bit hash (the boost::hash_combine pattern with a full 64-bit
// finaliser, splitmix64's): every input bit affects every output bit, so keys built from
// several small numbers (a stage, a node, an encounter) do not cancel as plain XORs can.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30U;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27U;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31U;
  return x;
}
constexpr std::uint64_t hash_combine(std::uint64_t seed, std::uint64_t value) {
  return mix64(seed ^ (mix64(value) + 0x9e3779b97f4a7c15ULL + (seed << 6U) + (seed >> 2U)));
}

// Where a random number comes from. Every draw in a simulation is identified by
// (master seed, replication, stream key, entity, part, draw index), so adding an actor or a
// policy never shifts anybody else's draws: common random numbers hold across scenarios, and
// results do not depend on which thread, shard or rank computed them. `part` tells apart pieces
// of one entity (the consignments of one lot) without packing them into the entity's bits.
struct StreamAddress {
  std::uint64_t master_seed = 0;
  std::uint64_t replication = 0;
  std::uint64_t stream = 0;
  std::uint64_t entity = 0;
  std::uint64_t part = 0;
};

// A sequence of random numbers at one address, from the counter-based generator Philox4x64-10
// (Random123): key = (master seed, replication), counter = (stream, entity, block, part). Draw i
// is word i % 4 of block i / 4, so any draw can be computed directly (see at()), and a stream is
// 40 bytes of state with no warm-up.
class RandomStream {
 public:
  explicit RandomStream(const StreamAddress& address) : address_(address) {}

  // The next 64 random bits.
  std::uint64_t next_u64() {
    const std::uint64_t block = index_ >> 2U;
    if (block != cached_block_) {
      block_ = generate_block(address_, block);
      cached_block_ = block;
    }
    return block_[index_++ & 3U];
  }

  // A uniform double in the open interval (0, 1): never 0 or 1, so inverse CDFs and log() are
  // always finite. The 52 high bits are used, centred in their cell, so the largest value,
  // 1 - 2^-53, is still below 1 in double precision.
  double uniform01() { return to_open_unit(next_u64()); }

  [[nodiscard]] std::uint64_t draw_index() const { return index_; }
  [[nodiscard]] const StreamAddress& address() const { return address_; }

  // The 64 bits of draw `index` at `address`, without a stream.
  static std::uint64_t at(const StreamAddress& address, std::uint64_t index) {
    return generate_block(address, index >> 2U)[index & 3U];
  }
  static double to_open_unit(std::uint64_t bits) {
    return (static_cast<double>(bits >> 12U) + 0.5) * 0x1.0p-52;
  }

 private:
  static std::array<std::uint64_t, 4> generate_block(const StreamAddress& a, std::uint64_t block);

  StreamAddress address_;
  std::uint64_t index_ = 0;
  std::uint64_t cached_block_ = UINT64_MAX;  // which block block_ holds
  std::array<std::uint64_t, 4> block_{};
};

}  // namespace chiptrail::sim
