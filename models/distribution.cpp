#include "models/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

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

}  // namespace chiptrail::models
