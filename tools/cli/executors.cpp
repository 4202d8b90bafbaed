// make_executor for `chiptrail`, built without MPI: runs on threads of this process.
#include "cli/executors.hpp"

namespace chiptrail::cli {

std::unique_ptr<models::Executor> make_executor(unsigned threads, bool /*report_counts*/) {
  return std::make_unique<models::ThreadExecutor>(threads);
}

}  // namespace chiptrail::cli
