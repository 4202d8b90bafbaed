#include "models/detection_log.hpp"

namespace chiptrail::models {

void DetectionLog::detected(const Lot& lot, const DetectionEvent& d) {
  const std::uint64_t sold = lot.id;
  DetectionRecord r;
  r.time = d.time;
  r.since_sale = d.time - created_.at(sold);
  r.lot = sold;
  r.part = lot.part;
  r.policy = d.policy;
  r.stage = d.stage;
  r.verdict = d.verdict;
  if (d.has_node) r.node = d.node;
  r.edge = d.edge;
  r.chips = lot.chips;
  r.first = found_.insert(sold).second;
  records_.push_back(r);
}

}  // namespace chiptrail::models
