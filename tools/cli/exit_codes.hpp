#pragma once

namespace chiptrail::cli {

// BSD sysexits(3) codes, which scripts driving sweeps can rely on.
enum ExitCode : int {
  kOk = 0,
  kUsage = 64,        // bad command line
  kDataError = 65,    // invalid input file
  kNoInput = 66,      // input file missing or unreadable
  kUnavailable = 69,  // a program it needs is not installed
  kSoftware = 70,     // internal error
  kIoError = 74,      // could not write output
};

}  // namespace chiptrail::cli
