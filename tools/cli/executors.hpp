#pragma once

#include <memory>

#include "models/experiment/executor.hpp"
#ifdef CHIPTRAIL_WITH_MPI
#include "cli/mpi_sweep.hpp"
#endif

namespace chiptrail::cli {

// Where a command's runs execute: under mpirun with several ranks, on the ranks (rank 0
// coordinates); otherwise on `threads` threads of this process.
inline std::unique_ptr<models::Executor> make_executor(unsigned threads,
                                                       bool report_counts = true) {
#ifdef CHIPTRAIL_WITH_MPI
  if (MpiSession::size() > 1) return std::make_unique<MpiExecutor>(report_counts);
#endif
  (void)report_counts;
  return std::make_unique<models::ThreadExecutor>(threads);
}

}  // namespace chiptrail::cli
