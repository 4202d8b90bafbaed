#pragma once

#include <string>
#include <vector>

namespace chiptrail::cli {

// Runs a program found on PATH (argv[0]) with `input` on its standard input, its output and
// errors going to ours, and waits for it. Returns its exit status; 127 when it cannot be
// started (not installed), 128 + N when killed by signal N.
int run_program(const std::vector<std::string>& argv, const std::string& input = "");

// Whether `name` is an executable on PATH.
bool on_path(const std::string& name);

}  // namespace chiptrail::cli
