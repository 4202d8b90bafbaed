#pragma once

#include <map>
#include <string>
#include <vector>

namespace chiptrail::v1 {
class Scenario;
}

namespace chiptrail::models {

// Merges a scenario that `extends` another onto its base, by field kind:
// - a scalar written in the variant replaces the base's (every scalar setting has explicit
//   presence, so a written 0 or false replaces too: `adversary { adaptive: false }` switches
//   inherited adaptation off);
// - a message is merged field by field; setting another member of a oneof replaces the member;
// - the top-level lists of named things (chips by model, nodes and flows by id, policies by
//   name, uncertain entries and levers by path) are merged by key: an element whose key the base
//   has is merged into that element, any other is appended;
// - other lists append, except inside an element merged by key, where a list the variant writes
//   replaces the inherited one (a new route, new landmarks).
// Returns, per top-level list, where each merged element came from: the index of the variant's
// element written into it, or -1 for an element of the base alone.
std::map<std::string, std::vector<int>> merge_scenario(v1::Scenario& base,
                                                       const v1::Scenario& variant);

}  // namespace chiptrail::models
