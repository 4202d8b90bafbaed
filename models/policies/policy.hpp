#pragma once

#include <cstdint>
#include <string>

#include "models/lot.hpp"
#include "models/network.hpp"
#include "sim/random_stream.hpp"
#include "sim/time.hpp"

namespace chiptrail::models {

// Where in a lot's life a policy acts.
enum class Stage { kSale, kShipment, kBorder, kInstallation, kAudit, kOperation };
const char* to_string(Stage s);

enum class Verdict {
  kPass,     // nothing found
  kFlag,     // found: recorded as a detection, the lot goes on (e.g. a tip under investigation)
  kSeize,    // found and stopped
  kDisable,  // the chips are remotely disabled where they are
};

struct Decision {
  Verdict verdict = Verdict::kPass;
  double effort_units = 0;  // units of effort spent (inspections, visits); costed by the scenario
};

// What a policy may look at when it acts: read-only views and its own random stream, addressed
// by (policy, stage, node, lot), so its draws never shift anyone else's.
struct PolicyContext {
  const Lot& lot;
  const NodeInfo* node;  // null where the stage has no node
  const EdgeInfo* edge;  // the edge just travelled, for shipments and border crossings
  sim::Time now;
  sim::RandomStream& rng;
};

// An enforcement measure. Each hook returns a Decision; the defaults do nothing, so a policy
// overrides only the stages where it acts. Policies are immutable and shared by all
// replications and threads: per-run state belongs in the Recorder, not here.
class Policy {
 public:
  virtual ~Policy() = default;
  virtual Decision on_sale(const PolicyContext&) const { return {}; }
  virtual Decision on_shipment(const PolicyContext&) const { return {}; }
  virtual Decision on_border(const PolicyContext&) const { return {}; }
  virtual Decision on_installation(const PolicyContext&) const { return {}; }
  virtual Decision on_audit(const PolicyContext&) const { return {}; }
  virtual Decision on_operation(const PolicyContext&) const { return {}; }
};

}  // namespace chiptrail::models
