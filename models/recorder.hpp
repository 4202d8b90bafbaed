#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/lot.hpp"
#include "models/policies/policy.hpp"
#include "sim/time.hpp"

namespace chiptrail::models {

// A detection with its attribution.
struct DetectionEvent {
  std::size_t policy = 0;  // index into World::policies
  NodeIndex node = 0;
  bool has_node = false;
  Stage stage = Stage::kSale;
  Verdict verdict = Verdict::kSeize;
  sim::Time time;
  std::optional<EdgeIndex> edge;  // the edge just travelled, for shipments and borders
  // A seizure the place's law does not allow (models/jurisdictions.hpp): the verdict became a
  // flag, the finding passed on.
  bool without_authority = false;
};

// A lease of cloud capacity (Flow::remote_access), decided whole at its start: it would run
// `length` from `start`; a screening refused it (`refused_by`: it never ran), or monitoring cuts
// it `cut_after` its start (`cut_by`; possibly after the horizon). `reported_by`: policies that
// reported the lease without stopping it (for a legitimate tenant, a false positive).
struct LeaseOutcome {
  sim::Time start, length;
  std::optional<std::size_t> refused_by;
  std::optional<std::size_t> cut_by;
  sim::Time cut_after;
  std::vector<std::size_t> reported_by;
};

// Receives what happens in one replication. The model reports; recorders decide what to keep
// (metrics now, an event trace later), so the model never knows which outputs are wanted.
class Recorder {
 public:
  virtual ~Recorder() = default;
  // A lot was sold and entered the chain.
  virtual void lot_created(const Lot& lot, sim::Time t) = 0;
  // A policy found a diverted lot or consignment at `d.time`, the moment of the finding: the
  // "flagged" rung of the outcome ladder, and the overlap between measures (every policy's
  // finding is reported, whoever acted). With kSeize or kDisable its chips leave the chain:
  // interdicted; with kFlag it goes on (an alert whose verdict comes later, a finding after
  // another policy stopped the lot, a seizure the place's law does not allow).
  virtual void detected(const Lot& lot, const DetectionEvent& d) = 0;
  // A policy wrongly held a legitimate lot (it then goes on).
  virtual void false_positive(const Lot& lot, const DetectionEvent& d) = 0;
  // A legitimate lot was installed at its data center, or a diverted lot reached its end
  // facility (reassembled from the consignments that got through).
  virtual void delivered(const Lot& lot, sim::Time t) = 0;
  // A policy spent effort at `t` (units already multiplied into dollars by the model).
  virtual void cost(std::size_t policy, double usd, sim::Time t) = 0;
  // The same for `count` efforts of `usd_each`, at first, first + interval, ... (periodic
  // checks settled in bulk).
  virtual void costs(std::size_t policy, double usd_each, sim::Time first, sim::Time interval,
                     std::uint64_t count) {
    for (std::uint64_t k = 0; k < count; ++k) {
      cost(policy, usd_each, first + interval * static_cast<sim::Time::Rep>(k));
    }
  }
  // A policy's effort on a legitimate lot cost its owner `usd` at `t` (exam fees, handling):
  // a burden on legitimate trade. Most recorders need none of it.
  virtual void burden(std::size_t /*policy*/, double /*usd*/, sim::Time /*t*/) {}
  // A legitimate lot was held for `held` at `t` (exams, a wrongful hold); it goes on after.
  virtual void held(const Lot& /*lot*/, sim::Time /*held*/, sim::Time /*t*/) {}
  // Chips already delivered to their end user were remotely disabled: they move from
  // delivered to disabled.
  virtual void disabled_after_delivery(const Lot& delivered, const DetectionEvent& d) = 0;
  // A diversion lot was never bought: its end user judged smuggled compute dearer than the
  // domestic substitute and bought `h100e_bought` H100-equivalents of that instead, at `t`.
  virtual void substituted(const Lot& demanded, double h100e_bought, sim::Time t) = 0;

  // A lease of cloud capacity started at `o.start` (now), with everything that will happen to
  // it: the recorder apportions its hours over time.
  virtual void leased(const Lot& /*lease*/, const LeaseOutcome& /*o*/) {}

  // A diversion lot due was not bought: its buyers were deterred by their perceived risk.
  virtual void deterred(const Lot& /*due*/, sim::Time /*t*/) {}
  // A dealer went on the entity list at `t`, listed until `until` (at most the horizon).
  virtual void entity_listed(NodeIndex /*dealer*/, sim::Time /*t*/, sim::Time /*until*/) {}
  // A confirmed case closed flow `flow`'s front company at `t`; a new one buys from `reopens`.
  virtual void front_closed(std::size_t /*flow*/, sim::Time /*t*/, sim::Time /*reopens*/) {}
  // The end user paid `usd` to keep a delivered lot silent (air-gapped, firmware rolled back):
  // out of reach of verification and remote commands.
  virtual void went_silent(const Lot& /*delivered*/, double /*usd*/, sim::Time /*t*/) {}

  // Movements, for traces; metrics need none of them, so they default to nothing.
  // A lot or consignment arrived at `node` (before any policy there acts on it).
  virtual void arrived(const Lot& /*lot*/, NodeIndex /*node*/, sim::Time /*t*/) {}
  // A diverted lot was taken out of its data center to be smuggled on.
  virtual void removed(const Lot& /*lot*/, NodeIndex /*site*/, sim::Time /*t*/) {}
  // A diverted lot was dismantled at `node` into `parts` consignments.
  virtual void dismantled(const Lot& /*lot*/, std::size_t /*parts*/, NodeIndex /*node*/,
                          sim::Time /*t*/) {}
};

}  // namespace chiptrail::models
