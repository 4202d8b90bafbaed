#include "models/policies/write_off_checks.hpp"

#include <string>

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"

namespace chiptrail::models {

WriteOffChecks WriteOffChecks::from_proto(
    const google::protobuf::RepeatedPtrField<v1::WriteOffCheck>& list) {
  WriteOffChecks out;
  std::array<bool, kWriteOffChannels> seen{};
  for (int i = 0; i < list.size(); ++i) {
    const std::string at = "write_off_checks[" + std::to_string(i) + "].";
    const v1::WriteOffCheck& c = list.Get(i);
    const auto channel = static_cast<std::size_t>(c.channel());
    if (channel == 0 || channel >= kWriteOffChannels) {
      throw PolicyConfigError(at + "channel",
                              "is required: RESALE, REFURBISHMENT, RMA_SWAP or FAILED_UNIT");
    }
    if (seen[channel]) throw PolicyConfigError(at + "channel", "is listed twice");
    seen[channel] = true;
    out.by_channel_[channel] = models::probability(c.probability(), (at + "probability").c_str());
  }
  return out;
}

}  // namespace chiptrail::models
