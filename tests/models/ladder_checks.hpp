#pragma once

#include <doctest/doctest.h>

#include "models/run_metrics.hpp"

namespace chiptrail::testing {

// The outcome ladder's conservation in one replication: diverted = interdicted + delivered +
// still in the chain, per lot, per chip and per H100e, where "still in the chain" is counted by
// the model from its live lots (splitting and reassembly must lose no chip); flagged covers
// interdicted; legitimate chips are installed or still on their way.
inline void check_ladder_conservation(const models::RunMetrics& m) {
  CHECK(m.get("chips_diverted") == m.get("chips_interdicted") +
                                       m.get("chips_delivered_restricted") +
                                       m.get("chips_in_pipeline"));
  CHECK(m.get("chips_interdicted") == m.get("chips_seized") + m.get("chips_disabled"));
  CHECK(m.get("h100e_diverted") ==
        doctest::Approx(m.get("h100e_interdicted") + m.get("h100e_delivered_restricted") +
                        m.get("h100e_in_pipeline")));
  CHECK(m.get("lots_diverted") ==
        m.get("lots_interdicted") + m.get("lots_delivered_restricted") + m.get("lots_in_pipeline"));
  CHECK(m.get("chips_flagged") >= m.get("chips_interdicted"));
  CHECK(m.get("chips_flagged") <= m.get("chips_diverted"));
  CHECK(m.get("lots_flagged") >= m.get("lots_interdicted"));
  CHECK(m.get("lots_flagged") <= m.get("lots_diverted"));
  CHECK(m.get("chips_legitimate") ==
        m.get("chips_delivered_legitimate") + m.get("chips_legitimate_in_pipeline"));
}

}  // namespace chiptrail::testing
