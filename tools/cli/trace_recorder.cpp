#include "cli/trace_recorder.hpp"

#include "models/output/text_format.hpp"

namespace chiptrail::cli {

void TraceRecorder::line(sim::Time t, const char* event, const models::Lot& lot,
                         std::optional<models::NodeIndex> node, const std::string& extra) {
  if (truncated_) return;
  if (lines_ == limit_) {
    truncated_ = true;
    text_ += "{\"event\": \"truncated\", \"limit\": " + std::to_string(limit_) + "}\n";
    return;
  }
  ++lines_;
  text_ += "{\"t_days\": " + models::json_number(t.to_days()) + ", \"event\": \"" + event +
           "\", \"lot\": " + std::to_string(lot.id) + ", \"part\": " + std::to_string(lot.part) +
           ", \"chips\": " + std::to_string(lot.chips) +
           ", \"chip_model\": " + models::json_string(world_.chips[lot.chip_model].model) +
           ", \"flow\": " + models::json_string(world_.flows[lot.flow].id) +
           ", \"diverted\": " + (lot.diverted ? "true" : "false");
  if (node) text_ += ", \"node\": " + models::json_string(world_.network.node(*node).id);
  text_ += extra + "}\n";
}

std::string TraceRecorder::finding(const models::DetectionEvent& d) const {
  std::string out = ", \"policy\": " + models::json_string(world_.policies[d.policy].name) +
                    ", \"stage\": \"" + models::to_string(d.stage) + "\", \"verdict\": \"" +
                    models::to_string(d.verdict) + "\"";
  if (d.edge) {
    const models::Network& net = world_.network;
    out += ", \"edge\": " + models::json_string(net.node(net.edge_source(*d.edge)).id + "->" +
                                                net.node(net.edge_target(*d.edge)).id);
  }
  return out;
}

void TraceRecorder::lot_created(const models::Lot& lot, sim::Time t) {
  line(t, "sale", lot, world_.flows[lot.flow].source);
}

void TraceRecorder::detected(const models::Lot& lot, const models::DetectionEvent& d) {
  line(d.time, "detected", lot, d.has_node ? std::optional(d.node) : std::nullopt, finding(d));
}

void TraceRecorder::false_positive(const models::Lot& lot, const models::DetectionEvent& d) {
  line(d.time, "false_positive", lot, d.has_node ? std::optional(d.node) : std::nullopt,
       finding(d));
}

void TraceRecorder::delivered(const models::Lot& lot, sim::Time t) {
  const models::Flow& flow = world_.flows[lot.flow];
  line(t, "delivered", lot, lot.diverted ? flow.tactics.end_facility : flow.destination);
}

void TraceRecorder::disabled_after_delivery(const models::Lot& delivered,
                                            const models::DetectionEvent& d) {
  line(d.time, "disabled_after_delivery", delivered,
       world_.flows[delivered.flow].tactics.end_facility, finding(d));
}

void TraceRecorder::substituted(const models::Lot& demanded, double h100e_bought, sim::Time t) {
  line(t, "substituted", demanded, std::nullopt,
       ", \"h100e_bought\": " + models::json_number(h100e_bought));
}

// A lease is decided at its start: one line with what will happen to it.
void TraceRecorder::leased(const models::Lot& lease, const models::LeaseOutcome& o) {
  const auto policy = [this](std::size_t p) {
    return models::json_string(world_.policies[p].name);
  };
  std::string extra = ", \"lease_days\": " + models::json_number(o.length.to_days());
  if (o.refused_by) extra += ", \"refused_by\": " + policy(*o.refused_by);
  if (o.cut_by) {
    extra += ", \"cut_by\": " + policy(*o.cut_by) +
             ", \"cut_after_days\": " + models::json_number(o.cut_after.to_days());
  }
  if (!o.reported_by.empty()) {
    extra += ", \"reported_by\": [";
    for (std::size_t i = 0; i < o.reported_by.size(); ++i) {
      extra += (i > 0 ? ", " : "") + policy(o.reported_by[i]);
    }
    extra += "]";
  }
  line(o.start, "lease", lease, world_.flows[lease.flow].destination, extra);
}

void TraceRecorder::arrived(const models::Lot& lot, models::NodeIndex node, sim::Time t) {
  line(t, "arrived", lot, node);
}

void TraceRecorder::removed(const models::Lot& lot, models::NodeIndex site, sim::Time t) {
  line(t, "removed", lot, site);
}

void TraceRecorder::dismantled(const models::Lot& lot, std::size_t parts, models::NodeIndex node,
                               sim::Time t) {
  line(t, "dismantled", lot, node, ", \"parts\": " + std::to_string(parts));
}

}  // namespace chiptrail::cli
