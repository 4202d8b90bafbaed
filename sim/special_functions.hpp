#pragma once

namespace chiptrail::sim {

// Standard normal quantile Φ⁻¹(p) for p in (0, 1), Wichura's AS 241 (PPND16), relative error
// about 1e-16. Returns ±infinity at p = 0 or 1 and NaN outside [0, 1].
double normal_quantile(double p);

// Standard normal CDF Φ(x).
double normal_cdf(double x);

// Regularized incomplete beta I_x(a, b), by the continued fraction of Numerical Recipes §6.4.
double incomplete_beta(double x, double a, double b);

// Student's t CDF and quantile with df > 0 degrees of freedom.
double student_t_cdf(double t, double df);
double student_t_quantile(double p, double df);

}  // namespace chiptrail::sim
