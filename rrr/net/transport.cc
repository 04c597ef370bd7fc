#include "rrr/net/transport.h"

#include <cstdlib>

#include "rrr/base/logging.h"
#include "rrr/net/sim_transport.h"
#include "rrr/net/tcp_transport.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace rrr {

void Connection::SetHandlers(FrameHandler on_frame, CloseHandler on_close) {
  on_frame_ = std::move(on_frame);
  on_close_ = std::move(on_close);
}

void Connection::SetDropHandler(DropHandler on_drop) { on_drop_ = std::move(on_drop); }

void Connection::ClearHandlers() {
  // Moving out first keeps a handler that calls this from destroying itself mid-call.
  FrameHandler f = std::move(on_frame_);
  CloseHandler c = std::move(on_close_);
  DropHandler d = std::move(on_drop_);
  on_frame_ = nullptr;
  on_close_ = nullptr;
  on_drop_ = nullptr;
}

void Connection::AddTransportTimer(uint64_t delay_us, std::function<void()> fn) {
  transport_->AddTransportTimer(delay_us, std::move(fn));
}

FrameFate Connection::DecideSend(std::string_view head, std::string_view body) {
  const size_t bytes = head.size() + body.size();
  if (counters_ == nullptr) counters_ = transport_->MutableCounters(local_node_);
  NodeCounters* c = counters_;
  if (outbound_) {
    c->rpcs_sent++;
  } else {
    c->replies_sent++;
  }
  c->bytes_sent += bytes;
  FrameFate fate;
  if (NetPolicy* p = transport_->policy()) {
    fate = p->DecideFrame(local_node_, remote_node_, !outbound_, head, body);
    if (fate.drop) c->frames_dropped++;
  }
  return fate;
}

void Connection::ReportDrop(const FrameFate& fate, std::string_view head, std::string_view body) {
  if (!fate.drop || !fate.notify_sender || !on_drop_) return;
  std::string frame;
  frame.reserve(head.size() + body.size());
  frame.append(head).append(body);
  std::weak_ptr<Connection> weak = shared_from_this();
  AddTransportTimer(fate.fail_after_us, [weak, frame = std::move(frame)]() mutable {
    ConnectionPtr self = weak.lock();
    if (self == nullptr || self->closed_ || !self->on_drop_) return;
    // A copy, so that the handler may clear the handlers or close the connection while it runs.
    DropHandler handler = self->on_drop_;
    handler(std::move(frame));
  });
}

bool Connection::CheckDeliver(std::string_view frame) {
  NetPolicy* p = transport_->policy();
  if (p == nullptr || p->DeliverableFrame(remote_node_, local_node_, outbound_, frame)) {
    return true;
  }
  transport_->MutableCounters(remote_node_)->frames_dropped++;
  return false;
}

void Connection::DeliverFrame(std::string&& frame) {
  if (closed_ || !on_frame_) return;
  // A copy, so that the handler may clear or replace the handlers while it runs.
  FrameHandler handler = on_frame_;
  handler(std::move(frame));
}

void Connection::MarkClosed(bool notify) {
  if (closed_) return;
  closed_ = true;
  on_frame_ = nullptr;
  on_drop_ = nullptr;
  CloseHandler handler = std::move(on_close_);
  on_close_ = nullptr;
  if (notify && handler) handler();
}

namespace {
const char kDefaultTransportKey[] = "rrr.net.default_transport";
}  // namespace

Transport::Transport() : reactor_(Reactor::GetReactor()) {}

void Transport::AddTransportTimer(uint64_t delay_us, std::function<void()> fn) {
  NodeScope no_node(nullptr);
  reactor_->AddTimer(delay_us, std::move(fn));
}

Transport* Transport::Default() {
  Reactor* r = Reactor::GetReactor();
  std::shared_ptr<void> slot = r->GetAttachment(kDefaultTransportKey);
  if (slot) return static_cast<Transport*>(slot.get());
  std::shared_ptr<Transport> t;
  if (r->virtual_time()) {
    t = std::make_shared<SimTransport>();
  } else {
    t = std::make_shared<TcpTransport>();
  }
  r->SetAttachment(kDefaultTransportKey, t);
  return t.get();
}

void Transport::SetDefault(std::shared_ptr<Transport> transport) {
  Reactor::GetReactor()->SetAttachment(kDefaultTransportKey, std::move(transport));
}

NodeCounters Transport::Counters(int node) const {
  auto it = counters_.find(node);
  return it == counters_.end() ? NodeCounters{} : it->second;
}

void Transport::ResetCounters() {
  for (auto& kv : counters_) kv.second = NodeCounters{};
}

bool SplitHostPort(const std::string& addr, std::string* host, int* port) {
  size_t colon = addr.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= addr.size()) return false;
  const std::string digits = addr.substr(colon + 1);
  if (digits.size() > 5) return false;
  int p = 0;
  for (char ch : digits) {
    if (ch < '0' || ch > '9') return false;
    p = p * 10 + (ch - '0');
  }
  if (p > 65535) return false;
  *host = addr.substr(0, colon);
  *port = p;
  return true;
}

}  // namespace rrr
