#include "models/inference/public_record.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "models/scenario/calendar_date.hpp"
#include "models/scenario/input_error.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {
namespace {

constexpr std::uint64_t kPublication = sim::stream_key("publication");
constexpr std::uint64_t kRecordNoise = sim::stream_key("record-noise");
constexpr double kZ975 = 1.959963984540054;

// The smallest whole number of days by which a fraction `1 - tail` of `delay` has passed.
double quantile_days(const Distribution& delay, double tail) {
  double lo = 0, hi = 1;
  while (delay.survival(hi) > tail && hi < 1e6) hi *= 2;
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    (delay.survival(mid) > tail ? lo : hi) = mid;
  }
  return std::ceil(hi);
}

// The sd of log(sum of chips) when each case's figure is lognormal with median `chips` and its
// 95% range [low, high]: the sum's variance from each term's, read back as a lognormal's sigma
// (Fenton-Wilkinson moment matching).
double log_total_sd(const std::vector<const PublicCase*>& cases) {
  double mean = 0, variance = 0;
  for (const PublicCase* c : cases) {
    const double sigma =
        c->chips_low ? std::log(*c->chips_high / *c->chips_low) / (2 * kZ975) : 0.0;
    const double m = *c->chips * std::exp(sigma * sigma / 2);
    mean += m;
    variance += m * m * std::expm1(sigma * sigma);
  }
  return mean > 0 ? std::sqrt(std::log1p(variance / (mean * mean))) : 0.0;
}

}  // namespace

