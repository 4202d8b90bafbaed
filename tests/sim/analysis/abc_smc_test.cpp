// ABC-SMC against posteriors known in closed form.
#include "sim/analysis/abc_smc.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/sampling.hpp"

using namespace chiptrail::sim;

namespace {

constexpr std::uint64_t kSimulationStream = stream_key("test-simulation");

// x ~ Normal(theta, 1): one draw per simulation, addressed by its id.
AbcSimulator normal_model() {
  return [](const std::vector<std::vector<double>>& thetas, std::uint64_t first_id) {
    std::vector<std::vector<double>> out;
    for (std::size_t k = 0; k < thetas.size(); ++k) {
      RandomStream rs({99, first_id + k, kSimulationStream, 0});
      out.push_back({normal(rs, thetas[k][0], 1.0)});
    }
    return out;
  };
}

AbcPrior flat(double lo, double hi) {
  return {[lo, hi](RandomStream& rs) { return uniform(rs, lo, hi); },
          [lo, hi](double x) { return x >= lo && x <= hi ? 1.0 : 0.0; }};
}

struct Moments {
  double mean, sd;
};

Moments moments(const AbcPopulation& p) {
  double m = 0, s = 0;
  for (std::size_t i = 0; i < p.weights.size(); ++i) m += p.weights[i] * p.parameters[i][0];
  for (std::size_t i = 0; i < p.weights.size(); ++i)
    s += p.weights[i] * (p.parameters[i][0] - m) * (p.parameters[i][0] - m);
  return {m, std::sqrt(s)};
}

}  // namespace

TEST_CASE("abc_smc: a normal mean under a flat prior has posterior Normal(x, 1)") {
  AbcOptions o;
  o.particles = 1000;
  o.max_rounds = 10;
  o.seed = 5;
  const AbcResult r = abc_smc({flat(-20, 20)}, {1.3}, normal_model(), o);
  const Moments m = moments(r.population);
  const double ess = r.rounds.back().effective_sample_size;
  const double tolerance = r.rounds.back().tolerance * r.scales[0];
  CAPTURE(m.mean);
  CAPTURE(m.sd);
  CAPTURE(ess);
  CAPTURE(tolerance);
  CHECK(r.rounds.size() >= 5);
  CHECK(tolerance < 0.3);  // the tolerance shrank from the prior's spread (~10) to a fraction
  // ABC at tolerance e targets N(x, 1) convolved with U(-e, e): variance 1 + e^2 / 3. The mean's
  // Monte Carlo error is sd / sqrt(ESS); 4 of them is a 99.99% bound.
  const double sd = std::sqrt(1 + tolerance * tolerance / 3);
  CHECK(std::fabs(m.mean - 1.3) < 4 * sd / std::sqrt(ess));
  // The sd's relative error is about 1 / sqrt(2 ESS): 4 of them.
  CHECK(std::fabs(m.sd / sd - 1) < 4 / std::sqrt(2 * ess));
  // Weights sum to 1; every accepted distance is within the last tolerance.
  double total = 0;
  for (const double w : r.population.weights) total += w;
  CHECK(total == doctest::Approx(1.0));
  for (const double d : r.population.distances) CHECK(d <= r.rounds.back().tolerance);
}

TEST_CASE("abc_smc: the result depends on the seed only, not on how batches are run") {
  AbcOptions o;
  o.particles = 200;
  o.max_rounds = 4;
  const AbcSimulator forward = normal_model();
  // The same simulations computed back to front, as a pool of workers might.
  const AbcSimulator backward = [](const std::vector<std::vector<double>>& thetas,
                                   std::uint64_t first_id) {
    std::vector<std::vector<double>> out(thetas.size());
    for (std::size_t k = thetas.size(); k-- > 0;) {
      RandomStream rs({99, first_id + k, kSimulationStream, 0});
      out[k] = {normal(rs, thetas[k][0], 1.0)};
    }
    return out;
  };
  const AbcResult a = abc_smc({flat(-20, 20)}, {0.5}, forward, o);
  const AbcResult b = abc_smc({flat(-20, 20)}, {0.5}, backward, o);
  CHECK(a.population.parameters == b.population.parameters);
  CHECK(a.population.weights == b.population.weights);
  CHECK(a.simulations == b.simulations);
  o.seed = 2;
  const AbcResult c = abc_smc({flat(-20, 20)}, {0.5}, forward, o);
  CHECK(c.population.parameters != a.population.parameters);
}

TEST_CASE("abc_smc: proposals outside the prior are never simulated") {
  AbcOptions o;
  o.particles = 100;
  o.max_rounds = 4;
  const AbcSimulator checked = [](const std::vector<std::vector<double>>& thetas,
                                  std::uint64_t first_id) {
    for (const auto& t : thetas) REQUIRE((t[0] >= 0 && t[0] <= 1));
    std::vector<std::vector<double>> out;
    for (std::size_t k = 0; k < thetas.size(); ++k) {
      RandomStream rs({1, first_id + k, kSimulationStream, 0});
      out.push_back({normal(rs, thetas[k][0], 0.1)});
    }
    return out;
  };
  const AbcResult r = abc_smc({flat(0, 1)}, {0.98}, checked, o);  // posterior piles at the edge
  for (const auto& t : r.population.parameters) CHECK((t[0] >= 0 && t[0] <= 1));
  CHECK(r.rounds.back().simulated <= r.rounds.back().proposed);
}

