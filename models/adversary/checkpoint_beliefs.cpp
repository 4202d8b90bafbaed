#include "models/adversary/checkpoint_beliefs.hpp"

#include "sim/distributions.hpp"

namespace chiptrail::models {

CheckpointBeliefs::CheckpointBeliefs(std::size_t nodes, double prior_mean, double prior_strength)
    : caught_(nodes, prior_mean * prior_strength),
      passed_(nodes, (1.0 - prior_mean) * prior_strength) {}

void CheckpointBeliefs::observe(NodeIndex node, bool caught, double weight) {
  (caught ? caught_ : passed_)[node] += weight;
}

double CheckpointBeliefs::mean(NodeIndex node) const {
  return caught_[node] / (caught_[node] + passed_[node]);
}

double CheckpointBeliefs::sample(NodeIndex node, sim::RandomStream& rs) const {
  return sim::beta(rs, caught_[node], passed_[node]);
}

std::vector<double> CheckpointBeliefs::means() const {
  std::vector<double> out(caught_.size());
  for (NodeIndex n = 0; n < out.size(); ++n) out[n] = mean(n);
  return out;
}

std::vector<double> CheckpointBeliefs::samples(sim::RandomStream& rs) const {
  std::vector<double> out(caught_.size());
  for (NodeIndex n = 0; n < out.size(); ++n) out[n] = sample(n, rs);
  return out;
}

}  // namespace chiptrail::models
