#include "cli/run_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "models/metric_glossary.hpp"
#include "models/output/message_json.hpp"
#include "models/output/plain_reading.hpp"
#include "models/output/summary_message.hpp"
#include "models/output/text_format.hpp"

namespace chiptrail::cli {

std::string runs_csv(const RunReport& r) {
  std::string out = "run_id,point_id,replication,seed";
  if (!r.runs.empty()) {
    for (const std::string& name : r.runs.front().names) out += "," + models::csv_field(name);
  }
  out += "\n";
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    out += std::to_string(i) + ",0," + std::to_string(i) + "," + std::to_string(r.seed);
    for (const double v : r.runs[i].values) out += "," + models::format_number(v);
    out += "\n";
  }
  return out;
}

std::string detections_csv(const models::World& world, const RunReport& r) {
  const models::Network& net = world.network;
  std::string out =
      "replication,time_days,days_since_sale,lot,part,policy,stage,verdict,node,edge,chips,first\n";
  for (std::size_t rep = 0; rep < r.detections.size(); ++rep) {
    for (const models::DetectionRecord& d : r.detections[rep]) {
      const std::string edge = d.edge ? net.node(net.edge_source(*d.edge)).id + "->" +
                                            net.node(net.edge_target(*d.edge)).id
                                      : "";
      out += std::to_string(rep) + "," + models::format_number(d.time.to_days()) + "," +
             models::format_number(d.since_sale.to_days()) + "," + std::to_string(d.lot) + "," +
             std::to_string(d.part) + "," + models::csv_field(world.policies[d.policy].name) + "," +
             models::to_string(d.stage) + "," + models::to_string(d.verdict) + "," +
             (d.node ? models::csv_field(net.node(*d.node).id) : "") + "," +
             models::csv_field(edge) + "," + std::to_string(d.chips) + "," + (d.first ? "1" : "0") +
             "\n";
    }
  }
  return out;
}

std::string summary_csv(const RunReport& r) {
  std::string out = "point_id,metric,n,mean,sd,ci_low,ci_high,ci_level,ci_method\n";
  for (const models::MetricSummary& s : r.summary) {
    out += "0," + models::csv_field(s.metric) + "," + std::to_string(s.n) + "," +
           models::format_number(s.mean) + "," + models::format_number(s.sd) + "," +
           models::format_number(s.ci_low) + "," + models::format_number(s.ci_high) + "," +
           models::format_number(r.ci_level) + "," + s.ci_method + "\n";
  }
  return out;
}

namespace {
// The period k of a report: its first and last day (the last period ends at the horizon, or
// later in a drained run).
std::pair<double, double> period_bounds(const RunReport& r, std::size_t k) {
  const double start = r.period_days * static_cast<double>(k);
  return {start, start + r.period_days};
}
}  // namespace

std::string timeseries_csv(const RunReport& r) {
  std::string out = "replication,period,start_day,end_day";
  for (const std::string& name : models::period_metric_names()) out += "," + name;
  out += "\n";
  for (std::size_t rep = 0; rep < r.runs.size(); ++rep) {
    const auto& periods = r.runs[rep].periods;
    for (std::size_t k = 0; k < periods.size(); ++k) {
      const auto [start, end] = period_bounds(r, k);
      out += std::to_string(rep) + "," + std::to_string(k) + "," + models::format_number(start) +
             "," + models::format_number(end);
      for (const double v : periods[k]) out += "," + models::format_number(v);
      out += "\n";
    }
  }
  return out;
}

std::string timeseries_summary_csv(const RunReport& r) {
  std::string out = "period,start_day,end_day,metric,n,mean,sd,ci_low,ci_high,ci_level,ci_method\n";
  for (std::size_t k = 0; k < r.periods.size(); ++k) {
    const auto [start, end] = period_bounds(r, k);
    for (const models::MetricSummary& s : r.periods[k]) {
      out += std::to_string(k) + "," + models::format_number(start) + "," +
             models::format_number(end) + "," + models::csv_field(s.metric) + "," +
             std::to_string(s.n) + "," + models::format_number(s.mean) + "," +
             models::format_number(s.sd) + "," + models::format_number(s.ci_low) + "," +
             models::format_number(s.ci_high) + "," + models::format_number(r.ci_level) + "," +
             s.ci_method + "\n";
    }
  }
  return out;
}

