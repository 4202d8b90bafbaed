#include "cli/report_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cli/exit_codes.hpp"
#include "cli/external_program.hpp"
#include "cli/report_scripts.hpp"
#include "models/output/output_set.hpp"

namespace chiptrail::cli {
namespace {

struct ReportOptions {
  std::string dir;
  std::string out;
  std::string python;
};

// The Python that has Debian's matplotlib and pandas: --python, else $CHIPTRAIL_PYTHON, else
// /usr/bin/python3 (a python3 earlier on PATH may be a separate install without them).
std::string python_of(const ReportOptions& o) {
  if (!o.python.empty()) return o.python;
  if (const char* env = std::getenv("CHIPTRAIL_PYTHON"); env != nullptr && *env != '\0') return env;
  return "/usr/bin/python3";
}

// A private directory holding the scripts while they run, removed afterwards.
class ScriptDir {
 public:
  ScriptDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "chiptrail-report-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot create a temporary directory");
    path_ = pattern;
    write("plot.py", kPlotPy);
    write("report.py", kReportPy);
  }
  ScriptDir(const ScriptDir&) = delete;
  ScriptDir& operator=(const ScriptDir&) = delete;
  ~ScriptDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] std::string file(const char* name) const { return (path_ / name).string(); }

 private:
  void write(const char* name, const char* text) const {
    std::ofstream f(path_ / name);
    f << text;
    if (!f) throw std::runtime_error("cannot write " + file(name));
  }
  std::filesystem::path path_;
};

int report(const ReportOptions& o, spdlog::logger& log) {
  const auto has = [&](const char* file) {
    return std::filesystem::exists(std::filesystem::path(o.dir) / file);
  };
  const std::vector<const char*> needed =
      has("posterior.csv")
          ? std::vector<const char*>{"posterior_summary.csv", "rounds.csv", "manifest.json"}
      : has("compare.csv") ? std::vector<const char*>{"compare.csv", "manifest.json"}
                           : std::vector<const char*>{"summary.csv", "runs.csv", "manifest.json"};
  for (const char* file : needed) {
    if (!has(file)) {
      log.error(
          "chiptrail: {}: no {} (give a `run --out`, `sweep --out`, `compare --out` or "
          "`infer --out` directory)",
          o.dir, file);
      return kNoInput;
    }
  }
  if (const std::string problem = models::check_output_set(o.dir); !problem.empty()) {
    log.error("chiptrail: {}", problem);
    return kDataError;
  }
  const std::string python = python_of(o);
  if (run_program({python, "-c", "import matplotlib, pandas"}) != 0) {
    log.error(
        "chiptrail: report needs {} with matplotlib and pandas (Debian: apt-get install "
        "python3-matplotlib python3-pandas)",
        python);
    return kUnavailable;
  }
  try {
    const ScriptDir scripts;
    std::vector<std::string> argv{python, scripts.file("report.py"), o.dir};
    if (!o.out.empty()) argv.insert(argv.end(), {"--out", o.out});
    // The explorer's country outlines (world-atlas, from npm), when this build has its page:
    // the report's map draws the land with them, offline.
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path outlines =
        exe.parent_path() / "explorer" / "vendor" / "countries-50m.json";
    if (!ec && std::filesystem::is_regular_file(outlines)) {
      argv.insert(argv.end(), {"--outlines", outlines.string()});
    }
    const int status = run_program(argv);
    if (status == 0) return kOk;
    if (status == kNoInput) return kNoInput;
    log.error("chiptrail: the report script failed (status {})", status);
    return kSoftware;
  } catch (const std::exception& e) {
    log.error("chiptrail: {}", e.what());
    return kIoError;
  }
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code, spdlog::logger& log) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "A self-contained report.html (figures inline) of a run's or a sweep's outputs");
  cmd->add_option("dir", o->dir, "A `chiptrail run --out` or `chiptrail sweep --out` directory")
      ->required();
  cmd->add_option("--out,-o", o->out, "The HTML file (default DIR/report.html)");
  cmd->add_option(
      "--python", o->python,
      "Python with matplotlib and pandas (default $CHIPTRAIL_PYTHON or /usr/bin/python3)");
  cmd->callback([o, &exit_code, &log] { exit_code = report(*o, log); });
}

}  // namespace chiptrail::cli
