#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace chiptrail::models {

// An absorbing Markov chain: transient states 0..n-1, absorbing states 0..m-1. From transient
// state i the chain moves to transient j with probability Q(i, j) or is absorbed in a with
// R(i, a); each row of [Q R] sums to 1. A transient state holds the chain for a mean time h(i)
// (any distribution: only means enter expected times).
class AbsorbingChain {
 public:
  AbsorbingChain(std::size_t transient, std::size_t absorbing);

  void add_transition(std::size_t from, std::size_t to, double p);    // Q(from, to) += p
  void add_absorption(std::size_t from, std::size_t into, double p);  // R(from, into) += p
  void set_holding_time(std::size_t state, double mean) { holding_[state] = mean; }

  struct Solution {
    // B = (I - Q)^-1 R: absorption probabilities, row-major n x m.
    std::vector<double> absorption;
    // Expected visits to transient states before absorption, summed: t = N 1 (steps).
    std::vector<double> expected_steps;
    // Expected time to absorption: N h.
    std::vector<double> expected_time;
    // E[time to absorption | absorbed in a], per start state, row-major n x m (NaN where the
    // probability is 0): (N diag(h) B)(i, a) / B(i, a), from the time-weighted absorption.
    std::vector<double> conditional_time;
    std::size_t absorbing = 0;
    [[nodiscard]] double probability(std::size_t from, std::size_t into) const {
      return absorption[from * absorbing + into];
    }
    [[nodiscard]] double time_given(std::size_t from, std::size_t into) const {
      return conditional_time[from * absorbing + into];
    }
  };

  // Solves with Eigen's sparse LU. Throws std::invalid_argument when a row does not sum to 1
  // (within 1e-9) or I - Q is singular (some state can never be absorbed).
  [[nodiscard]] Solution solve() const;

  [[nodiscard]] std::size_t transient() const { return n_; }

 private:
  struct Entry {
    std::size_t row, col;
    double value;
  };
  std::size_t n_, m_;
  std::vector<Entry> q_, r_;
  std::vector<double> holding_;
};

}  // namespace chiptrail::models
