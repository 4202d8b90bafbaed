// make_executor for `chiptrail-mpi`: on the ranks of an MPI job when there are several, else on
// threads of this process (one rank: `chiptrail-mpi` behaves like `chiptrail`).
#include "cli/executors.hpp"
#include "cli/mpi_sweep.hpp"

namespace chiptrail::cli {

std::unique_ptr<models::Executor> make_executor(unsigned threads, bool report_counts) {
  if (MpiSession::size() > 1) return std::make_unique<MpiExecutor>(report_counts);
  return std::make_unique<models::ThreadExecutor>(threads);
}

}  // namespace chiptrail::cli
