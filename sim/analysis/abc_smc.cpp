#include "sim/analysis/abc_smc.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "sim/running_stats.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::sim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr std::uint64_t kStream = stream_key("abc-smc");

using Vector = std::vector<double>;
using Matrix = std::vector<Vector>;

RandomStream stream(const AbcOptions& o, std::uint64_t round, std::uint64_t proposal) {
  return RandomStream({o.seed, round, kStream, proposal});
}

// The spread of one statistic over the prior draws: 1.4826 MAD (the standard deviation for a
// normal), else the standard deviation, else 1 (a statistic that never moves).
double scale_of(const Vector& xs) {
  Vector finite;
  for (const double x : xs)
    if (std::isfinite(x)) finite.push_back(x);
  if (finite.size() < 2) return 1;
  const auto median = [](const Vector& v) {
    return weighted_quantile(v, Vector(v.size(), 1.0), 0.5);
  };
  const double m = median(finite);
  Vector deviations;
  RunningStats stats;
  for (const double x : finite) {
    deviations.push_back(std::fabs(x - m));
    stats.add(x);
  }
  const double mad = 1.4826 * median(deviations);
  if (mad > 0) return mad;
  return stats.sd() > 0 ? stats.sd() : 1;
}

double distance(const Vector& simulated, const Vector& observed, const Vector& scales,
                const Vector& weights) {
  double sum = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (w == 0) continue;
    const double z = (simulated.at(i) - observed[i]) / scales[i];
    if (!std::isfinite(z)) return kInfinity;
    sum += w * z * z;
  }
  return std::sqrt(sum);
}

double prior_density(const std::vector<AbcPrior>& priors, const Vector& theta) {
  double p = 1;
  for (std::size_t i = 0; i < priors.size() && p > 0; ++i) p *= priors[i].density(theta[i]);
  return std::isfinite(p) ? p : 0;
}

// The scale on which the kernel moves one parameter: the whole line for its prior's support
// (see the header). A degenerate support keeps the parameter's own scale.
class FreeScale {
 public:
  FreeScale(double lower, double upper)
      : lo_(upper > lower ? lower : -kInfinity), hi_(upper > lower ? upper : kInfinity) {}
  [[nodiscard]] double to_free(double x) const {
    // A prior draw can round onto a bound: nudge it inside, where the scale is finite.
    if (std::isfinite(lo_)) x = std::max(x, std::nextafter(lo_, kInfinity));
    if (std::isfinite(hi_)) x = std::min(x, std::nextafter(hi_, -kInfinity));
    if (lower() && upper()) return std::log((x - lo_) / (hi_ - x));
    if (lower()) return std::log(x - lo_);
    if (upper()) return -std::log(hi_ - x);
    return x;
  }
  [[nodiscard]] double from_free(double u) const {
    if (lower() && upper()) return lo_ + (hi_ - lo_) / (1 + std::exp(-u));
    if (lower()) return lo_ + std::exp(u);
    if (upper()) return hi_ - std::exp(-u);
    return u;
  }
  // log |d free / dx| at x strictly inside the support.
  [[nodiscard]] double log_jacobian(double x) const {
    if (lower() && upper()) return std::log((hi_ - lo_) / ((x - lo_) * (hi_ - x)));
    if (lower()) return -std::log(x - lo_);
    if (upper()) return -std::log(hi_ - x);
    return 0;
  }
  // Whether x maps to a finite point of the free scale (a proposal that saturates onto a bound
  // does not, and is treated as outside the support).
  [[nodiscard]] bool inside(double x) const {
    return (!lower() || x > lo_) && (!upper() || x < hi_);
  }

 private:
  [[nodiscard]] bool lower() const { return std::isfinite(lo_); }
  [[nodiscard]] bool upper() const { return std::isfinite(hi_); }
  double lo_, hi_;
};

// The proposal kernel: a Gaussian on the free scale with twice the population's weighted
// covariance there (Beaumont et al. 2009), kept as its Cholesky factor L. A direction without
// spread (every particle equal in it) gets a tiny one, so that the kernel can still move there.
class Kernel {
 public:
  Kernel(const Matrix& points, const Vector& weights) {
    const auto d = static_cast<Eigen::Index>(points.front().size());
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(d);
    for (std::size_t i = 0; i < points.size(); ++i) mean += weights[i] * point(points[i]);
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(d, d);
    for (std::size_t i = 0; i < points.size(); ++i) {
      const Eigen::VectorXd x = point(points[i]) - mean;
      cov += 2 * weights[i] * x * x.transpose();
    }
    for (Eigen::Index a = 0; a < d; ++a) cov(a, a) = std::max(cov(a, a), 1e-12);
    // Parameters moving in lockstep make the covariance singular: then move them independently.
    const Eigen::LLT<Eigen::MatrixXd> llt(cov);
    if (llt.info() == Eigen::Success) {
      l_ = llt.matrixL();
    } else {
      l_ = cov.diagonal().cwiseSqrt().asDiagonal();
    }
  }
  // from + L z
  [[nodiscard]] Vector move(const Vector& from, const Eigen::VectorXd& z) const {
    const Eigen::VectorXd x = point(from) + l_ * z;
    return {x.data(), x.data() + x.size()};
  }
  // exp(-|L^-1 (x - mu)|^2 / 2): the density without its constant (equal for all pairs).
  [[nodiscard]] double density(const Vector& x, const Vector& mu) const {
    return std::exp(-0.5 *
                    l_.triangularView<Eigen::Lower>().solve(point(x) - point(mu)).squaredNorm());
  }
  [[nodiscard]] Eigen::Index dimension() const { return l_.rows(); }

