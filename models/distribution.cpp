#include "models/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "sim/normal_quantile.hpp"

namespace chiptrail::models {

namespace {
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;
}  // namespace

double Distribution::sample(sim::RandomStream& rs, bool non_negative) const {
  const double x =
      std::visit(Overloaded{
                     [](const Fixed& d) { return d.value; },
                     [&](const Uniform& d) { return sim::uniform(rs, d.min, d.max); },
                     [&](const Exponential& d) { return sim::exponential(rs, d.mean); },
                     [&](const Normal& d) { return sim::normal(rs, d.mean, d.sd); },
                     [&](const LogNormal& d) { return sim::lognormal(rs, d.mu, d.sigma); },
                     [&](const Triangular& d) { return sim::triangular(rs, d.min, d.mode, d.max); },
                     [&](const Empirical& d) { return d.values[d.choice(rs)]; },
                 },
                 kind_);
  return non_negative ? std::max(0.0, x) : x;
}

double Distribution::mean() const {
  return std::visit(Overloaded{
                        [](const Fixed& d) { return d.value; },
                        [](const Uniform& d) { return (d.min + d.max) / 2; },
                        [](const Exponential& d) { return d.mean; },
                        [](const Normal& d) { return d.mean; },
                        [](const LogNormal& d) { return std::exp(d.mu + d.sigma * d.sigma / 2); },
                        [](const Triangular& d) { return (d.min + d.mode + d.max) / 3; },
                        [](const Empirical& d) {
                          double m = 0;
                          for (std::size_t i = 0; i < d.values.size(); ++i) {
                            m += d.values[i] * d.choice.probability(i);
                          }
                          return m;
                        },
                    },
                    kind_);
}

double Distribution::survival(double x) const {
  const auto normal_upper = [](double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); };
  return std::visit(Overloaded{
                        [x](const Fixed& d) { return d.value > x ? 1.0 : 0.0; },
                        [x](const Uniform& d) {
                          if (x < d.min) return 1.0;
                          if (x >= d.max) return 0.0;
                          return (d.max - x) / (d.max - d.min);
                        },
                        [x](const Exponential& d) { return std::exp(-x / d.mean); },
                        [&](const Normal& d) { return normal_upper((x - d.mean) / d.sd); },
                        [&](const LogNormal& d) {
                          return x > 0 ? normal_upper((std::log(x) - d.mu) / d.sigma) : 1.0;
                        },
                        [x](const Triangular& d) {
                          if (x < d.min) return 1.0;
                          if (x >= d.max) return 0.0;
                          const double width = d.max - d.min;
                          if (x <= d.mode && d.mode > d.min)
                            return 1 - (x - d.min) * (x - d.min) / (width * (d.mode - d.min));
                          return (d.max - x) * (d.max - x) / (width * (d.max - d.mode));
                        },
                        [x](const Empirical& d) {
                          double p = 0;
                          for (std::size_t i = 0; i < d.values.size(); ++i) {
                            if (d.values[i] > x) p += d.choice.probability(i);
                          }
                          return p;
                        },
                    },
                    kind_);
}

double Distribution::quantile(double p) const {
  return std::visit(
      Overloaded{
          [](const Fixed& d) { return d.value; },
          [&](const Uniform& d) { return d.min + p * (d.max - d.min); },
          [&](const Exponential& d) { return -d.mean * std::log1p(-p); },
          [&](const Normal& d) { return d.mean + d.sd * sim::normal_quantile(p); },
          [&](const LogNormal& d) { return std::exp(d.mu + d.sigma * sim::normal_quantile(p)); },
          [&](const Triangular& d) {
            const double width = d.max - d.min;
            if (!(width > 0)) return d.min;
            const double at_mode = (d.mode - d.min) / width;
            return p < at_mode ? d.min + std::sqrt(p * width * (d.mode - d.min))
                               : d.max - std::sqrt((1 - p) * width * (d.max - d.mode));
          },
          [&](const Empirical& d) {
            std::vector<std::size_t> order(d.values.size());
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            std::sort(order.begin(), order.end(),
                      [&](std::size_t a, std::size_t b) { return d.values[a] < d.values[b]; });
            double cumulative = 0;
            for (const std::size_t i : order) {
              cumulative += d.choice.probability(i);
              if (cumulative >= p) return d.values[i];
            }
            return d.values[order.back()];
          },
      },
      kind_);
}

Distribution::Support Distribution::support() const {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  return std::visit(Overloaded{
                        [](const Fixed& d) {
                          return Support{d.value, d.value};
                        },
                        [](const Empirical& d) {
                          if (d.values.empty()) return Support{0, 0};
                          const auto [lo, hi] =
                              std::minmax_element(d.values.begin(), d.values.end());
                          return Support{*lo, *hi};
                        },
                        [](const Uniform& d) {
                          return Support{d.min, d.max};
                        },
                        [](const Exponential&) {
                          return Support{0, kInfinity};
                        },
                        [](const Normal&) {
                          return Support{-kInfinity, kInfinity};
                        },
                        [](const LogNormal&) {
                          return Support{0, kInfinity};
                        },
                        [](const Triangular& d) {
                          return Support{d.min, d.max};
                        },
                    },
                    kind_);
}

std::optional<double> Distribution::density(double x) const {
  constexpr double kPi = 3.14159265358979323846;
  return std::visit(Overloaded{
                        [](const Fixed&) -> std::optional<double> { return std::nullopt; },
                        [](const Empirical&) -> std::optional<double> { return std::nullopt; },
                        [x](const Uniform& d) -> std::optional<double> {
                          return x >= d.min && x <= d.max && d.max > d.min ? 1 / (d.max - d.min)
                                                                           : 0.0;
                        },
                        [x](const Exponential& d) -> std::optional<double> {
                          return x >= 0 ? std::exp(-x / d.mean) / d.mean : 0.0;
                        },
                        [x](const Normal& d) -> std::optional<double> {
                          const double z = (x - d.mean) / d.sd;
                          return std::exp(-z * z / 2) / (d.sd * std::sqrt(2 * kPi));
                        },
                        [x](const LogNormal& d) -> std::optional<double> {
                          if (!(x > 0)) return 0.0;
                          const double z = (std::log(x) - d.mu) / d.sigma;
                          return std::exp(-z * z / 2) / (x * d.sigma * std::sqrt(2 * kPi));
                        },
                        [x](const Triangular& d) -> std::optional<double> {
                          if (x < d.min || x > d.max || !(d.max > d.min)) return 0.0;
                          const double h = 2 / (d.max - d.min);
                          if (x < d.mode) return h * (x - d.min) / (d.mode - d.min);
                          if (x > d.mode) return h * (d.max - x) / (d.max - d.mode);
                          return h;
                        },
                    },
                    kind_);
}

}  // namespace chiptrail::models