TEST_CASE("weighted_quantile: inverse of the weighted distribution function") {
  CHECK(weighted_quantile({3, 1, 2}, {1, 1, 1}, 0.5) == 2);
  CHECK(weighted_quantile({3, 1, 2}, {1, 1, 1}, 0.0) == 1);
  CHECK(weighted_quantile({3, 1, 2}, {1, 1, 1}, 1.0) == 3);
  CHECK(weighted_quantile({1, 2, 3}, {0.1, 0.1, 0.8}, 0.25) == 3);
  CHECK(weighted_quantile({1, 2, 3}, {0.3, 0.1, 0.6}, 0.25) == 1);
  CHECK_THROWS_AS(weighted_quantile({}, {}, 0.5), std::invalid_argument);
}

TEST_CASE("abc_smc: simulation-based calibration over datasets drawn from the prior" *
          doctest::test_suite("heavy")) {
  // Talts et al. (2018): draw theta* from the prior, data from the model at theta*, infer; the
  // posterior's distribution function at theta* must then be uniform over the datasets, and
  // the 95% interval must cover theta* in 95% of them; one dataset per setting shows nothing
  // of that. Here 300 datasets of x ~ Normal(theta, 1), theta ~ Uniform(-5, 5), 300 particles.
  // Measured: the ranks pass a chi-square test in 10 bins; where the data are far from the
  // prior's bounds (|x| < 2.5, where the posterior is Normal(x, 1)) the interval covers 91% of
  // 147 datasets, within the binomial tolerance of 95%; near the bounds it covers ~88%
  // (overall 89%; 90% with 1,000 particles), where the exact posterior's quantiles cover
  // 94-95% in the same harness. That shortfall is an open defect of ABC-SMC (near hard prior
  // bounds, or in the interval's tails at this tolerance): the overall check guards against
  // it getting worse, and names it.
  constexpr int kDatasets = 300;
  int covered = 0, interior = 0, interior_covered = 0;
  std::vector<int> bins(10, 0);
  for (int d = 0; d < kDatasets; ++d) {
    RandomStream truth({2026, static_cast<std::uint64_t>(d), stream_key("sbc-truth"), 0});
    const double theta = uniform(truth, -5, 5);
    const double x = normal(truth, theta, 1.0);
    const AbcSimulator model = [d](const std::vector<std::vector<double>>& thetas,
                                   std::uint64_t first_id) {
      std::vector<std::vector<double>> out;
      for (std::size_t k = 0; k < thetas.size(); ++k) {
        RandomStream rs({static_cast<std::uint64_t>(d), first_id + k, kSimulationStream, 0});
        out.push_back({normal(rs, thetas[k][0], 1.0)});
      }
      return out;
    };
    AbcOptions o;
    o.particles = 300;
    o.max_rounds = 8;
    o.seed = static_cast<std::uint64_t>(d) + 1;
    const AbcResult r = abc_smc({flat(-5, 5)}, {x}, model, o);
    std::vector<double> values;
    for (const auto& p : r.population.parameters) values.push_back(p[0]);
    const std::vector<double>& w = r.population.weights;
    const bool hit = weighted_quantile(values, w, 0.025) <= theta &&
                     theta <= weighted_quantile(values, w, 0.975);
    covered += hit ? 1 : 0;
    if (std::abs(x) < 2.5) {
      ++interior;
      interior_covered += hit ? 1 : 0;
    }
    double below = 0;
    for (std::size_t i = 0; i < values.size(); ++i) below += values[i] < theta ? w[i] : 0.0;
    ++bins[std::min<std::size_t>(9, static_cast<std::size_t>(below * 10))];
  }
  const double coverage = covered / static_cast<double>(kDatasets);
  const double interior_coverage = interior_covered / static_cast<double>(interior);
  CAPTURE(coverage);
  CAPTURE(interior);
  CAPTURE(interior_coverage);
  CHECK(interior_coverage > 0.95 - 4 * std::sqrt(0.95 * 0.05 / interior));
  CHECK(coverage > 0.85);  // the open defect near the bounds, measured at 0.893
  double chi2 = 0;
  for (const int b : bins) {
    chi2 += (b - kDatasets / 10.0) * (b - kDatasets / 10.0) / (kDatasets / 10.0);
  }
  CAPTURE(chi2);
  CHECK(chi2 < 27.88);  // chi-square(9) at 0.999
}

TEST_CASE("weighted_quantile_error: the spread of sample quantiles, from the sample alone") {
  // The 97.5% quantile of 400 standard normal draws has standard error
  // sqrt(0.975 * 0.025 / 400) / phi(1.96) = 0.1336; the estimate from one sample (equal
  // weights, ESS 400) must agree with that, and with the spread over 400 samples, within 25%.
  constexpr int kSamples = 400;
  constexpr std::size_t kN = 400;
  double sum = 0, sum_sq = 0, estimated = 0;
  for (int s = 0; s < kSamples; ++s) {
    RandomStream rs({7, static_cast<std::uint64_t>(s), stream_key("quantile-error"), 0});
    std::vector<double> v(kN);
    for (double& x : v) x = normal(rs, 0, 1);
    const std::vector<double> w(kN, 1.0 / kN);
    const double q = weighted_quantile(v, w, 0.975);
    sum += q;
    sum_sq += q * q;
    estimated += weighted_quantile_error(v, w, 0.975, static_cast<double>(kN)) / kSamples;
  }
  const double spread = std::sqrt(sum_sq / kSamples - (sum / kSamples) * (sum / kSamples));
  CAPTURE(spread);
  CAPTURE(estimated);
  CHECK(spread == doctest::Approx(0.1336).epsilon(0.25));
  CHECK(estimated == doctest::Approx(0.1336).epsilon(0.25));
}
