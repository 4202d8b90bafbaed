#include "models/replication/front_companies.hpp"

#include <cmath>

#include "models/random_streams.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

FrontCompanies::FrontCompanies(ReplicationContext& ctx) : ctx_(ctx) {
  fronts_.reserve(ctx.world.flows.size());
  for (std::size_t f = 0; f < ctx.world.flows.size(); ++f) {
    fronts_.push_back(
        {sim::Time::zero(), 1.0, {}, ctx.streams.stream(streams::kFrontReform, f), 0, 0, {}});
  }
}

void FrontCompanies::set_arrivals(std::size_t f, sim::ProcessHandle process) {
  fronts_[f].arrivals = std::move(process);
}

void FrontCompanies::learn(const Lot& lot, std::uint64_t interdicted, std::uint64_t delivered) {
  const std::size_t f = lot.flow;
  if (f >= fronts_.size() || !ctx_.world.flows[f].deterrence) return;
  Front& front = fronts_[f];
  const auto sold = static_cast<double>(ctx_.lots.sold(lot.id).lot.chips);
  const double decay = std::exp2(-(ctx_.now() - front.learnt_at).to_days() /
                                 ctx_.world.flows[f].deterrence->memory.to_days());
  front.interdicted = front.interdicted * decay + static_cast<double>(interdicted) / sold;
  front.delivered = front.delivered * decay + static_cast<double>(delivered) / sold;
  front.learnt_at = ctx_.now();
}

double FrontCompanies::perceived_risk(std::size_t f) const {
  const std::optional<DeterrenceRule>& rule = ctx_.world.flows[f].deterrence;
  if (!rule) return 0;
  // The learnt weights decay to the last outcome, not to now: between outcomes nothing new is
  // learnt and the prior keeps its weight, so r only moves when news comes.
  const Front& front = fronts_[f];
  return (front.interdicted + rule->prior_lots * rule->prior_risk) /
         (front.interdicted + front.delivered + rule->prior_lots);
}

bool FrontCompanies::buys(const Lot& lot) const {
  const std::optional<DeterrenceRule>& rule = ctx_.world.flows[lot.flow].deterrence;
  if (!rule) return true;
  const double p = std::pow(1.0 - perceived_risk(lot.flow), rule->elasticity);
  sim::RandomStream rs = ctx_.streams.stream(streams::kDeterrence, lot);
  return sim::bernoulli(rs, p);
}

bool FrontCompanies::open(std::size_t f) const {
  return f >= fronts_.size() || ctx_.now() >= fronts_[f].reopens_at;
}

void FrontCompanies::close(std::size_t f) {
  if (f >= fronts_.size()) return;
  const std::optional<FrontRule>& rule = ctx_.world.flows[f].front;
  if (!rule || !open(f)) return;
  Front& front = fronts_[f];
  front.reopens_at = ctx_.now() + days(rule->reform_days.sample(front.reform));
  front.volume = rule->volume_after_reform;
  ctx_.recorder.front_closed(f, ctx_.now(), front.reopens_at);
  if (!front.arrivals.done()) ctx_.simulator.interrupt(front.arrivals);
}

}  // namespace chiptrail::models
