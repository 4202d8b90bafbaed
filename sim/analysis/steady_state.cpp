#include "sim/analysis/steady_state.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/fisher_f.hpp>
#include <limits>

namespace chiptrail::sim {

Truncation mser_truncation(const std::vector<double>& series, std::size_t batch) {
  if (batch == 0) batch = 1;
  const std::size_t m = series.size() / batch;
  if (m < 2) return {0, false};
  std::vector<double> z(m, 0.0);
  for (std::size_t j = 0; j < m; ++j) {
    for (std::size_t i = 0; i < batch; ++i) z[j] += series[j * batch + i];
    z[j] /= static_cast<double>(batch);
  }
  // Suffix sums give each candidate's statistic in O(1).
  double sum = 0, sum_sq = 0;
  std::vector<double> statistic(m, 0.0);
  for (std::size_t j = m; j-- > 0;) {
    sum += z[j];
    sum_sq += z[j] * z[j];
    const double left = static_cast<double>(m - j);
    statistic[j] = (sum_sq - sum * sum / left) / (left * left);
  }
  const std::size_t last = m / 2;
  std::size_t best = 0;
  for (std::size_t d = 1; d <= last; ++d) {
    if (statistic[d] < statistic[best]) best = d;
  }
  return {best * batch, best < last};
}

EqualMeansTest equal_means_test(const std::vector<std::vector<double>>& replications) {
  EqualMeansTest out;
  const std::size_t n = replications.size();
  if (n == 0 || replications.front().size() < 2) return out;
  const std::size_t q = replications.front().size() - 1;
  if (n <= q) return out;
  const auto rows = static_cast<Eigen::Index>(n), cols = static_cast<Eigen::Index>(q);
  Eigen::MatrixXd d(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r) {
    const std::vector<double>& x = replications[static_cast<std::size_t>(r)];
    if (x.size() != q + 1) return out;
    for (Eigen::Index c = 0; c < cols; ++c) {
      d(r, c) = x[static_cast<std::size_t>(c) + 1] - x[static_cast<std::size_t>(c)];
    }
  }
  const Eigen::VectorXd mean = d.colwise().mean();
  const Eigen::MatrixXd centred = d.rowwise() - mean.transpose();
  const Eigen::MatrixXd covariance = centred.transpose() * centred / static_cast<double>(n - 1);
  const Eigen::LDLT<Eigen::MatrixXd> solver(covariance);
  // A singular covariance (a constant difference) leaves the statistic undefined.
  if (solver.info() != Eigen::Success || !solver.isPositive() ||
      solver.vectorD().minCoeff() <= 1e-12 * std::max(1.0, solver.vectorD().maxCoeff())) {
    return out;
  }
  const double nd = static_cast<double>(n), qd = static_cast<double>(q);
  out.t_squared = nd * mean.dot(solver.solve(mean));
  out.df1 = qd;
  out.df2 = nd - qd;
  out.f = (nd - qd) / (qd * (nd - 1)) * out.t_squared;
  out.p_value = boost::math::cdf(
      boost::math::complement(boost::math::fisher_f_distribution<double>(out.df1, out.df2), out.f));
  out.valid = true;
  return out;
}

}  // namespace chiptrail::sim
