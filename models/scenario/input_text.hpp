#pragma once

#include <sstream>
#include <string>

namespace chiptrail::models {

// A number as it reads in an error message ("1.5", "1e+30", "nan").
inline std::string describe_number(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

// The bytes of an input file; throws MissingInput naming the path when it cannot be read (a
// missing file, a directory).
std::string read_input_file(const std::string& path);

}  // namespace chiptrail::models
