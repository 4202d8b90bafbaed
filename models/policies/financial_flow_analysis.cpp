#include "models/policies/financial_flow_analysis.hpp"

#include <cmath>

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "models/scenario/distribution_from_proto.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

double FinancialFlowAnalysis::flag_probability(const Lot& lot) const {
  if (!lot.diverted) return p_.false_positive_probability;
  return p_.detection_probability *
         std::pow(1.0 - p_.evasion_per_layer, static_cast<double>(lot.payment_layers));
}

Decision FinancialFlowAnalysis::on_sale(const PolicyContext& ctx) const {
  const bool flagged = sim::bernoulli(ctx.rng, flag_probability(ctx.lot));
  const sim::Time delay = sim::Time::from_days(p_.delay_days.sample(ctx.rng));
  if (!flagged) return {Verdict::kPass, 1.0, {}};
  return {Verdict::kSeize, 1.0, delay};
}

std::unique_ptr<Policy> make_financial_flow_analysis(const v1::Policy& config) {
  const v1::FinancialFlowAnalysis& c = config.financial_flow_analysis();
  FinancialFlowAnalysis::Parameters p;
  p.detection_probability = probability(c.detection_probability(), "detection_probability");
  p.evasion_per_layer = probability(c.evasion_per_layer(), "evasion_per_layer");
  p.false_positive_probability =
      probability(c.false_positive_probability(), "false_positive_probability");
  try {
    p.delay_days = distribution_from_proto(c.delay_days(), false);
  } catch (const PolicyConfigError& e) {
    throw PolicyConfigError(e.field().empty() ? "delay_days" : "delay_days." + e.field(), e.what());
  }
  return std::make_unique<FinancialFlowAnalysis>(std::move(p));
}

}  // namespace chiptrail::models
