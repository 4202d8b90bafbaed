#pragma once

#include <string>
#include <vector>

namespace chiptrail::cli {

// Runs the chiptrail command line on `args` (args[0] is the program name) and returns the exit
// code (sysexits, exit_codes.hpp). The executable's main() and the Python module's sweep()
// both come here, so they behave alike.
int run_cli(const std::vector<std::string>& args);

}  // namespace chiptrail::cli
