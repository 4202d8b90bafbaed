#include "models/replication/front_companies.hpp"

#include "models/random_streams.hpp"

namespace chiptrail::models {

FrontCompanies::FrontCompanies(ReplicationContext& ctx) : ctx_(ctx) {
  fronts_.reserve(ctx.world.flows.size());
  for (std::size_t f = 0; f < ctx.world.flows.size(); ++f) {
    fronts_.push_back({sim::Time::zero(), 1.0, {}, ctx.streams.stream(streams::kFrontReform, f)});
  }
}

void FrontCompanies::set_arrivals(std::size_t f, sim::ProcessHandle process) {
  fronts_[f].arrivals = std::move(process);
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