 private:
  static Eigen::Map<const Eigen::VectorXd> point(const Vector& v) {
    return {v.data(), static_cast<Eigen::Index>(v.size())};
  }
  Eigen::MatrixXd l_;
};

double effective_sample_size(const Vector& w) {
  double s = 0;
  for (const double x : w) s += x * x;
  return s > 0 ? 1 / s : 0;
}

}  // namespace

double weighted_quantile(std::vector<double> values, std::vector<double> weights, double q) {
  if (values.empty() || values.size() != weights.size()) {
    throw std::invalid_argument("weighted_quantile: no values, or not one weight per value");
  }
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return values[a] < values[b] || (values[a] == values[b] && a < b);
  });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double cumulative = 0;
  for (const std::size_t i : order) {
    cumulative += weights[i];
    if (cumulative >= q * total) return values[i];
  }
  return values[order.back()];
}

double weighted_quantile_error(const std::vector<double>& values,
                               const std::vector<double>& weights, double q) {
  const double t = weighted_quantile(values, weights, q);
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (!(total > 0)) return std::numeric_limits<double>::infinity();
  double variance = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double w = weights[i] / total;
    const double deviation = (values[i] <= t ? 1.0 : 0.0) - q;
    variance += w * w * deviation * deviation;
  }
  const double s = std::sqrt(variance);
  const double low = weighted_quantile(values, weights, std::max(0.0, q - s));
  const double high = weighted_quantile(values, weights, std::min(1.0, q + s));
  return (high - low) / 2;
}

double weighted_mean_error(const std::vector<double>& values, const std::vector<double>& weights) {
  if (values.empty() || values.size() != weights.size()) {
    throw std::invalid_argument("weighted_mean_error: no values, or not one weight per value");
  }
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (!(total > 0)) return std::numeric_limits<double>::infinity();
  double mean = 0;
  for (std::size_t i = 0; i < values.size(); ++i) mean += weights[i] / total * values[i];
  double variance = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double w = weights[i] / total;
    variance += w * w * (values[i] - mean) * (values[i] - mean);
  }
  return std::sqrt(variance);
}

