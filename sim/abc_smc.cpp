#include "sim/abc_smc.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "sim/distributions.hpp"

namespace chiptrail::sim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr std::uint64_t kStream = stream_key("abc-smc");

using Vector = std::vector<double>;
using Matrix = std::vector<Vector>;

RandomStream stream(const AbcOptions& o, std::uint64_t round, std::uint64_t proposal) {
  return RandomStream({o.seed, round, kStream, proposal});
}

double median(Vector xs) {
  if (xs.empty()) return 0;
  const auto mid = xs.begin() + static_cast<std::ptrdiff_t>(xs.size() / 2);
  std::nth_element(xs.begin(), mid, xs.end());
  if (xs.size() % 2 == 1) return *mid;
  return (*mid + *std::max_element(xs.begin(), mid)) / 2;
}

// The spread of one statistic over the prior draws: 1.4826 MAD (the standard deviation for a
// normal), else the standard deviation, else 1 (a statistic that never moves).
double scale_of(const Vector& xs) {
  Vector finite;
  for (const double x : xs)
    if (std::isfinite(x)) finite.push_back(x);
  if (finite.size() < 2) return 1;
  const double m = median(finite);
  Vector deviations;
  for (const double x : finite) deviations.push_back(std::fabs(x - m));
  const double mad = 1.4826 * median(deviations);
  if (mad > 0) return mad;
  const double mean =
      std::accumulate(finite.begin(), finite.end(), 0.0) / static_cast<double>(finite.size());
  double ss = 0;
  for (const double x : finite) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / static_cast<double>(finite.size() - 1));
  return sd > 0 ? sd : 1;
}

double distance(const Vector& simulated, const Vector& observed, const Vector& scales) {
  double sum = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const double z = (simulated.at(i) - observed[i]) / scales[i];
    if (!std::isfinite(z)) return kInfinity;
    sum += z * z;
  }
  return std::sqrt(sum);
}

double prior_density(const std::vector<AbcPrior>& priors, const Vector& theta) {
  double p = 1;
  for (std::size_t i = 0; i < priors.size() && p > 0; ++i) p *= priors[i].density(theta[i]);
  return std::isfinite(p) ? p : 0;
}

// Lower Cholesky factor of a symmetric positive semi-definite matrix; a direction without
// spread (every particle equal in it) gets a tiny one, so the kernel can still move there.
Matrix cholesky(Matrix a) {
  const std::size_t n = a.size();
  for (std::size_t i = 0; i < n; ++i) a[i][i] = std::max(a[i][i], 1e-12 * (1 + std::fabs(a[i][i])));
  Matrix l(n, Vector(n, 0.0));
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j][j];
    for (std::size_t k = 0; k < j; ++k) d -= l[j][k] * l[j][k];
    l[j][j] = std::sqrt(std::max(d, 1e-300));
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a[i][j];
      for (std::size_t k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

// exp(-|L^-1 (x - mu)|^2 / 2): the Gaussian kernel without its constant (equal for all pairs).
double kernel(const Matrix& l, const Vector& x, const Vector& mu) {
  const std::size_t n = x.size();
  Vector y(n);
  double q = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double s = x[i] - mu[i];
    for (std::size_t k = 0; k < i; ++k) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
    q += y[i] * y[i];
  }
  return std::exp(-0.5 * q);
}

// Twice the weighted covariance of the population (Beaumont et al. 2009).
Matrix kernel_covariance(const AbcPopulation& p) {
  const std::size_t d = p.parameters.front().size();
  Vector mean(d, 0.0);
  for (std::size_t i = 0; i < p.parameters.size(); ++i)
    for (std::size_t a = 0; a < d; ++a) mean[a] += p.weights[i] * p.parameters[i][a];
  Matrix cov(d, Vector(d, 0.0));
  for (std::size_t i = 0; i < p.parameters.size(); ++i)
    for (std::size_t a = 0; a < d; ++a)
      for (std::size_t b = 0; b < d; ++b)
        cov[a][b] +=
            2 * p.weights[i] * (p.parameters[i][a] - mean[a]) * (p.parameters[i][b] - mean[b]);
  return cov;
}

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
    pop.distances.push_back(distance(stats, observed, result.scales));
  pop.weights.assign(n, 1.0 / static_cast<double>(n));
  result.rounds.push_back({kInfinity, n, n, n, static_cast<double>(n)});

  const auto budget =
      static_cast<std::uint64_t>(std::ceil(static_cast<double>(n) / o.min_acceptance));
  for (std::size_t round = 1; round < o.max_rounds; ++round) {
    const double tolerance = weighted_quantile(pop.distances, Vector(n, 1.0), o.quantile);
    if (!std::isfinite(tolerance)) break;  // most prior draws never produced the statistics
    // A tolerance that no longer shrinks (discrete statistics at their resolution) brings the
    // population no closer to the posterior, only more weight variance: stop.
    if (tolerance >= result.rounds.back().tolerance) break;
    const Matrix l = cholesky(kernel_covariance(pop));
    const DiscreteChoice choose(pop.weights);
    AbcPopulation next;
    Vector densities;
    AbcRound info;
    info.tolerance = tolerance;
    while (next.parameters.size() < n && info.proposed < budget) {
      const std::uint64_t batch = std::min<std::uint64_t>(n, budget - info.proposed);
      Matrix thetas;
      Vector batch_densities;
      for (std::uint64_t k = 0; k < batch; ++k) {
        RandomStream rs = stream(o, round, info.proposed + k);
        const Vector& from = pop.parameters[choose(rs)];
        Vector z(d), theta(d);
        for (std::size_t a = 0; a < d; ++a) z[a] = normal(rs, 0, 1);
        for (std::size_t a = 0; a < d; ++a) {
          theta[a] = from[a];
          for (std::size_t b = 0; b <= a; ++b) theta[a] += l[a][b] * z[b];
        }
        const double p = prior_density(priors, theta);
        if (p > 0) {  // outside the prior's support: rejected without a simulation
          thetas.push_back(std::move(theta));
          batch_densities.push_back(p);
        }
      }
      const Matrix stats = run_batch(thetas);
      info.proposed += batch;
      info.simulated += thetas.size();
      for (std::size_t k = 0; k < thetas.size() && next.parameters.size() < n; ++k) {
        const double dist = distance(stats[k], observed, result.scales);
        if (dist > tolerance) continue;
        next.parameters.push_back(thetas[k]);
        next.statistics.push_back(stats[k]);
        next.distances.push_back(dist);
        densities.push_back(batch_densities[k]);
      }
    }
    if (next.parameters.size() < n) break;  // this tolerance is out of reach: keep the last
    info.accepted = n;
    for (std::size_t i = 0; i < n; ++i) {
      double mixture = 0;
      for (std::size_t j = 0; j < n; ++j)
        mixture += pop.weights[j] * kernel(l, next.parameters[i], pop.parameters[j]);
      next.weights.push_back(mixture > 0 ? densities[i] / mixture : 0);
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
    if (static_cast<double>(info.accepted) < o.min_acceptance * static_cast<double>(info.proposed))
      break;
  }
  return result;
}

}  // namespace chiptrail::sim
