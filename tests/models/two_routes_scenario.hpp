#pragma once

#include <string>

namespace chiptrail::testing {

// A dealer with two disjoint routes to the end facility, through borders b1 and b2, equal in
// time and cost. Customs at b_i inspects every consignment with probability q_i and finds a
// diverted one with d_i (inspection costs $1). One consignment per lot, `lots` lots a day
// apart. Written route: through b1.
inline std::string two_routes(double q1, double d1, double q2, double d2,
                              const std::string& adversary, int lots = 300) {
  std::string at;
  for (int i = 0; i < lots; ++i) at += (i ? ", " : "") + std::to_string(i);
  const auto customs = [](const std::string& node, double q, double d) {
    return "policies { name: \"customs_" + node + "\" scope { nodes: \"" + node +
           "\" } cost_per_unit_usd: 1\n  customs_inspection { inspection_rate: " +
           std::to_string(q) + " detection_probability: " + std::to_string(d) + " } }\n";
  };
  return "horizon_days: " + std::to_string(lots + 20) + R"(
chips { model: "B200" price_usd: 40000 controlled: true h100_equivalents: 2.5 }
chips { model: "H100" price_usd: 25000 controlled: true }
chips { model: "Ascend" price_usd: 20000 h100_equivalents: 0.5 }
nodes { id: "v" kind: VENDOR }
nodes { id: "dc" kind: DATA_CENTER }
nodes { id: "dealer" kind: DEALER }
nodes { id: "b1" kind: BORDER_CROSSING }
nodes { id: "b2" kind: BORDER_CROSSING }
nodes { id: "end" kind: END_FACILITY }
edges { from: "v" to: "dc" mode: AIR transit_days { fixed: 1 } }
edges { from: "dc" to: "dealer" mode: TRUCK transit_days { fixed: 0.5 } }
edges { from: "dealer" to: "b1" mode: TRUCK transit_days { fixed: 0.5 } }
edges { from: "b1" to: "end" mode: TRUCK transit_days { fixed: 0.5 } }
edges { from: "dealer" to: "b2" mode: TRUCK transit_days { fixed: 0.5 } }
edges { from: "b2" to: "end" mode: TRUCK transit_days { fixed: 0.5 } }
flows { id: "d" kind: DIVERSION chip_model: "B200" packaging: LOOSE
  arrivals { schedule { at_days: [)" +
         at + R"(] } }
  lot_chips { fixed: 64 }
  route: ["v", "dc"]
  tactics { consignment_chips: 64 onward_route: ["dc", "dealer", "b1", "end"] }
}
)" + customs("b1", q1, d1) +
         customs("b2", q2, d2) + adversary;
}

}  // namespace chiptrail::testing
