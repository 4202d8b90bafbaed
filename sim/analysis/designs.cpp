#include "sim/analysis/designs.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/random_stream.hpp"

namespace chiptrail::sim {
namespace {

// Fisher-Yates with the project's streams (std::shuffle's algorithm is unspecified).
void shuffle(std::vector<std::size_t>& v, RandomStream& rs) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(rs.uniform01() * static_cast<double>(i));
    std::swap(v[i - 1], v[std::min(j, i - 1)]);
  }
}

}  // namespace

std::vector<DesignPoint> full_factorial(const std::vector<std::size_t>& levels) {
  std::size_t total = 1;
  for (const std::size_t l : levels) {
    if (l == 0) throw std::invalid_argument("full_factorial: a factor has no levels");
    total *= l;
  }
  std::vector<DesignPoint> out(total);
  for (std::size_t p = 0; p < total; ++p) {
    out[p].coordinates.resize(levels.size());
    std::size_t rest = p;
    for (std::size_t f = levels.size(); f-- > 0;) {
      out[p].coordinates[f] = static_cast<double>(rest % levels[f]);
      rest /= levels[f];
    }
  }
  return out;
}

std::vector<DesignPoint> simplex_lattice(std::size_t k, std::size_t divisions) {
  if (k == 0 || divisions == 0) {
    throw std::invalid_argument("simplex_lattice: needs a factor and a division");
  }
  std::vector<DesignPoint> out;
  std::vector<std::size_t> parts(k, 0);
  // Enumerate compositions of `divisions` into k parts: fill factors in order, the last one
  // taking what is left.
  const auto fill = [&](auto&& self, std::size_t f, std::size_t left) -> void {
    if (f + 1 == k) {
      parts[f] = left;
      DesignPoint p;
      for (const std::size_t n : parts) {
        p.coordinates.push_back(static_cast<double>(n) / static_cast<double>(divisions));
      }
      out.push_back(std::move(p));
      return;
    }
    for (std::size_t n = 0; n <= left; ++n) {
      parts[f] = n;
      self(self, f + 1, left - n);
    }
  };
  fill(fill, 0, divisions);
  return out;
}

std::vector<DesignPoint> latin_hypercube(std::size_t k, std::size_t n, std::uint64_t seed) {
  std::vector<DesignPoint> out(n, DesignPoint{std::vector<double>(k), ""});
  for (std::size_t f = 0; f < k; ++f) {
    RandomStream rs({seed, 0, stream_key("latin-hypercube"), f});
    std::vector<std::size_t> strata(n);
    std::iota(strata.begin(), strata.end(), 0);
    shuffle(strata, rs);
    for (std::size_t i = 0; i < n; ++i) {
      out[i].coordinates[f] =
          (static_cast<double>(strata[i]) + rs.uniform01()) / static_cast<double>(n);
    }
  }
  return out;
}

std::vector<DesignPoint> saltelli(std::size_t k, std::size_t n, std::uint64_t seed) {
  std::vector<DesignPoint> out;
  out.reserve(n * (k + 2));
  // A and B side by side are one point of a 2k-dimensional Sobol' sequence (Boost.Random),
  // digitally shifted by a random 64-bit mask per dimension drawn from the seed: the shift
  // keeps the sequence's stratification (n = 2^m points put one point in every interval of
  // 1/n of each coordinate) and makes the design a random one, different for each seed.
  boost::random::sobol sequence(2 * k);
  RandomStream rs({seed, 0, stream_key("saltelli"), 0});
  std::vector<std::uint64_t> shift(2 * k);
  for (std::uint64_t& mask : shift) mask = rs.next_u64();
  // Boost's sequence starts at its second point; the first is the origin, without which the
  // first 2^m points are not a net.
  const auto next = [&](std::size_t j, std::size_t dimension) {
    const std::uint64_t bits = (j == 0 ? 0 : sequence()) ^ shift[dimension];
    return (static_cast<double>(bits >> 11U) + 0.5) * 0x1p-53;
  };
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<double> a(k), b(k);
    for (std::size_t i = 0; i < k; ++i) a[i] = next(j, i);
    for (std::size_t i = 0; i < k; ++i) b[i] = next(j, k + i);
    out.push_back({a, "A"});
    out.push_back({b, "B"});
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<double> ab = a;
      ab[i] = b[i];
      out.push_back({ab, "AB" + std::to_string(i + 1)});
    }
  }
  return out;
}

std::size_t default_saltelli_samples(std::size_t k) {
  std::size_t n = 64;
  while (n < 32 * k) n *= 2;
  return n;
}

std::vector<DesignPoint> morris(std::size_t k, std::size_t r, std::size_t levels,
                                std::uint64_t seed) {
  if (levels < 2) throw std::invalid_argument("morris: needs at least 2 levels");
  const double p = static_cast<double>(levels);
  const double delta = p / (2.0 * (p - 1.0));
  std::vector<DesignPoint> out;
  out.reserve(r * (k + 1));
  for (std::size_t t = 0; t < r; ++t) {
    RandomStream rs({seed, t, stream_key("morris"), 0});
    std::vector<double> x(k);
    for (double& xi : x) {
      xi = std::floor(rs.uniform01() * p) / (p - 1.0);  // a random grid level
    }
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    shuffle(order, rs);
    out.push_back({x, "t" + std::to_string(t) + ".s0"});
    for (std::size_t s = 0; s < k; ++s) {
      const std::size_t f = order[s];
      x[f] = x[f] + delta <= 1.0 + 1e-12 ? x[f] + delta : x[f] - delta;
      out.push_back({x, "t" + std::to_string(t) + ".s" + std::to_string(s + 1) + ".f" +
                            std::to_string(f + 1)});
    }
  }
  return out;
}

}  // namespace chiptrail::sim
