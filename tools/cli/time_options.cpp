#include "cli/time_options.hpp"

#include "models/output/text_format.hpp"

namespace chiptrail::cli {

void add_time_options(CLI::App* cmd, TimeOptions& o) {
  cmd->add_option("--warmup-days", o.warmup_days,
                  "Days the yearly (steady-state) rates leave out (default: the scenario's "
                  "warmup_days, else 0)")
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_option("--period", o.period,
                  "Period of the time series: year, quarter, month or a number of days (default "
                  "year)")
      ->check([](const std::string& v) {
        return models::parse_period(v) ? std::string{}
                                       : "must be year, quarter, month or a number of days";
      });
}

bool apply_time_options(const TimeOptions& o, const models::World& world, models::RunConfig& config,
                        spdlog::logger& log) {
  if (o.warmup_days) {
    if (*o.warmup_days >= world.horizon.to_days()) {
      log.error("chiptrail: --warmup-days {} must be below the horizon ({} days)",
                models::format_number(*o.warmup_days),
                models::format_number(world.horizon.to_days()));
      return false;
    }
    config.warmup = sim::Time::from_days(*o.warmup_days);
  }
  config.period = *models::parse_period(o.period);  // checked by the option's validator
  return true;
}

}  // namespace chiptrail::cli
