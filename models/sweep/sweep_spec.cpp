#include "models/sweep/sweep_spec.hpp"

#include <google/protobuf/text_format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "chiptrail/v1/scenario.pb.h"
#include "chiptrail/v1/sweep.pb.h"
#include "models/experiment/replications.hpp"
#include "models/metric_glossary.hpp"
#include "models/metrics_recorder.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/distribution_from_proto.hpp"
#include "models/scenario/field_locator.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/input_text.hpp"
#include "models/scenario/text_format_errors.hpp"
#include "models/scenario/utf8_check.hpp"
#include "models/sweep/field_setter.hpp"
#include "sim/analysis/designs.hpp"

namespace chiptrail::models {
namespace {

constexpr std::uint64_t kMaxPoints = 1'000'000;        // each held in memory, ~100 bytes
constexpr std::uint64_t kMaxRuns = 1'000'000'000'000;  // points x replications

class SweepBuilder {
 public:
  SweepBuilder(const std::string& path, const PolicyRegistry& registry)
      : path_(path), registry_(registry) {}

  SweepSpec build() { return build_from(read_input_file(path_)); }

  SweepSpec build_from(std::string text) {
    spec_.path = path_;
    spec_.text = std::move(text);

    auto tree = std::make_unique<google::protobuf::TextFormat::ParseInfoTree>();
    TextFormatErrors collector(path_, errors_);
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    parser.WriteLocationsTo(tree.get());
    if (!parser.ParseFromString(spec_.text, &sweep_)) {
      if (errors_.empty()) errors_.push_back({path_, 0, 0, "", "could not parse the sweep"});
      throw InvalidInput(std::move(errors_));
    }
    locator_ = FieldLocator(path_, v1::Sweep::descriptor(), std::move(tree));
    for (const FieldPath& bad : invalid_utf8_fields(sweep_)) error(bad, "is not valid UTF-8 text");
    if (!errors_.empty()) throw InvalidInput(std::move(errors_));

    spec_.name = sweep_.name();
    spec_.replications = sweep_.has_replications() ? sweep_.replications() : 10;
    if (spec_.replications == 0) error(FieldPath{} / "replications", "must be at least 1");
    spec_.seed = sweep_.seed();
    spec_.common_random_numbers = sweep_.common_random_numbers();
    spec_.metrics.assign(sweep_.metrics().begin(), sweep_.metrics().end());
    spec_.message = std::make_shared<const v1::Sweep>(sweep_);

    if (!load_base()) throw InvalidInput(std::move(errors_));
    factors();
    design();
    metrics();
    if (!errors_.empty()) throw InvalidInput(std::move(errors_));
    return std::move(spec_);
  }

 private:
  void error(const FieldPath& where, const std::string& message) {
    const SourceLocation at = locator_.locate(where);
    errors_.push_back({at.file, at.line, at.column, where.to_string(), message});
  }

  bool load_base() {
    if (sweep_.scenario().empty()) {
      error(FieldPath{} / "scenario", "is required: the base scenario's path");
      return false;
    }
    const std::string base =
        (std::filesystem::path(path_).parent_path() / sweep_.scenario()).string();
    try {
      spec_.base = read_scenario_file(base);
      const World base_world = build_world(spec_.base, registry_);
      base_world_names_ = MetricsRecorder(base_world).finish({}).names;
      // Factors change numbers, never which policies exist or whether smugglers adapt.
      spec_.lots_independent = lots_independent(base_world);
    } catch (const MissingInput& e) {
      error(FieldPath{} / "scenario", e.what());
      return false;
    } catch (const InvalidInput& e) {
      error(FieldPath{} / "scenario", "the base scenario is invalid:\n" + std::string(e.what()));
      return false;
    }
    return true;
  }

  // Checks a value for a factor by applying it to the base and building the world.
  void check_value(const FieldPath& where, const std::string& factor_path, double value) {
    v1::Scenario copy = *spec_.base.message;
    try {
      set_numeric_field(copy, factor_path, value);
    } catch (const std::invalid_argument& e) {
      error(where, e.what());
      return;
    }
    ScenarioFile probe;
    probe.path = spec_.base.path;
    probe.message = std::make_unique<v1::Scenario>(copy);
    try {
      (void)build_world(probe, registry_);
    } catch (const InvalidInput& e) {
      error(where, "value " + describe_number(value) +
                       " makes the scenario invalid: " + e.errors().front().message);
    }
  }

