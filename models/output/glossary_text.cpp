#include "models/output/glossary_text.hpp"

#include "models/metric_glossary.hpp"
#include "models/output/text_format.hpp"

namespace chiptrail::models {
namespace {

// How the summary gives a metric's interval (models/summary.hpp).
std::string interval_method(const MetricInfo& m) {
  if (!m.is_ratio()) return "gamma over replications (none-seen if all 0, student-t if any < 0)";
  if (m.lot_trials) return "ratio over replications (wilson when lots are independent)";
  return "ratio over replications";
}

std::string denominator(const MetricInfo& m) {
  return m.is_ratio() ? m.numerator + " / " + m.denominator : "";
}

}  // namespace

std::string glossary_text(const std::string& format) {
  std::string out;
  if (format == "csv") {
    out = "metric,rung,unit,ratio,interval,description\n";
    for (const MetricInfo& m : metric_glossary()) {
      out += csv_field(m.name) + "," + m.rung + "," + csv_field(m.unit) + "," +
             csv_field(denominator(m)) + "," + csv_field(interval_method(m)) + "," +
             csv_field(m.description) + "\n";
    }
  } else if (format == "markdown") {
    out = "| metric | rung | unit | what it counts |\n|---|---|---|---|\n";
    for (const MetricInfo& m : metric_glossary()) {
      std::string what = m.description;
      if (m.is_ratio()) what += " (`" + denominator(m) + "`, " + interval_method(m) + ")";
      out += "| `" + m.name + "` | " + m.rung + " | " + m.unit + " | " + what + " |\n";
    }
  } else {
    for (const MetricInfo& m : metric_glossary()) {
      out += m.name + "  [" + m.rung + ", " + m.unit + "]\n";
      std::string text = wrap_text(m.description, 88);
      for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 5))
        text.insert(at + 1, "    ");
      out += "    " + text + "\n";
      if (m.is_ratio()) out += "    = " + denominator(m) + "; " + interval_method(m) + "\n";
    }
  }
  return out;
}

}  // namespace chiptrail::models