AbcResult abc_smc(const std::vector<AbcPrior>& priors, const std::vector<double>& observed,
                  const AbcSimulator& simulate, const AbcOptions& o) {
  if (priors.empty()) throw std::invalid_argument("ABC needs at least one unknown parameter");
  if (observed.empty()) throw std::invalid_argument("ABC needs at least one observed statistic");
  if (o.particles < 2) throw std::invalid_argument("ABC needs at least 2 particles");
  if (!(o.quantile > 0 && o.quantile < 1))
    throw std::invalid_argument("quantile must be in (0, 1)");
  if (!(o.min_acceptance > 0 && o.min_acceptance <= 1))
    throw std::invalid_argument("min_acceptance must be in (0, 1]");
  const std::size_t n = o.particles, d = priors.size();
  std::vector<FreeScale> free_scales;
  for (const AbcPrior& prior : priors) free_scales.emplace_back(prior.lower, prior.upper);
  AbcResult result;
  const auto run_batch = [&](const Matrix& thetas) {
    Matrix stats = thetas.empty() ? Matrix{} : simulate(thetas, result.simulations);
    if (stats.size() != thetas.size()) throw std::logic_error("ABC simulator: wrong batch size");
    result.simulations += thetas.size();
    return stats;
  };

  // Round 0: the prior.
  AbcPopulation& pop = result.population;
  for (std::size_t i = 0; i < n; ++i) {
    RandomStream rs = stream(o, 0, i);
    Vector theta(d);
    for (std::size_t a = 0; a < d; ++a) theta[a] = priors[a].sample(rs);
    pop.parameters.push_back(std::move(theta));
  }
  pop.statistics = run_batch(pop.parameters);
  for (std::size_t s = 0; s < observed.size(); ++s) {
    Vector column;
    for (const Vector& stats : pop.statistics) column.push_back(stats.at(s));
    result.scales.push_back(scale_of(column));
  }
  for (const Vector& stats : pop.statistics)
    pop.distances.push_back(distance(stats, observed, result.scales, o.weights));
  pop.weights.assign(n, 1.0 / static_cast<double>(n));
  result.rounds.push_back({kInfinity, n, n, n, static_cast<double>(n)});

  constexpr std::uint64_t kProposalsPerSimulation = 100;
  const auto budget =
      static_cast<std::uint64_t>(std::ceil(static_cast<double>(n) / o.min_acceptance));
  for (std::size_t round = 1; round < o.max_rounds; ++round) {
    const double tolerance = weighted_quantile(pop.distances, Vector(n, 1.0), o.quantile);
    if (!std::isfinite(tolerance)) break;  // most prior draws never produced the statistics
    // A tolerance that no longer shrinks (discrete statistics at their resolution) brings the
    // population no closer to the posterior, only more weight variance: stop.
    if (tolerance >= result.rounds.back().tolerance) break;
    Matrix free_points;
    for (const Vector& theta : pop.parameters) {
      Vector u(d);
      for (std::size_t a = 0; a < d; ++a) u[a] = free_scales[a].to_free(theta[a]);
      free_points.push_back(std::move(u));
    }
    const Kernel kernel(free_points, pop.weights);
    const DiscreteChoice choose(pop.weights);
    AbcPopulation next;
    Vector densities;
    Matrix accepted_free;
    AbcRound info;
    info.tolerance = tolerance;
    // The budget counts simulations: a proposal outside the prior's support costs none (with
    // several bounded priors most proposals can be), though drawing them is capped too.
    while (next.parameters.size() < n && info.simulated < budget &&
           info.proposed < kProposalsPerSimulation * budget) {
      const std::uint64_t batch = std::min<std::uint64_t>(n, budget - info.simulated);
      Matrix thetas, batch_free;
      Vector batch_densities;
      for (std::uint64_t k = 0; k < batch; ++k) {
        RandomStream rs = stream(o, round, info.proposed + k);
        const Vector& from = free_points[choose(rs)];
        Eigen::VectorXd z(kernel.dimension());
        for (Eigen::Index a = 0; a < z.size(); ++a) z[a] = normal(rs, 0, 1);
        const Vector u = kernel.move(from, z);
        Vector theta(d);
        bool inside = true;
        for (std::size_t a = 0; a < d; ++a) {
          theta[a] = free_scales[a].from_free(u[a]);
          inside = inside && free_scales[a].inside(theta[a]);
        }
        const double p = inside ? prior_density(priors, theta) : 0.0;
        if (p > 0) {  // outside the prior's support: rejected without a simulation
          thetas.push_back(std::move(theta));
          batch_densities.push_back(p);
          batch_free.push_back(u);
        }
      }
      const Matrix stats = run_batch(thetas);
      info.proposed += batch;
      info.simulated += thetas.size();
      for (std::size_t k = 0; k < thetas.size() && next.parameters.size() < n; ++k) {
        const double dist = distance(stats[k], observed, result.scales, o.weights);
        if (dist > tolerance) continue;
        next.parameters.push_back(thetas[k]);
        next.statistics.push_back(stats[k]);
        next.distances.push_back(dist);
        densities.push_back(batch_densities[k]);
        accepted_free.push_back(batch_free[k]);
      }
    }
    if (next.parameters.size() < n) break;  // this tolerance is out of reach: keep the last
    info.accepted = n;
    // The proposal's density at theta is the kernel mixture's on the free scale times that
    // scale's Jacobian |d free / d theta|.
    for (std::size_t i = 0; i < n; ++i) {
      double mixture = 0;
      for (std::size_t j = 0; j < n; ++j)
        mixture += pop.weights[j] * kernel.density(accepted_free[i], free_points[j]);
      double log_jacobian = 0;
      for (std::size_t a = 0; a < d; ++a)
        log_jacobian += free_scales[a].log_jacobian(next.parameters[i][a]);
      const double proposal = mixture * std::exp(log_jacobian);
      next.weights.push_back(proposal > 0 && std::isfinite(proposal) ? densities[i] / proposal : 0);
    }
    // Truncated importance sampling (Ionides, J. Comput. Graph. Stat. 17, 2008): no weight above
    // sqrt(N) times the mean, so that one proposal accepted far in a tail, where the kernel
    // mixture is thin, cannot carry the population; healthy rounds are never near the cap.
    const double mean_weight =
        std::accumulate(next.weights.begin(), next.weights.end(), 0.0) / static_cast<double>(n);
    for (double& w : next.weights) w = std::min(w, mean_weight * std::sqrt(static_cast<double>(n)));
    const double total = std::accumulate(next.weights.begin(), next.weights.end(), 0.0);
    if (!(total > 0)) break;
    for (double& w : next.weights) w /= total;
    info.effective_sample_size = effective_sample_size(next.weights);
    pop = std::move(next);
    result.rounds.push_back(info);
    if (static_cast<double>(info.accepted) < o.min_acceptance * static_cast<double>(info.simulated))
      break;
  }
  return result;
}

}  // namespace chiptrail::sim
