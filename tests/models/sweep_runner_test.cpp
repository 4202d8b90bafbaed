// The sweep runner of the experiment library, without the command line.
#include "models/experiment/sweep_runner.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario/input_error.hpp"
#include "models/scenario_test_support.hpp"
#include "sim/normal_quantile.hpp"

using namespace chiptrail;

namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char name[] = "/tmp/chiptrail-sweep-runner-XXXXXX";
    path = ::mkdtemp(name);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

const std::string kSweep = std::string(CHIPTRAIL_SOURCE_DIR) + "/tests/data/small_sweep.textproto";

}  // namespace

TEST_CASE("run_sweep: the same bytes on one thread, on three, and in two shards merged") {
  const auto registry = testing::builtin_registry();
  const models::SweepSpec spec = models::load_sweep(kSweep, registry);
  TempDir dir;
  models::SweepRequest one;
  one.out = (dir.path / "one").string();
  models::ThreadExecutor serial(1), three(3);
  std::uint64_t ticks = 0;
  one.on_done = [&ticks] { ++ticks; };
  const models::SweepReport a = models::run_sweep(spec, registry, one, serial);
  CHECK(a.outcome == models::SweepReport::Outcome::finished);
  CHECK(a.runs_done == spec.runs());
  CHECK(ticks == spec.runs());
  models::SweepRequest other = one;
  other.out = (dir.path / "three").string();
  (void)models::run_sweep(spec, registry, other, three);
  for (const char* file : {"runs.csv", "summary.csv", "manifest.json"}) {
    CAPTURE(file);
    CHECK(read(dir.path / "one" / file) == read(dir.path / "three" / file));
  }
  std::vector<std::string> shards;
  for (std::uint64_t k = 0; k < 2; ++k) {
    models::SweepRequest part = one;
    part.shard = {k, 2};
    part.out = (dir.path / ("shard" + std::to_string(k))).string();
    shards.push_back(part.out);
    (void)models::run_sweep(spec, registry, part, three);
  }
  models::merge_shards((dir.path / "merged").string(), shards, registry);
  CHECK(read(dir.path / "one" / "runs.csv") == read(dir.path / "merged" / "runs.csv"));
  CHECK_THROWS_AS(models::merge_shards((dir.path / "part").string(), {shards[0]}, registry),
                  models::SweepError);  // a shard missing
}

TEST_CASE("run_sweep: a stop keeps the journal, resume finishes it, a second run is refused") {
  const auto registry = testing::builtin_registry();
  const models::SweepSpec spec = models::load_sweep(kSweep, registry);
  TempDir dir;
  models::ThreadExecutor serial(1);
  std::atomic<bool> stop{false};
  models::SweepRequest request;
  request.out = (dir.path / "out").string();
  request.stop = &stop;
  std::uint64_t done = 0;
  request.on_done = [&] {
    if (++done == 5) stop = true;
  };
  const models::SweepReport first = models::run_sweep(spec, registry, request, serial);
  CHECK(first.outcome == models::SweepReport::Outcome::interrupted);
  CHECK(first.runs_done == 5);
  CHECK(std::filesystem::exists(dir.path / "out" / ".journal"));
  stop = false;
  try {
    (void)models::run_sweep(spec, registry, request, serial);  // not resuming
    FAIL("an unfinished sweep was overwritten");
  } catch (const models::SweepError& e) {
    CHECK(e.kind() == models::SweepError::Kind::usage);
  }
  request.resume = true;
  std::uint64_t total = 0, already = 0;
  request.on_start = [&](std::uint64_t t, std::uint64_t a) { total = t, already = a; };
  const models::SweepReport second = models::run_sweep(spec, registry, request, serial);
  CHECK(second.outcome == models::SweepReport::Outcome::finished);
  CHECK(total == spec.runs());
  CHECK(already == 5);
  models::SweepRequest fresh;
  fresh.out = (dir.path / "fresh").string();
  (void)models::run_sweep(spec, registry, fresh, serial);
  CHECK(read(dir.path / "out" / "runs.csv") == read(dir.path / "fresh" / "runs.csv"));
  CHECK(models::run_sweep(spec, registry, request, serial).outcome ==
        models::SweepReport::Outcome::already_finished);
}