  void factors() {
    if (sweep_.factors().empty()) error(FieldPath{} / "factors", "needs at least one factor");
    std::set<std::string> names;
    for (int i = 0; i < sweep_.factors_size(); ++i) {
      const v1::Factor& f = sweep_.factors(i);
      const FieldPath p = FieldPath{}.at("factors", static_cast<std::size_t>(i));
      SweepFactor out;
      out.path = f.path();
      const bool sampled = sweep_.design_case() == v1::Sweep::kLatinHypercube ||
                           sweep_.design_case() == v1::Sweep::kSaltelli ||
                           sweep_.design_case() == v1::Sweep::kMorris;
      const v1::Uncertain* uncertain = nullptr;
      if (!f.uncertain().empty()) {
        for (const v1::Uncertain& u : spec_.base.message->uncertain()) {
          if (u.name() == f.uncertain() || u.path() == f.uncertain()) uncertain = &u;
        }
        if (uncertain == nullptr) {
          error(p / "uncertain", "the base scenario has no uncertain entry named " + f.uncertain());
          continue;
        }
        if (!sampled) {
          error(p / "uncertain", "needs a sampled design (latin_hypercube, saltelli or morris)");
          continue;
        }
        if (out.path.empty()) out.path = uncertain->path();
      }
      out.name = !f.name().empty()                                    ? f.name()
                 : uncertain != nullptr && !uncertain->name().empty() ? uncertain->name()
                                                                      : out.path;
      if (out.path.empty()) {
        error(p / "path", "is required");
        continue;
      }
      if (!names.insert(out.name).second) error(p / "name", "duplicate factor name " + out.name);
      if (uncertain != nullptr) {
        try {
          out.distribution = distribution_from_proto(uncertain->distribution(), true);
        } catch (const PolicyConfigError& e) {
          error(p / "uncertain", "its distribution " + e.field() + " " + e.what());
          continue;
        }
      } else if (sampled) {
        if (!f.has_range() || !(std::isfinite(f.range().min()) && std::isfinite(f.range().max()) &&
                                f.range().min() <= f.range().max())) {
          error(p / "range", "sampled designs need range { min max } with min <= max");
          continue;
        }
        out.min = f.range().min();
        out.max = f.range().max();
        check_value(p / "range" / "min", f.path(), out.min);
        check_value(p / "range" / "max", f.path(), out.max);
      } else {
        if (!f.values().empty() && f.has_grid()) error(p / "grid", "set either values or grid");
        out.values.assign(f.values().begin(), f.values().end());
        if (f.has_grid()) {
          const auto& g = f.grid();
          if (!(std::isfinite(g.start()) && std::isfinite(g.stop()) && g.step() > 0 &&
                g.stop() >= g.start())) {
            error(p / "grid", "needs start <= stop and step > 0");
            continue;
          }
          // Counted in double first: a tiny step over a wide range must not overflow the cast.
          const double steps = std::floor((g.stop() - g.start()) / g.step() + 1e-9);
          if (!(steps < 100000)) {
            error(p / "grid", "gives more than 100,000 values");
            continue;
          }
          const auto count = static_cast<long>(steps) + 1;
          for (long k = 0; k < count; ++k) {
            // Rounded to 12 significant digits so 0 + 3 * 0.05 reads 0.15, not 0.15000000000000002.
            const double v = g.start() + static_cast<double>(k) * g.step();
            const double scale =
                v == 0 ? 1 : std::pow(10.0, 11 - std::floor(std::log10(std::fabs(v))));
            out.values.push_back(std::round(v * scale) / scale);
          }
        }
        if (out.values.empty()) {
          error(p, "needs values [...] or grid { start stop step }");
          continue;
        }
        for (std::size_t k = 0; k < out.values.size(); ++k) {
          check_value(f.values().empty() ? p / "grid" : p.at("values", k), f.path(), out.values[k]);
        }
      }
      spec_.factors.push_back(out);
    }
  }