std::string where_found_json(const models::World& world, const RunReport& r) {
  const models::Network& net = world.network;
  v1::WhereFound where;
  where.set_scenario(r.scenario_name);
  where.set_replications(r.runs.size());
  for (models::NodeIndex n = 0; n < net.node_count(); ++n)
    where.add_nodes()->set_node(net.node(n).id);
  for (models::EdgeIndex e = 0; e < net.edge_count(); ++e) {
    v1::WhereFound::EdgeCount& edge = *where.add_edges();
    edge.set_from(net.node(net.edge_source(e)).id);
    edge.set_to(net.node(net.edge_target(e)).id);
    edge.set_mode(models::to_string(net.edge(e).mode));
  }
  for (const std::vector<models::DetectionRecord>& replication : r.detections) {
    for (const models::DetectionRecord& d : replication) {
      if (d.node) {
        v1::WhereFound::NodeCount& node = *where.mutable_nodes(static_cast<int>(*d.node));
        node.set_detections(node.detections() + 1);
        if (d.first) node.set_lots_first_caught(node.lots_first_caught() + 1);
      }
      if (d.edge) {
        v1::WhereFound::EdgeCount& edge = *where.mutable_edges(static_cast<int>(*d.edge));
        edge.set_detections(edge.detections() + 1);
      }
    }
  }
  return models::message_json(where);
}

std::string summary_json(const RunReport& r) {
  v1::Summary summary;
  summary.set_scenario(r.scenario_name);
  summary.set_seed(r.seed);
  summary.set_replications(static_cast<std::uint32_t>(r.runs.size()));
  summary.set_ci_level(r.ci_level);
  for (const models::MetricSummary& s : r.summary) {
    models::to_message(s, r.ci_level, *summary.add_metrics());
  }
  return models::message_json(summary);
}

std::string fixed(double x) {
  if (!std::isfinite(x)) return models::format_number(x);
  char buf[64];
  const double a = std::fabs(x);
  if (a != 0 && (a >= 1e7 || a < 1e-3))
    std::snprintf(buf, sizeof buf, "%.4g", x);
  else
    std::snprintf(buf, sizeof buf, a >= 1000 ? "%.1f" : "%.4f", x);
  return buf;
}

std::string reading_text(const RunReport& r) {
  const models::ReadingContext context{r.runs.size(), r.horizon_days, r.warmup_days,
                                       r.ci_level,    r.estimand,     r.scenario_warmup_days};
  return models::wrap_text(models::plain_reading(r.summary, context), 96) + "\n";
}

std::string summary_table(const RunReport& r) {
  std::size_t width = 6;
  for (const models::MetricSummary& s : r.summary) width = std::max(width, s.metric.size());
  const int w = static_cast<int>(width);
  std::string out;
  char line[512];
  const auto header = [&] {
    std::snprintf(line, sizeof line, "%-*s  %12s  %-27s  %8s  %s\n", w, "metric", "mean",
                  (models::format_number(r.ci_level * 100) + "% CI").c_str(), "n", "method");
    out += line;
  };
  const auto row = [&](const models::MetricSummary& s) {
    const std::string ci = "[" + fixed(s.ci_low) + ", " + fixed(s.ci_high) + "]";
    std::snprintf(line, sizeof line, "%-*s  %12s  %-27s  %8llu  %s\n", w, s.metric.c_str(),
                  fixed(s.mean).c_str(), ci.c_str(), static_cast<unsigned long long>(s.n),
                  s.ci_method.c_str());
    out += line;
  };
  // The headline rows, then what they say in words, then every metric.
  header();
  for (const std::string& name : models::headline_metrics()) {
    for (const models::MetricSummary& s : r.summary) {
      if (s.metric == name) row(s);
    }
  }
  out += "\n" + reading_text(r) + "\n";
  header();
  for (const models::MetricSummary& s : r.summary) row(s);
  return out;
}

}  // namespace chiptrail::cli
