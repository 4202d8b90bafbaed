// The chiptrail executable: the command line of cli_app.cpp. Compiled twice: `chiptrail`, and
// `chiptrail-mpi` (CHIPTRAIL_WITH_MPI), which runs it under MPI.
#include <string>
#include <vector>

#include "cli/cli_app.hpp"
#ifdef CHIPTRAIL_WITH_MPI
#include "cli/mpi_sweep.hpp"
#endif

int main(int argc, char** argv) {
#ifdef CHIPTRAIL_WITH_MPI
  // Only `sweep` and `infer` use more than one rank.
  const chiptrail::cli::MpiSession mpi(argc, argv);
#endif
  return chiptrail::cli::run_cli(std::vector<std::string>(argv, argv + argc));
}
