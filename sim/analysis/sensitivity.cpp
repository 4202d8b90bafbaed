#include "sim/analysis/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/random_stream.hpp"
#include "sim/running_stats.hpp"

namespace chiptrail::sim {
namespace {

// The indices from the base samples listed in `samples` (with repeats, for the bootstrap).
void estimate(const std::vector<double>& y, std::size_t k, const std::vector<std::size_t>& samples,
              std::vector<double>& first, std::vector<double>& total) {
  const std::size_t block = k + 2;
  RunningStats all;
  for (const std::size_t j : samples) {
    all.add(y[j * block]);
    all.add(y[j * block + 1]);
  }
  const double variance = all.variance();
  const double n = static_cast<double>(samples.size());
  first.assign(k, 0.0);
  total.assign(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    double s1 = 0, st = 0;
    for (const std::size_t j : samples) {
      const double a = y[j * block], b = y[j * block + 1], ab = y[j * block + 2 + i];
      s1 += b * (ab - a);
      st += (a - ab) * (a - ab);
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

std::vector<SobolIndex> sobol_indices(const std::vector<double>& y, std::size_t k,
                                      std::size_t bootstrap, std::uint64_t seed, double level) {
  if (k == 0 || y.size() % (k + 2) != 0 || y.size() < 2 * (k + 2)) {
    throw std::invalid_argument("sobol_indices: y is not a Saltelli design of k factors");
  }
  const std::size_t n = y.size() / (k + 2);
  std::vector<std::size_t> samples(n);
  for (std::size_t j = 0; j < n; ++j) samples[j] = j;
  std::vector<double> first, total;
  estimate(y, k, samples, first, total);
  std::vector<std::vector<double>> boot_first(k), boot_total(k);
  RandomStream rs({seed, 0, stream_key("sobol-bootstrap"), 0});
  for (std::size_t b = 0; b < bootstrap; ++b) {
    for (std::size_t j = 0; j < n; ++j) {
      samples[j] =
          std::min(n - 1, static_cast<std::size_t>(rs.uniform01() * static_cast<double>(n)));
    }
    std::vector<double> f, t;
    estimate(y, k, samples, f, t);
    for (std::size_t i = 0; i < k; ++i) {
      boot_first[i].push_back(f[i]);
      boot_total[i].push_back(t[i]);
    }
  }
  std::vector<SobolIndex> out(k);
  for (std::size_t i = 0; i < k; ++i) {
    out[i].first = first[i];
    out[i].total = total[i];
    if (bootstrap > 1) {
      const double lo = (1 - level) / 2, hi = 1 - lo;
      out[i].first_ci = {percentile(boot_first[i], lo), percentile(boot_first[i], hi)};
      out[i].total_ci = {percentile(boot_total[i], lo), percentile(boot_total[i], hi)};
    } else {
      out[i].first_ci = {first[i], first[i]};
      out[i].total_ci = {total[i], total[i]};
    }
  }
  return out;
}

std::vector<MorrisMeasure> morris_measures(const std::vector<double>& y,
                                           const std::vector<std::size_t>& moved,
                                           const std::vector<double>& step, std::size_t k,
                                           std::size_t trajectories) {
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
    out[i].effects = effect[i].count();
  }
  return out;
}

}  // namespace chiptrail::sim
