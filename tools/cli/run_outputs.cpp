#include "cli/run_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

std::string summary_json(const RunReport& r) {
  std::string out = "{\n  \"scenario\": " + models::json_string(r.scenario_name) +
                    ",\n  \"seed\": " + std::to_string(r.seed) +
                    ",\n  \"replications\": " + std::to_string(r.runs.size()) +
                    ",\n  \"ci_level\": " + models::json_number(r.ci_level) + ",\n  \"metrics\": [";
  for (std::size_t i = 0; i < r.summary.size(); ++i) {
    const models::MetricSummary& s = r.summary[i];
    out += std::string(i == 0 ? "\n" : ",\n") +
           "    {\"metric\": " + models::json_string(s.metric) + ", \"n\": " + std::to_string(s.n) +
           ", \"mean\": " + models::json_number(s.mean) + ", \"sd\": " + models::json_number(s.sd) +
           ", \"ci_low\": " + models::json_number(s.ci_low) +
           ", \"ci_high\": " + models::json_number(s.ci_high) +
           ", \"ci_method\": " + models::json_string(s.ci_method) + "}";
  }
  out += "\n  ]\n}\n";
  return out;
}

namespace {
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
}  // namespace

std::string summary_table(const RunReport& r) {
  std::size_t width = 6;
  for (const models::MetricSummary& s : r.summary) width = std::max(width, s.metric.size());
  const int w = static_cast<int>(width);
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-*s  %12s  %-27s  %8s  %s\n", w, "metric", "mean",
                (models::format_number(r.ci_level * 100) + "% CI").c_str(), "n", "method");
  out += line;
  for (const models::MetricSummary& s : r.summary) {
    const std::string ci = "[" + fixed(s.ci_low) + ", " + fixed(s.ci_high) + "]";
    std::snprintf(line, sizeof line, "%-*s  %12s  %-27s  %8llu  %s\n", w, s.metric.c_str(),
                  fixed(s.mean).c_str(), ci.c_str(), static_cast<unsigned long long>(s.n),
                  s.ci_method.c_str());
    out += line;
  }
  return out;
}

}  // namespace chiptrail::cli