  void design() {
    const std::size_t k = spec_.factors.size();
    if (!errors_.empty() || k == 0) return;
    std::vector<sim::DesignPoint> unit;
    const FieldPath p{};
    switch (sweep_.design_case()) {
      case v1::Sweep::DESIGN_NOT_SET:
      case v1::Sweep::kFullFactorial: {
        spec_.design = "full_factorial";
        std::vector<std::size_t> levels;
        std::uint64_t total = 1;
        for (const SweepFactor& f : spec_.factors) {
          levels.push_back(f.values.size());
          total = points_times(total, f.values.size());
        }
        if (!within_point_limit(FieldPath{}.at("factors", 0), "the full factorial", total)) return;
        for (const sim::DesignPoint& d : sim::full_factorial(levels)) {
          SweepPoint point;
          for (std::size_t f = 0; f < k; ++f) {
            point.values.push_back(
                spec_.factors[f].values[static_cast<std::size_t>(d.coordinates[f])]);
          }
          spec_.points.push_back(point);
        }
        return;
      }
      case v1::Sweep::kLatinHypercube:
        spec_.design = "latin_hypercube";
        if (sweep_.latin_hypercube().n() == 0)
          return error(p / "latin_hypercube" / "n", "must be at least 1");
        if (!within_point_limit(p / "latin_hypercube" / "n", "the Latin hypercube",
                                sweep_.latin_hypercube().n())) {
          return;
        }
        unit = sim::latin_hypercube(k, sweep_.latin_hypercube().n(), spec_.seed);
        break;
      case v1::Sweep::kSaltelli:
        spec_.design = "saltelli";
        {
          // Unset, n is enough for k factors (sim::default_saltelli_samples).
          const std::uint64_t n =
              sweep_.saltelli().has_n() ? sweep_.saltelli().n() : sim::default_saltelli_samples(k);
          if (n < 2) return error(p / "saltelli" / "n", "must be at least 2");
          if (!within_point_limit(p / "saltelli" / "n", "Saltelli's scheme, n (k + 2),",
                                  points_times(n, k + 2))) {
            return;
          }
          unit = sim::saltelli(k, n, spec_.seed);
          break;
        }
      case v1::Sweep::kMorris: {
        spec_.design = "morris";
        const auto& m = sweep_.morris();
        if (m.r() == 0) return error(p / "morris" / "r", "must be at least 1");
        if (m.levels() < 2 || m.levels() % 2 != 0) {
          return error(p / "morris" / "levels",
                       "must be even and at least 2 (so steps stay on the grid)");
        }
        if (!within_point_limit(p / "morris" / "r", "Morris's design, r (k + 1),",
                                points_times(m.r(), k + 1))) {
          return;
        }
        unit = sim::morris(k, m.r(), m.levels(), spec_.seed);
        break;
      }
    }
    // A factor drawn from a distribution takes its quantiles; Morris's grid levels (0 and 1
    // included) go to the middles of as many equal-probability bins.
    const auto share = [&](double u) {
      if (sweep_.design_case() != v1::Sweep::kMorris) return u;
      const double levels = static_cast<double>(sweep_.morris().levels());
      return (u * (levels - 1) + 0.5) / levels;
    };
    for (const sim::DesignPoint& d : unit) {
      SweepPoint point{{}, d.role, d.coordinates};
      for (std::size_t f = 0; f < k; ++f) {
        const SweepFactor& factor = spec_.factors[f];
        const double u = d.coordinates[f];
        point.values.push_back(factor.distribution ? factor.distribution->quantile(share(u))
                                                   : factor.min + u * (factor.max - factor.min));
      }
      spec_.points.push_back(point);
    }
    // The extreme values of a distribution's factor, checked like a range's ends.
    for (std::size_t f = 0; f < k; ++f) {
      if (!spec_.factors[f].distribution || spec_.points.empty()) continue;
      double lo = spec_.points.front().values[f], hi = lo;
      for (const SweepPoint& point : spec_.points) {
        lo = std::min(lo, point.values[f]);
        hi = std::max(hi, point.values[f]);
      }
      const FieldPath where = FieldPath{}.at("factors", f) / "uncertain";
      check_value(where, spec_.factors[f].path, lo);
      check_value(where, spec_.factors[f].path, hi);
    }
  }

  // a * b, saturating at the largest count (so a product that would wrap reads as too many).
  static std::uint64_t points_times(std::uint64_t a, std::uint64_t b) {
    std::uint64_t product = 0;
    return __builtin_mul_overflow(a, b, &product) ? UINT64_MAX : product;
  }

  // Design points are generated and held in memory: refuse more than kMaxPoints at `where`,
  // before generating any; also the runs (points x replications) must be countable.
  bool within_point_limit(const FieldPath& where, const std::string& what, std::uint64_t points) {
    if (points > kMaxPoints) {
      error(where,
            what + " gives " +
                (points == UINT64_MAX ? std::string("more than 2^64") : std::to_string(points)) +
                " points (limit 1,000,000)");
      return false;
    }
    if (points_times(points, spec_.replications) > kMaxRuns) {
      error(FieldPath{} / "replications", std::to_string(points) + " points x " +
                                              std::to_string(spec_.replications) +
                                              " replications is more than 1e12 runs");
      return false;
    }
    return true;
  }

  void metrics() {
    for (int i = 0; i < sweep_.metrics_size(); ++i) {
      if (std::find(base_world_names_.begin(), base_world_names_.end(), sweep_.metrics(i)) ==
          base_world_names_.end()) {
        error(FieldPath{}.at("metrics", static_cast<std::size_t>(i)),
              "unknown metric " + sweep_.metrics(i) + rename_hint(sweep_.metrics(i)));
      }
    }
  }

  const std::string path_;
  const PolicyRegistry& registry_;
  v1::Sweep sweep_;
  FieldLocator locator_;
  SweepSpec spec_;
  std::vector<std::string> base_world_names_;
  std::vector<InputError> errors_;
};

}  // namespace

SweepSpec load_sweep(const std::string& path, const PolicyRegistry& registry) {
  return SweepBuilder(path, registry).build();
}

SweepSpec parse_sweep_text(const std::string& path, std::string text,
                           const PolicyRegistry& registry) {
  return SweepBuilder(path, registry).build_from(std::move(text));
}

World world_for_point(const SweepSpec& spec, std::size_t point, const PolicyRegistry& registry) {
  ScenarioFile file;
  file.path = spec.base.path;
  file.message = std::make_unique<v1::Scenario>(*spec.base.message);
  for (std::size_t f = 0; f < spec.factors.size(); ++f) {
    set_numeric_field(*file.message, spec.factors[f].path, spec.points[point].values[f]);
  }
  World w = build_world(file, registry);
  w.seed = spec.seed;
  w.replications = spec.replications;
  return w;
}

}  // namespace chiptrail::models
