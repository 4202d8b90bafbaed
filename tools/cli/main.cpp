// The chiptrail executable: the command line of cli_app.cpp, under MPI when built with it.
#include <string>
#include <vector>

#include "cli/cli_app.hpp"
#ifdef CHIPTRAIL_WITH_MPI
#include "cli/mpi_sweep.hpp"
#endif

int main(int argc, char** argv) {
#ifdef CHIPTRAIL_WITH_MPI
  const chiptrail::cli::MpiSession mpi(argc,
                                       argv);  // only `sweep` and `infer` use more than one rank
#endif
  return chiptrail::cli::run_cli(std::vector<std::string>(argv, argv + argc));
}