PublicRecord::PublicRecord(const Observations& observations, const World& world,
                           std::size_t first_parameter)
    : period_days_(observations.period_days) {
  std::vector<InputError> errors;
  const auto located = [&](const FieldPath& at, std::string message) {
    const SourceLocation where = observations.locator.locate(at);
    errors.push_back({where.file, where.line, where.column, at.to_string(), std::move(message)});
  };
  const Network& network = world.network;
  double lead_days = 0;
  for (const ReportingModel& r : observations.reporting) {
    Model m;
    m.name = r.name;
    for (std::size_t i = 0; i < r.policies.size(); ++i) {
      const auto it =
          std::find_if(world.policies.begin(), world.policies.end(),
                       [&](const PolicyInstance& p) { return p.name == r.policies[i]; });
      if (it == world.policies.end()) {
        std::string known;
        for (const PolicyInstance& p : world.policies)
          known += (known.empty() ? "" : ", ") + p.name;
        located(r.at.at("policies", i),
                "the scenario has no policy \"" + r.policies[i] + "\"; it has: " + known);
        continue;
      }
      m.policy.resize(world.policies.size(), false);
      m.policy[static_cast<std::size_t>(it - world.policies.begin())] = true;
    }
    for (std::size_t i = 0; i < r.countries.size(); ++i) {
      bool found = false;
      m.node.resize(network.node_count(), false);
      for (NodeIndex n = 0; n < network.node_count(); ++n) {
        if (network.node(n).country == r.countries[i]) m.node[n] = found = true;
      }
      if (!found) {
        located(r.at.at("countries", i),
                "no node of the scenario is in \"" + r.countries[i] + "\"");
      }
    }
    m.interdictions_only = r.interdictions_only;
    if (r.probability_inferred) {
      m.probability_parameter = first_parameter + parameters_.size();
      parameters_.push_back("reporting." + r.name + ".probability");
      priors_.push_back(r.probability);
    } else {
      m.probability = r.probability.mean();
    }
    m.delay = r.delay_days;
    lead_days = std::max(lead_days, quantile_days(r.delay_days, 0.01));
    m.bin_days = r.bin_days;
    m.bins = static_cast<std::size_t>(std::ceil(period_days_ / r.bin_days - 1e-9));
    m.compares_chips = r.chips_weight > 0;
    m.first_statistic = observed_.names.size();

    // The observed side: the file's cases of this model, binned, and their chips.
    std::vector<const PublicCase*> cases;
    for (const PublicCase& c : observations.cases) {
      if (observations.reporting[c.reporting].name == r.name) cases.push_back(&c);
    }
    std::vector<double> counts(m.bins, 0.0);
    for (const PublicCase* c : cases) {
      counts[std::min(m.bins - 1, static_cast<std::size_t>(c->day / m.bin_days))] += 1;
    }
    for (std::size_t b = 0; b < m.bins; ++b) {
      const double first = static_cast<double>(b) * m.bin_days;
      const double last = std::min(period_days_, first + m.bin_days) - 1;
      const std::int64_t opens = *observations.window_opens;
      observed_.names.push_back("cases_published." + r.name + "." +
                                format_iso_date(opens + static_cast<std::int64_t>(first)) + ".." +
                                format_iso_date(opens + static_cast<std::int64_t>(last)));
      observed_.values.push_back(counts[b]);
      observed_.weights.push_back(r.count_weight);
      observed_.noise_sd.push_back(0);
    }
    if (m.compares_chips) {
      double chips = 0;
      for (const PublicCase* c : cases) chips += *c->chips;
      observed_.names.push_back("log_chips_published." + r.name);
      observed_.values.push_back(std::log1p(chips));
      observed_.weights.push_back(r.chips_weight);
      observed_.noise_sd.push_back(log_total_sd(cases));
    }
    models_.push_back(std::move(m));
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  lead_ = sim::Time::days(static_cast<sim::Time::Rep>(lead_days));
}

std::optional<std::size_t> PublicRecord::model_of(const DetectionRecord& d) const {
  const bool interdiction = d.verdict == Verdict::kSeize || d.verdict == Verdict::kDisable;
  for (std::size_t i = 0; i < models_.size(); ++i) {
    const Model& m = models_[i];
    if (!m.policy.empty() && !m.policy[d.policy]) continue;
    if (!m.node.empty() && !(d.node && m.node[*d.node])) continue;
    if (m.interdictions_only && !interdiction) continue;
    return i;
  }
  return std::nullopt;
}

std::vector<PublicRecord::Published> PublicRecord::publish(
    const std::vector<DetectionRecord>& detections, const std::vector<double>& theta,
    sim::StreamAddress address) const {
  std::vector<Published> out;
  // A lot or consignment is one case per model however often it is found (a flag, then a
  // seizure): its first detection that the model stands for.
  std::set<std::tuple<std::size_t, std::uint64_t, std::uint64_t>> seen;
  for (const DetectionRecord& d : detections) {
    const std::optional<std::size_t> model = model_of(d);
    if (!model || !seen.emplace(*model, d.lot, d.part).second) continue;
    const Model& m = models_[*model];
    address.stream = sim::hash_combine(kPublication, sim::stream_key(m.name));
    address.entity = d.lot;
    address.part = d.part;
    sim::RandomStream rs(address);
    const double p = m.probability_parameter ? theta[*m.probability_parameter] : m.probability;
    const bool published = rs.uniform01() < p;
    const double delay = m.delay.sample(rs);  // drawn either way: p moves no other draw
    if (!published) continue;
    out.push_back({*model, d.time.to_days(), d.time.to_days() + delay, d.chips});
  }
  return out;
}

std::vector<double> PublicRecord::simulate(const std::vector<DetectionRecord>& detections,
                                           sim::Time opens, const std::vector<double>& theta,
                                           sim::StreamAddress address) const {
  std::vector<double> values(observed_.values.size(), 0.0);
  std::vector<double> chips(models_.size(), 0.0);
  for (const Published& c : publish(detections, theta, address)) {
    const double day = c.published_day - opens.to_days();
    if (day < 0 || day >= period_days_) continue;
    const Model& m = models_[c.model];
    values[m.first_statistic + std::min(m.bins - 1, static_cast<std::size_t>(day / m.bin_days))] +=
        1;
    chips[c.model] += static_cast<double>(c.chips);
  }
  address.stream = kRecordNoise;
  address.entity = 0;
  address.part = 0;
  sim::RandomStream noise(address);
  for (std::size_t i = 0; i < models_.size(); ++i) {
    const Model& m = models_[i];
    if (!m.compares_chips) continue;
    const std::size_t s = m.first_statistic + m.bins;
    values[s] = std::log1p(chips[i]);
    if (observed_.noise_sd[s] > 0) values[s] += sim::normal(noise, 0, observed_.noise_sd[s]);
  }
  return values;
}

}  // namespace chiptrail::models
