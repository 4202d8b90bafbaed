#include "sim/analysis/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/analysis/intervals.hpp"
#include "sim/random_stream.hpp"
#include "sim/running_stats.hpp"

namespace chiptrail::sim {
namespace {

// Per base sample, the point means and the noise terms the estimators subtract.
struct BaseSample {
  double a = 0, b = 0;
  std::vector<double> ab;            // AB_i's mean
  std::vector<double> jansen_noise;  // Var(noise of mean(A) - mean(AB_i))
  std::vector<double> first_noise;   // Cov(noise of mean(B), noise of mean(AB_i) - mean(A))
};

double mean_of(const std::vector<double>& v) {
  RunningStats s;
  for (const double x : v) s.add(x);
  return s.mean();
}

// Sample covariance of x and y over replications, divided by their number: the covariance of
// the noise of their means.
double mean_covariance(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t r = x.size();
  if (r < 2) return 0.0;
  const double mx = mean_of(x), my = mean_of(y);
  double sum = 0;
  for (std::size_t i = 0; i < r; ++i) sum += (x[i] - mx) * (y[i] - my);
  return sum / static_cast<double>(r - 1) / static_cast<double>(r);
}

// The base samples of a Saltelli design's replications.
std::vector<BaseSample> base_samples(const std::vector<std::vector<double>>& y, std::size_t k) {
  const std::size_t block = k + 2, n = y.size() / block, r = y.front().size();
  std::vector<BaseSample> out(n);
  std::vector<double> difference(r);
  for (std::size_t j = 0; j < n; ++j) {
    const std::vector<double>& a = y[j * block];
    const std::vector<double>& b = y[j * block + 1];
    BaseSample& s = out[j];
    s.a = mean_of(a);
    s.b = mean_of(b);
    for (std::size_t i = 0; i < k; ++i) {
      const std::vector<double>& ab = y[j * block + 2 + i];
      for (std::size_t q = 0; q < r; ++q) difference[q] = a[q] - ab[q];
      s.ab.push_back(mean_of(ab));
      s.jansen_noise.push_back(mean_covariance(difference, difference));
      // The first-order estimator's noise term is cov(B, AB - A), the negated covariance with
      // the difference (negation is exact, so the bits are the same).
      s.first_noise.push_back(-mean_covariance(b, difference));
    }
  }
  return out;
}

// The noise in the sample variance of the A and B means: per replication, the spread across
// points of each value's deviation from its point's mean, scaled to the mean of R (its
// expectation is the noise's spread across points times (R - 1) / R^2). Zero with one
// replication.
double variance_noise(const std::vector<std::vector<double>>& y, std::size_t k) {
  const std::size_t block = k + 2, n = y.size() / block, r = y.front().size();
  if (r < 2) return 0.0;
  std::vector<double> point_mean(2 * n);
  for (std::size_t j = 0; j < n; ++j) {
    point_mean[2 * j] = mean_of(y[j * block]);
    point_mean[2 * j + 1] = mean_of(y[j * block + 1]);
  }
  RunningStats spread;  // over replications
  for (std::size_t q = 0; q < r; ++q) {
    RunningStats across;
    for (std::size_t j = 0; j < n; ++j) {
      across.add(y[j * block][q] - point_mean[2 * j]);
      across.add(y[j * block + 1][q] - point_mean[2 * j + 1]);
    }
    spread.add(across.variance());
  }
  const double rd = static_cast<double>(r);
  return spread.mean() * rd / (rd - 1) / rd;
}

// The indices from the base samples listed in `samples` (with repeats, for the bootstrap).
void estimate(const std::vector<BaseSample>& base, std::size_t k, double noise,
              const std::vector<std::size_t>& samples, std::vector<double>& first,
              std::vector<double>& total) {
  RunningStats all;
  for (const std::size_t j : samples) {
    all.add(base[j].a);
    all.add(base[j].b);
  }
  const double variance = all.variance() - noise;
  const double centre = all.mean();
  const double n = static_cast<double>(samples.size());
  first.assign(k, 0.0);
  total.assign(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    double s1 = 0, st = 0;
    for (const std::size_t j : samples) {
      const BaseSample& s = base[j];
      s1 += (s.b - centre) * (s.ab[i] - s.a) - s.first_noise[i];
      st += (s.a - s.ab[i]) * (s.a - s.ab[i]) - s.jansen_noise[i];
    }
    first[i] = variance > 0 ? s1 / n / variance : 0.0;
    total[i] = variance > 0 ? st / (2 * n) / variance : 0.0;
  }
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

SobolResult sobol_indices(const std::vector<std::vector<double>>& replications, std::size_t k,
                          std::size_t bootstrap, std::uint64_t seed, double level) {
  const std::size_t size = replications.size();
  if (k == 0 || size % (k + 2) != 0 || size < 2 * (k + 2)) {
    throw std::invalid_argument("sobol_indices: y is not a Saltelli design of k factors");
  }
  for (const std::vector<double>& point : replications) {
    if (point.empty() || point.size() != replications.front().size()) {
      throw std::invalid_argument("sobol_indices: points ran different numbers of replications");
    }
  }
  const std::vector<BaseSample> base = base_samples(replications, k);
  const double noise = variance_noise(replications, k);
  const std::size_t n = base.size();
  std::vector<std::size_t> samples(n);
  for (std::size_t j = 0; j < n; ++j) samples[j] = j;
  std::vector<double> first, total;
  estimate(base, k, noise, samples, first, total);
  SobolResult out;
  RunningStats means;
  for (const BaseSample& s : base) {
    means.add(s.a);
    means.add(s.b);
  }
  out.noise_share = means.variance() > 0 ? noise / means.variance() : 0.0;
  std::vector<std::vector<double>> boot_first(k), boot_total(k);
  RandomStream rs({seed, 0, stream_key("sobol-bootstrap"), 0});
  for (std::size_t b = 0; b < bootstrap; ++b) {
    for (std::size_t j = 0; j < n; ++j) {
      samples[j] =
          std::min(n - 1, static_cast<std::size_t>(rs.uniform01() * static_cast<double>(n)));
    }
    std::vector<double> f, t;
    estimate(base, k, noise, samples, f, t);
    for (std::size_t i = 0; i < k; ++i) {
      boot_first[i].push_back(f[i]);
      boot_total[i].push_back(t[i]);
    }
  }
  out.indices.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    SobolIndex& index = out.indices[i];
    index.first = first[i];
    index.total = total[i];
    if (bootstrap > 1) {
      const double lo = (1 - level) / 2, hi = 1 - lo;
      index.first_ci = {percentile(boot_first[i], lo), percentile(boot_first[i], hi)};
      index.total_ci = {percentile(boot_total[i], lo), percentile(boot_total[i], hi)};
    } else {
      index.first_ci = {first[i], first[i]};
      index.total_ci = {total[i], total[i]};
    }
  }
  return out;
}

std::vector<SobolIndex> sobol_indices(const std::vector<double>& y, std::size_t k,
                                      std::size_t bootstrap, std::uint64_t seed, double level) {
  std::vector<std::vector<double>> one(y.size());
  for (std::size_t p = 0; p < y.size(); ++p) one[p] = {y[p]};
  return sobol_indices(one, k, bootstrap, seed, level).indices;
}

std::vector<MorrisMeasure> morris_measures(const std::vector<double>& y,
                                           const std::vector<std::size_t>& moved,
                                           const std::vector<double>& step, std::size_t k,
                                           std::size_t trajectories, double level) {
  if (y.size() != trajectories * (k + 1) || moved.size() != y.size() || step.size() != y.size()) {
    throw std::invalid_argument("morris_measures: inputs are not a Morris design of k factors");
  }
  std::vector<RunningStats> effect(k), absolute(k);
  for (std::size_t t = 0; t < trajectories; ++t) {
    for (std::size_t s = 1; s <= k; ++s) {
      const std::size_t p = t * (k + 1) + s;
      if (moved[p] >= k || step[p] == 0) throw std::invalid_argument("morris_measures: bad step");
      const double ee = (y[p] - y[p - 1]) / step[p];
      effect[moved[p]].add(ee);
      absolute[moved[p]].add(std::fabs(ee));
    }
  }
  std::vector<MorrisMeasure> out(k);
  for (std::size_t i = 0; i < k; ++i) {
    out[i].mu = effect[i].mean();
    out[i].mu_star = absolute[i].mean();
    out[i].sigma = effect[i].count() > 1 ? effect[i].sd() : 0.0;
    out[i].mu_star_ci = absolute[i].count() > 1 && absolute[i].sd() > 0
                            ? student_t_interval(absolute[i], level)
                            : Interval{out[i].mu_star, out[i].mu_star};
    out[i].effects = effect[i].count();
  }
  return out;
}

}  // namespace chiptrail::sim
