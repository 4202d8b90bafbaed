#include "models/scenario/input_error.hpp"

namespace chiptrail::models {

std::string InputError::to_string() const {
  // Appended piece by piece: GCC 12's -Wrestrict misfires on chained operator+ here.
  std::string out = file;
  if (line > 0) {
    out.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
  }
  out.append(": ");
  if (!field.empty()) out.append(field).append(": ");
  out.append(message);
  return out;
}

namespace {
std::string summarize(const std::vector<InputError>& errors) {
  std::string s;
  for (const InputError& e : errors) s += e.to_string() + "\n";
  if (!s.empty()) s.pop_back();
  return s;
}
}  // namespace

InvalidInput::InvalidInput(std::vector<InputError> errors)
    : std::runtime_error(summarize(errors)), errors_(std::move(errors)) {}

}  // namespace chiptrail::models
