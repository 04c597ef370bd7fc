#include "labs/harness/core/cluster.h"

#include <gtest/gtest.h>

#include <exception>

#include "labs/harness/core/free_port.h"
#include "labs/harness/core/trace_event.h"
#include "rrr/base/logging.h"
#include "rrr/net/transport.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/reactor.h"

namespace janus {
namespace harness {

ClusterBase::ClusterBase(int n, ErasedFactory make, ClusterOptions options)
    : make_(std::move(make)), first_id_(options.first_id), net_(std::move(options.network)) {
  verify_msg(n > 0, "Cluster needs at least one node");
  rrr::Transport* transport = rrr::Transport::Default();
  if (net_ == nullptr) {
    net_ = FaultyNetwork::Install(transport);
    owns_net_ = true;
    transport_ = transport;
  }
  const bool sim = std::string(transport->name()) == "sim";
  slots_.resize(n);
  for (int i = 0; i < n; i++) {
    slots_[i].name = options.name_prefix + std::to_string(i);
    slots_[i].persister = std::make_shared<MemoryPersister>();
    if (sim) {
      addrs_.push_back(slots_[i].name + ":" + std::to_string(1000 + NodeId(i)));
    } else {
      const int port = PickFreeTcpPort();
      verify_msg(port > 0, "Cluster: no free loopback TCP port");
      addrs_.push_back("127.0.0.1:" + std::to_string(port));
    }
  }
  Log_debug("cluster: %d nodes on the %s transport", n, transport->name());
  for (int i = 0; i < n; i++) Build(i);
}

ClusterBase::~ClusterBase() {
  for (int i = 0; i < n(); i++) Crash(i);
  if (owns_net_) {
    static_cast<rrr::Transport*>(transport_)->SetPolicy(nullptr);
  }
}

void ClusterBase::Build(int i) {
  Slot& s = slots_[i];
  s.context = rrr::NodeContext::Create(NodeId(i), s.name);
  if (StructuredTrace()) {
    TraceEvent("node").Int("node", NodeId(i)).Str("name", s.name).Str("kind", "server").Emit();
  }
  try {
    rrr::NodeScope scope(s.context.get());
    s.object = make_(i, s.persister.get(), addrs_);
    if (s.object == nullptr) ADD_FAILURE() << "the factory of node " << s.name << " returned null";
  } catch (const std::exception& e) {
    ADD_FAILURE() << "building node " << s.name << " failed: " << e.what();
  }
  if (s.object == nullptr) {
    s.context->Cancel();
    s.context.reset();
  }
}

void ClusterBase::Crash(int i) {
  Slot& s = slots_[i];
  if (s.object == nullptr) return;
  verify_msg(rrr::Coroutine::Current() == nullptr ||
                 rrr::Coroutine::Current()->node() != s.context.get(),
             "Cluster::Crash(i) called from a coroutine of node i");
  Log_debug("cluster: crash %s", s.name.c_str());
  if (StructuredTrace()) TraceEvent("crash").Int("node", NodeId(i)).Emit();
  net_->Disconnect(NodeId(i));
  net_->NodeCrashed(NodeId(i));
  s.context->Cancel();
  {
    rrr::NodeScope scope(s.context.get());
    s.object.reset();
  }
  s.context.reset();
}

void ClusterBase::Restart(int i) {
  Slot& s = slots_[i];
  verify_msg(s.object == nullptr, "Cluster::Restart of a node that is up (Crash it first)");
  // The new incarnation gets a copy: nothing the old one did can reach it any more.
  s.persister = s.persister->Copy();
  s.restarts++;
  Log_debug("cluster: restart %s (restart #%d)", s.name.c_str(), s.restarts);
  if (StructuredTrace()) TraceEvent("restart").Int("node", NodeId(i)).Emit();
  Build(i);
}

void ClusterBase::Connect(int i) {
  slot(i);  // range check
  net_->Connect(NodeId(i));
}

void ClusterBase::Disconnect(int i) {
  slot(i);
  net_->Disconnect(NodeId(i));
}

bool ClusterBase::IsConnected(int i) const {
  slot(i);
  return net_->IsConnected(NodeId(i));
}

void ClusterBase::Partition(const std::vector<std::vector<int>>& groups) {
  std::vector<std::vector<int>> ids;
  for (const auto& g : groups) {
    ids.emplace_back();
    for (int i : g) {
      slot(i);  // range check
      ids.back().push_back(NodeId(i));
    }
  }
  net_->Partition(ids);
}

void ClusterBase::Heal() { net_->Heal(); }

std::shared_ptr<rrr::NodeContext> ClusterBase::NewClientContext(const std::string& name) {
  const int id = first_id_ + 1000 + next_client_++;
  if (StructuredTrace()) {
    TraceEvent("node").Int("node", id).Str("name", name).Str("kind", "client").Emit();
  }
  return rrr::NodeContext::Create(id, name);
}

}  // namespace harness
}  // namespace janus
