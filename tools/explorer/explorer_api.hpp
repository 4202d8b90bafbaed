#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "explorer/run_manager.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/resource_limits.hpp"
#include "models/scenario/scenario_file.hpp"

namespace chiptrail::explorer {

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string download_name;  // when set, sent as an attachment with this file name
};

// {"error": message} with `status`: how the API refuses a request.
ApiResponse error_response(int status, const std::string& message);

// The JSON API under /api that the explorer page uses (README "Explorer"), apart from HTTP:
// `handle` takes a method, a path and a body and always returns a response, 4xx with
// {"error": ...} for requests it cannot serve. Runs go to `runs`.
class ExplorerApi {
 public:
  ExplorerApi(const models::ScenarioFile& loaded, const models::PolicyRegistry& registry,
              models::ResourceLimits limits, std::uint32_t max_replications, RunManager& runs);

  ApiResponse handle(std::string_view method, std::string_view path, const std::string& body);

 private:
  [[nodiscard]] ApiResponse scenario() const;
  [[nodiscard]] ApiResponse edited_scenario(const std::string& body) const;
  ApiResponse start_run(const std::string& body);
  [[nodiscard]] ApiResponse run_status(std::uint64_t id) const;
  ApiResponse cancel_run(std::uint64_t id);
  [[nodiscard]] ApiResponse run_results(std::uint64_t id, bool csv) const;
  // The loaded scenario with edits, checked as a scenario file would be.
  [[nodiscard]] models::World build(const v1::Scenario& scenario) const;

  const models::ScenarioFile& loaded_;
  const models::PolicyRegistry& registry_;
  models::ResourceLimits limits_;
  std::uint32_t max_replications_;
  RunManager& runs_;
};

}  // namespace chiptrail::explorer
