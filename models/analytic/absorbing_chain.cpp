#include "models/analytic/absorbing_chain.hpp"

#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace chiptrail::models {

AbsorbingChain::AbsorbingChain(std::size_t transient, std::size_t absorbing)
    : n_(transient), m_(absorbing), holding_(transient, 0.0) {}

void AbsorbingChain::add_transition(std::size_t from, std::size_t to, double p) {
  if (from >= n_ || to >= n_) throw std::out_of_range("AbsorbingChain: no such transient state");
  q_.push_back({from, to, p});
}

void AbsorbingChain::add_absorption(std::size_t from, std::size_t into, double p) {
  if (from >= n_ || into >= m_) throw std::out_of_range("AbsorbingChain: no such state");
  r_.push_back({from, into, p});
}

AbsorbingChain::Solution AbsorbingChain::solve() const {
  using Sparse = Eigen::SparseMatrix<double>;
  const auto n = static_cast<Eigen::Index>(n_);
  const auto m = static_cast<Eigen::Index>(m_);
  std::vector<double> row_sum(n_, 0.0);
  std::vector<Eigen::Triplet<double>> a;  // I - Q
  a.reserve(q_.size() + n_);
  for (std::size_t i = 0; i < n_; ++i)
    a.emplace_back(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i), 1.0);
  for (const Entry& e : q_) {
    a.emplace_back(static_cast<Eigen::Index>(e.row), static_cast<Eigen::Index>(e.col), -e.value);
    row_sum[e.row] += e.value;
  }
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(n, m);
  for (const Entry& e : r_) {
    r(static_cast<Eigen::Index>(e.row), static_cast<Eigen::Index>(e.col)) += e.value;
    row_sum[e.row] += e.value;
  }
  for (std::size_t i = 0; i < n_; ++i) {
    if (std::fabs(row_sum[i] - 1.0) > 1e-9) {
      throw std::invalid_argument("AbsorbingChain: transitions from state " + std::to_string(i) +
                                  " sum to " + std::to_string(row_sum[i]) + ", not 1");
    }
  }
  Sparse i_minus_q(n, n);
  i_minus_q.setFromTriplets(a.begin(), a.end());
  i_minus_q.makeCompressed();
  Eigen::SparseLU<Sparse> lu;
  lu.compute(i_minus_q);
  if (lu.info() != Eigen::Success) {
    throw std::invalid_argument(
        "AbsorbingChain: I - Q is singular: some states are never absorbed");
  }
  const Eigen::MatrixXd b = lu.solve(r);                             // N R
  const Eigen::VectorXd steps = lu.solve(Eigen::VectorXd::Ones(n));  // N 1
  Eigen::VectorXd h(n);
  for (std::size_t i = 0; i < n_; ++i) h(static_cast<Eigen::Index>(i)) = holding_[i];
  const Eigen::VectorXd time = lu.solve(h);  // N h
  // Time-weighted absorption: E[T 1{absorbed in a}] = N diag(h) B.
  const Eigen::MatrixXd weighted = lu.solve(h.asDiagonal() * b);

  Solution s;
  s.absorbing = m_;
  s.absorption.resize(n_ * m_);
  s.conditional_time.resize(n_ * m_);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < m; ++j) {
      const auto k = static_cast<std::size_t>(i * m + j);
      s.absorption[k] = b(i, j);
      s.conditional_time[k] =
          b(i, j) > 0 ? weighted(i, j) / b(i, j) : std::numeric_limits<double>::quiet_NaN();
    }
  }
  s.expected_steps.assign(steps.data(), steps.data() + n);
  s.expected_time.assign(time.data(), time.data() + n);
  return s;
}

}  // namespace chiptrail::models
