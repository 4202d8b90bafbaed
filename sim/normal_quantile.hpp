#pragma once

namespace chiptrail::sim {

// Standard normal quantile Φ⁻¹(p) for p in (0, 1), Wichura's AS 241 (PPND16), relative error
// about 1e-16. Returns ±infinity at p = 0 or 1 and NaN outside [0, 1]. Written here rather
// than taken from Boost.Math because the kernel's normal draws are its inverse CDF and must be
// the same bits on every platform and Boost version (DESIGN.md, "Randomness").
double normal_quantile(double p);

}  // namespace chiptrail::sim
