#pragma once

#include <memory>

#include "models/experiment/executor.hpp"

namespace chiptrail::cli {

// Where a command's runs execute. `chiptrail` runs them on `threads` threads of this process
// (executors.cpp); `chiptrail-mpi` (executors_mpi.cpp), under mpirun with several ranks, on the
// ranks (rank 0 coordinates), printing how many runs each worker did when `report_counts`. Each
// executable links exactly one of the two definitions, so the rest of the command line is
// compiled once for both.
std::unique_ptr<models::Executor> make_executor(unsigned threads, bool report_counts = true);

}  // namespace chiptrail::cli
