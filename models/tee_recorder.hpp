#pragma once

#include "models/recorder.hpp"

namespace chiptrail::models {

// Hands everything the model reports to two recorders, so one replication can feed metrics
// and, say, a detection log at once.
class TeeRecorder : public Recorder {
 public:
  TeeRecorder(Recorder& first, Recorder& second) : a_(first), b_(second) {}

  void lot_created(const Lot& lot, sim::Time t) override {
    a_.lot_created(lot, t);
    b_.lot_created(lot, t);
  }
  void detected(const Lot& lot, const DetectionEvent& d) override {
    a_.detected(lot, d);
    b_.detected(lot, d);
  }
  void false_positive(const Lot& lot, const DetectionEvent& d) override {
    a_.false_positive(lot, d);
    b_.false_positive(lot, d);
  }
  void delivered(const Lot& lot, sim::Time t) override {
    a_.delivered(lot, t);
    b_.delivered(lot, t);
  }
  void cost(std::size_t policy, double usd, sim::Time t) override {
    a_.cost(policy, usd, t);
    b_.cost(policy, usd, t);
  }
  void costs(std::size_t policy, double usd_each, sim::Time first, sim::Time interval,
             std::uint64_t count) override {
    a_.costs(policy, usd_each, first, interval, count);
    b_.costs(policy, usd_each, first, interval, count);
  }
  void burden(std::size_t policy, double usd, sim::Time t) override {
    a_.burden(policy, usd, t);
    b_.burden(policy, usd, t);
  }
  void held(const Lot& lot, sim::Time held, sim::Time t) override {
    a_.held(lot, held, t);
    b_.held(lot, held, t);
  }
  void disabled_after_delivery(const Lot& delivered, const DetectionEvent& d) override {
    a_.disabled_after_delivery(delivered, d);
    b_.disabled_after_delivery(delivered, d);
  }
  void substituted(const Lot& demanded, double h100e_bought, sim::Time t) override {
    a_.substituted(demanded, h100e_bought, t);
    b_.substituted(demanded, h100e_bought, t);
  }
  void entity_listed(NodeIndex dealer, sim::Time t, sim::Time until) override {
    a_.entity_listed(dealer, t, until);
    b_.entity_listed(dealer, t, until);
  }
  void deterred(const Lot& due, sim::Time t) override {
    a_.deterred(due, t);
    b_.deterred(due, t);
  }
  void front_closed(std::size_t flow, sim::Time t, sim::Time reopens) override {
    a_.front_closed(flow, t, reopens);
    b_.front_closed(flow, t, reopens);
  }
  void leased(const Lot& lease, const LeaseOutcome& o) override {
    a_.leased(lease, o);
    b_.leased(lease, o);
  }
  void went_silent(const Lot& delivered, double usd, sim::Time t) override {
    a_.went_silent(delivered, usd, t);
    b_.went_silent(delivered, usd, t);
  }
  void arrived(const Lot& lot, NodeIndex node, sim::Time t) override {
    a_.arrived(lot, node, t);
    b_.arrived(lot, node, t);
  }
  void removed(const Lot& lot, NodeIndex site, sim::Time t) override {
    a_.removed(lot, site, t);
    b_.removed(lot, site, t);
  }
  void dismantled(const Lot& lot, std::size_t parts, NodeIndex node, sim::Time t) override {
    a_.dismantled(lot, parts, node, t);
    b_.dismantled(lot, parts, node, t);
  }

 private:
  Recorder& a_;
  Recorder& b_;
};

}  // namespace chiptrail::models
