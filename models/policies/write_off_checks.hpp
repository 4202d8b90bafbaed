#pragma once

#include <array>

#include "models/lot.hpp"

namespace google::protobuf {
template <typename T>
class RepeatedPtrField;
}
namespace chiptrail::v1 {
class WriteOffCheck;
}

namespace chiptrail::models {

// How an audit treats chips written off through the second-hand market (Flow::second_hand):
// they are off the count and the register, so a round or visit finds them missing only by
// checking the write-off's evidence -- a transfer to a registered owner, the vendor's RMA
// receipt, a destruction certificate -- which it does with a probability per channel (0 for a
// channel not listed).
class WriteOffChecks {
 public:
  WriteOffChecks() = default;
  // From a policy's `write_off_checks`; throws PolicyConfigError naming
  // write_off_checks[i].channel or .probability.
  static WriteOffChecks from_proto(
      const google::protobuf::RepeatedPtrField<v1::WriteOffCheck>& list);

  // The chance one audit finds a lot written off through `channel` (0 for kNone).
  [[nodiscard]] double probability(WriteOff channel) const {
    return by_channel_[static_cast<std::size_t>(channel)];
  }

 private:
  std::array<double, kWriteOffChannels> by_channel_{};
};

}  // namespace chiptrail::models
