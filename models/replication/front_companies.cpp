#include "models/replication/front_companies.hpp"

#include <algorithm>
#include <cmath>

#include "models/random_streams.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

FrontCompanies::FrontCompanies(ReplicationContext& ctx)
    : ctx_(ctx), listing_(ctx.streams.stream(streams::kEntityList, 0)) {
  fronts_.reserve(ctx.world.flows.size());
  for (std::size_t f = 0; f < ctx.world.flows.size(); ++f) {
    fronts_.push_back({sim::Time::zero(),
                       1.0,
                       0,
                       {},
                       ctx.streams.stream(streams::kFrontReform, ctx.streams.flow_key(f)),
                       0,
                       0,
                       {}});
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
  return f >= fronts_.size() || ctx_.now() >= reopens_at(f);
}

sim::Time FrontCompanies::reopens_at(std::size_t f) const {
  return std::max(fronts_[f].reopens_at, dealer_listed_until(f));
}

sim::Time FrontCompanies::dealer_listed_until(std::size_t f) const {
  const Flow& flow = ctx_.world.flows[f];
  if (!ctx_.world.entity_list || !flow.diversion || flow.remote_access) return sim::Time::zero();
  const auto it = listed_until_.find(flow.tactics.dismantle_at);
  return it == listed_until_.end() ? sim::Time::zero() : it->second;
}

void FrontCompanies::confirmed_case(std::size_t f, std::uint32_t front) {
  if (f >= fronts_.size()) return;
  close(f, front);
  count_against_dealer(f);
}

void FrontCompanies::count_against_dealer(std::size_t f) {
  const std::optional<EntityListRule>& rule = ctx_.world.entity_list;
  const Flow& flow = ctx_.world.flows[f];
  if (!rule || !flow.diversion) return;
  const NodeIndex dealer = flow.tactics.dismantle_at;
  if (dealer_listed_until(f) > ctx_.now()) return;  // listed already
  if (++cases_[dealer] < rule->cases_to_list) return;
  cases_[dealer] = 0;
  const sim::Time until = ctx_.now() + days(rule->listed_days.sample(listing_));
  listed_until_[dealer] = until;
  ctx_.recorder.entity_listed(dealer, ctx_.now(), std::min(until, ctx_.world.horizon));
  for (std::size_t g = 0; g < fronts_.size(); ++g) {
    const Flow& other = ctx_.world.flows[g];
    if (other.diversion && !other.remote_access && other.tactics.dismantle_at == dealer &&
        !fronts_[g].arrivals.done()) {
      ctx_.simulator.interrupt(fronts_[g].arrivals);
    }
  }
}

void FrontCompanies::close(std::size_t f, std::uint32_t number) {
  const std::optional<FrontRule>& rule = ctx_.world.flows[f].front;
  Front& front = fronts_[f];
  // The front's own number, not open(f): a front buying for a listed dealer operates, and
  // closes; a front already closed (a later number buys, or will) is gone.
  if (!rule || number != front.number) return;
  ++front.number;
  front.reopens_at = ctx_.now() + days(rule->reform_days.sample(front.reform));
  front.volume = rule->volume_after_reform;
  ctx_.recorder.front_closed(f, ctx_.now(), front.reopens_at);
  if (!front.arrivals.done()) ctx_.simulator.interrupt(front.arrivals);
}

}  // namespace chiptrail::models
