#pragma once

#include <cstddef>
#include <vector>

#include "models/network.hpp"
#include "sim/random_stream.hpp"

namespace chiptrail::models {

// What smugglers believe about the chance of being caught on arriving at each node: a Beta
// distribution per node, from a common prior, updated by the outcomes they learn of. Beliefs
// belong to one replication (they are state, not configuration).
class CheckpointBeliefs {
 public:
  // At node n, a Beta prior with mean `prior_means[n]` worth `prior_strength` observations.
  CheckpointBeliefs(const std::vector<double>& prior_means, double prior_strength);

  // An outcome at `node`: caught there or got through, counted with `weight` observations.
  void observe(NodeIndex node, bool caught, double weight);

  [[nodiscard]] double mean(NodeIndex node) const;
  // A draw from the belief at `node` (Thompson sampling).
  [[nodiscard]] double sample(NodeIndex node, sim::RandomStream& rs) const;

 private:
  std::vector<double> caught_;  // Beta alpha: prior plus weighted seizures
  std::vector<double> passed_;  // Beta beta: prior plus weighted passages
};

}  // namespace chiptrail::models
