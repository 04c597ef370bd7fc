#include "rrr/reactor/compound_events.h"

#include "rrr/base/verify.h"

namespace rrr {

CompoundEvent::~CompoundEvent() {
  for (const auto& child : children_) child->RemoveParent(this);
}

void CompoundEvent::AddEvent(std::shared_ptr<Event> child) {
  verify(child != nullptr);
  child->AddParent(this);
  children_.push_back(std::move(child));
  Test();
}

OrEvent::OrEvent(const std::vector<std::shared_ptr<Event>>& children) {
  for (const auto& c : children) AddEvent(c);
}

bool OrEvent::IsReady() {
  for (const auto& c : children_) {
    if (c->IsReady()) return true;
  }
  return false;
}

AndEvent::AndEvent(const std::vector<std::shared_ptr<Event>>& children) {
  for (const auto& c : children) AddEvent(c);
}

bool AndEvent::IsReady() {
  for (const auto& c : children_) {
    if (!c->IsReady()) return false;
  }
  return true;
}

QuorumEvent::QuorumEvent(int n_total, int quorum) : n_total_(n_total), quorum_(quorum) {
  verify(0 <= quorum && quorum <= n_total);
}

void QuorumEvent::VoteYes() {
  n_voted_yes_++;
  Test();
}

void QuorumEvent::VoteNo() {
  n_voted_no_++;
  Test();
}

bool QuorumEvent::Yes() { return n_voted_yes_ >= quorum_; }

bool QuorumEvent::No() { return n_voted_no_ > n_total_ - quorum_; }

}  // namespace rrr
