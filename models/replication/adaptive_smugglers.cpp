#include "models/replication/adaptive_smugglers.hpp"

#include <algorithm>
#include <cmath>

#include "models/adversary/answers.hpp"
#include "models/adversary/route_choice.hpp"
#include "models/adversary/substitution.hpp"
#include "models/random_streams.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {
namespace {

// The smugglers' prior: detection at border crossings and transit hubs, and elsewhere.
std::vector<double> prior_means(const World& world) {
  std::vector<double> prior;
  for (NodeIndex n = 0; n < world.network.node_count(); ++n) {
    const NodeKind kind = world.network.node(n).kind;
    prior.push_back(kind == NodeKind::kBorderCrossing || kind == NodeKind::kTransitHub
                        ? world.adversary->prior_detection
                        : world.adversary->prior_detection_elsewhere);
  }
  return prior;
}

}  // namespace

AdaptiveSmugglers::AdaptiveSmugglers(ReplicationContext& ctx)
    : ctx_(ctx), beliefs_(prior_means(ctx.world), ctx.world.adversary->prior_strength) {}

Stake AdaptiveSmugglers::stake(std::size_t chip_model, std::uint64_t chips) const {
  const AdversaryConfig& a = *ctx_.world.adversary;
  const double n = static_cast<double>(chips);
  return {n, n * ctx_.world.chips[chip_model].price_usd, a.risk_aversion,
          a.delay_cost_per_chip_day_usd};
}

std::vector<EdgeIndex> AdaptiveSmugglers::choose_route(const Lot& part) const {
  const Tactics& t = ctx_.world.flows[part.flow].tactics;
  std::vector<double> drawn(ctx_.world.network.node_count(), -1.0);
  const DetectionAt detection = [&](NodeIndex n) {
    if (drawn[n] < 0) {
      sim::RandomStream rs = ctx_.streams.stream(
          streams::at_node(streams::kBeliefDraw, ctx_.streams.node_key(n)), part);
      drawn[n] = beliefs_.sample(n, rs);
    }
    return drawn[n];
  };
  std::vector<EdgeIndex> route =
      cheapest_route(ctx_.world.network, t.dismantle_at, t.end_facility, detection,
                     AdaptiveSmugglers::stake(part.chip_model, part.chips), t.consignment_routes);
  return route.empty() ? t.to_end : route;
}

bool AdaptiveSmugglers::adapt_purchase(const Flow& flow, Lot& lot) {
  const AdversaryConfig& a = *ctx_.world.adversary;
  if (a.avoid_verified_chips) {
    const std::size_t model = chip_model_avoiding_verification(ctx_.world, flow, ctx_.now());
    if (model != lot.chip_model) {  // the same compute in the alternative model
      const std::uint64_t unit = chips_per_unit(lot.packaging);
      const double chips = static_cast<double>(lot.chips) *
                           ctx_.world.chips[lot.chip_model].h100_equivalents /
                           ctx_.world.chips[model].h100_equivalents;
      lot.chips = unit * static_cast<std::uint64_t>(
                             std::max(1.0, std::round(chips / static_cast<double>(unit))));
      lot.chip_model = static_cast<std::uint32_t>(model);
    }
  }
  if (!a.substitute_chip) return true;
  const SupplyChoice choice =
      choose_supply(ctx_.world.chips[lot.chip_model], ctx_.world.chips[*a.substitute_chip],
                    lot.chips, a.grey_market_markup, believed_survival(flow, lot));
  bool substitute = choice.substitute;
  if (a.substitution_elasticity) {  // a share of the demand, drawn lot by lot
    sim::RandomStream rs = ctx_.streams.stream(streams::kSubstitution, lot);
    substitute = !sim::bernoulli(rs, smuggled_share(choice, *a.substitution_elasticity));
  }
  if (!substitute) return true;
  if (a.substitute_capacity_h100e_per_year) {  // this year's supply sold out: they smuggle
    const auto year = static_cast<std::int64_t>(std::floor(ctx_.now().to_days() / 365.0));
    if (year != substitute_year_) {
      substitute_year_ = year;
      substitute_sold_h100e_ = 0;
    }
    if (substitute_sold_h100e_ + choice.h100e_bought > *a.substitute_capacity_h100e_per_year) {
      return true;
    }
    substitute_sold_h100e_ += choice.h100e_bought;
  }
  ctx_.recorder.substituted(lot, choice.h100e_bought, ctx_.now());
  return false;
}

double AdaptiveSmugglers::believed_survival(const Flow& flow, const Lot& lot) const {
  const DetectionAt mean = [this](NodeIndex n) { return beliefs_.mean(n); };
  const Tactics& t = flow.tactics;
  const std::uint64_t consignment = std::min(lot.chips, t.consignment_chips);
  const std::vector<EdgeIndex> onward =
      cheapest_route(ctx_.world.network, t.dismantle_at, t.end_facility, mean,
                     AdaptiveSmugglers::stake(lot.chip_model, consignment), t.consignment_routes);
  return survival(ctx_.world.network, flow.route, mean) *
         survival(ctx_.world.network, t.to_dismantle, mean) *
         survival(ctx_.world.network, onward.empty() ? t.to_end : onward, mean);
}

void AdaptiveSmugglers::learn(const Lot& lot, NodeIndex node, std::uint64_t encounter,
                              bool caught) {
  const AdversaryConfig& a = *ctx_.world.adversary;
  if (a.observed_share < 1.0) {
    sim::RandomStream rs = ctx_.streams.stream(
        streams::at_node(streams::kLearn, ctx_.streams.node_key(node), encounter), lot);
    if (!sim::bernoulli(rs, a.observed_share)) return;
  }
  if (a.information_delay <= sim::Time::zero()) {
    beliefs_.observe(node, caught, a.learning_rate);
    return;
  }
  ctx_.simulator.schedule_in(a.information_delay, [this, node, caught] {
    beliefs_.observe(node, caught, ctx_.world.adversary->learning_rate);
  });
}

}  // namespace chiptrail::models
