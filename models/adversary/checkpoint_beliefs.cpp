#include "models/adversary/checkpoint_beliefs.hpp"

#include "sim/sampling.hpp"

namespace chiptrail::models {

CheckpointBeliefs::CheckpointBeliefs(const std::vector<double>& prior_means,
                                     double prior_strength) {
  for (const double mean : prior_means) {
    caught_.push_back(mean * prior_strength);
    passed_.push_back((1.0 - mean) * prior_strength);
  }
}

void CheckpointBeliefs::observe(NodeIndex node, bool caught, double weight) {
  (caught ? caught_ : passed_)[node] += weight;
}

double CheckpointBeliefs::mean(NodeIndex node) const {
  return caught_[node] / (caught_[node] + passed_[node]);
}

double CheckpointBeliefs::sample(NodeIndex node, sim::RandomStream& rs) const {
  return sim::beta(rs, caught_[node], passed_[node]);
}

}  // namespace chiptrail::models