TEST_CASE("parse_shard takes K/N and nothing else") {
  CHECK(models::parse_shard("0/1").has_value());
  CHECK(models::parse_shard("3/4")->index == 3);
  for (const char* bad : {"", "1", "4/4", "-1/4", "1/0", " 1/2", "1/2 ", "1/1000001", "1//2"}) {
    CAPTURE(bad);
    CHECK_FALSE(models::parse_shard(bad).has_value());
  }
}

TEST_CASE("run_sweep: paired.csv's difference of a rate is the difference of summary.csv's rates") {
  // One definition of a ratio everywhere: the pooled ratio. paired.csv (like `compare`) gives
  // the difference of the points' pooled ratios, which summary.csv reports point by point.
  const auto registry = testing::builtin_registry();
  const models::SweepSpec spec = models::load_sweep(kSweep, registry);
  TempDir dir;
  models::SweepRequest request;
  request.out = dir.path.string();
  models::ThreadExecutor serial(1);
  REQUIRE(models::run_sweep(spec, registry, request, serial).outcome ==
          models::SweepReport::Outcome::finished);
  // (point, metric) -> the column after the metric's name (n), then the next (mean).
  const auto column = [](const std::string& csv, std::size_t after_metric) {
    std::map<std::pair<std::string, std::string>, double> out;
    std::istringstream lines(csv);
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
      std::vector<std::string> cells;
      std::stringstream row(line);
      for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
      out[{cells[0], cells[3]}] = std::stod(cells[3 + after_metric]);
    }
    return out;
  };
  const auto means = column(read(dir.path / "summary.csv"), 2);
  const auto differences = column(read(dir.path / "paired.csv"), 2);
  int checked = 0;
  // No structured binding: clang 14 cannot capture one in CAPTURE.
  for (const auto& entry : differences) {
    const std::pair<std::string, std::string>& key = entry.first;
    if (key.second != "share_lots_flagged") continue;
    CAPTURE(key.first);
    CHECK(entry.second ==
          doctest::Approx(means.at(key) - means.at({"0", key.second})).epsilon(1e-9));
    ++checked;
  }
  CHECK(checked == 3);
}

TEST_CASE("a sweep factor drawn from the scenario's uncertain entry takes its quantiles") {
  // pathways.textproto's insider_lots_per_year: lognormal, mu 2.833, sigma 0.71. A Latin
  // hypercube of 40 points over it: its path and name come from the entry, every value is a
  // quantile of it at the point's unit coordinate, and the points' median is near e^2.833.
  const std::string text = R"(
scenario: "../../scenarios/pathways.textproto"
factors { uncertain: "insider_lots_per_year" }
latin_hypercube { n: 40 }
replications: 1
seed: 3
)";
  const auto registry = chiptrail::testing::builtin_registry();
  const models::SweepSpec spec = models::parse_sweep_text(
      std::string(CHIPTRAIL_SOURCE_DIR) + "/tests/data/uncertain_factor.textproto", text, registry);
  REQUIRE(spec.factors.size() == 1);
  CHECK(spec.factors[0].name == "insider_lots_per_year");
  CHECK(spec.factors[0].path == "flows[id=divert_insider_oem].arrivals.poisson_per_year");
  std::vector<double> values;
  for (const models::SweepPoint& p : spec.points) {
    REQUIRE(p.unit.size() == 1);
    CHECK(p.values[0] ==
          doctest::Approx(std::exp(2.833 + 0.71 * chiptrail::sim::normal_quantile(p.unit[0]))));
    values.push_back(p.values[0]);
  }
  std::sort(values.begin(), values.end());
  CHECK((values[19] + values[20]) / 2 == doctest::Approx(std::exp(2.833)).epsilon(0.1));
  // An unknown entry is named.
  const std::string full = R"(
scenario: "../../scenarios/pathways.textproto"
factors { uncertain: "no_such_entry" }
latin_hypercube { n: 4 }
)";
  CHECK_THROWS_WITH_AS(models::parse_sweep_text(std::string(CHIPTRAIL_SOURCE_DIR) +
                                                    "/tests/data/uncertain_factor.textproto",
                                                full, registry),
                       doctest::Contains("no uncertain entry named no_such_entry"),
                       models::InvalidInput);
}
