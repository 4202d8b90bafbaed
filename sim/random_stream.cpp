#include "sim/random_stream.hpp"

// Random123 is written for many compilers; keep its internals out of our warning set.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <Random123/philox.h>
#pragma GCC diagnostic pop

namespace chiptrail::sim {

std::array<std::uint64_t, 4> RandomStream::generate_block(const StreamAddress& a,
                                                          std::uint64_t block) {
  using Philox = r123::Philox4x64;
  const Philox::key_type key = {{a.master_seed, a.replication}};
  const Philox::ctr_type ctr = {{a.stream, a.entity, block, a.part}};
  const Philox::ctr_type out = Philox{}(ctr, key);
  return {out.v[0], out.v[1], out.v[2], out.v[3]};
}

}  // namespace chiptrail::sim
