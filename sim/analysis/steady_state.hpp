#pragma once

#include <cstddef>
#include <vector>

namespace chiptrail::sim {

// Where a transient ends, chosen from the data: MSER (White 1997; MSER-5 with batches of 5,
// White, Cobb & Spratt 2000). The series (e.g. a per-period output averaged over
// replications) is cut into batch means z_1..z_m; deleting the first d of them leaves
// MSER(d) = sum_{j > d} (z_j - mean_d)^2 / (m - d)^2, the squared half-width of a confidence
// interval on what is left, and the truncation is the d that minimises it over d <= m / 2. A
// minimum at the end of that range means the series never settles within it: the truncation
// is then not to be trusted (`settled` false).
struct Truncation {
  std::size_t deleted = 0;  // observations (not batches) to delete from the start
  bool settled = true;      // false when the minimum sits at the end of the search
};
Truncation mser_truncation(const std::vector<double>& series, std::size_t batch = 5);

// Whether k >= 2 means are equal, from n independent replications of a k-vector (per
// replication, an effect in each of k periods, say): Hotelling's T^2 on the k - 1 differences
// between consecutive components, whose covariance is estimated from the replications, so
// correlation between periods of one replication is allowed for. Under equal means
// F = (n - q) / (q (n - 1)) T^2 follows F(q, n - q), q = k - 1. Needs n > q; `valid` is false
// otherwise (or when the differences' covariance is singular, e.g. constant).
struct EqualMeansTest {
  bool valid = false;
  double t_squared = 0;
  double f = 0;
  double df1 = 0, df2 = 0;
  double p_value = 1;
};
EqualMeansTest equal_means_test(const std::vector<std::vector<double>>& replications);

}  // namespace chiptrail::sim
