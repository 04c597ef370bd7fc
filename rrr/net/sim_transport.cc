#include "rrr/net/sim_transport.h"

#include <errno.h>

#include "rrr/base/logging.h"
#include "rrr/base/verify.h"
#include "rrr/net/frame.h"

namespace rrr {

// One end of a simulated connection. A frame is copied once into a string that a reactor timer
// hands to the peer end after the transport's latency plus the policy's extra delay.
class SimConnection : public Connection {
 public:
  SimConnection(SimTransport* t, int local_node, int remote_node, bool outbound)
      : Connection(t, local_node, remote_node, outbound), sim_(t) {}

  // Dropping the last reference without Close() still tells the peer, like closing a socket.
  ~SimConnection() override {
    if (!closed_) NotifyPeerClosed(peer_);
  }

  void Link(const std::shared_ptr<SimConnection>& peer) { peer_ = peer; }

  void Send(std::string_view head, std::string_view body) override {
    if (closed_) return;
    size_t n = head.size() + body.size();
    verify(n <= kMaxFrameBytes);
    FrameFate fate = DecideSend(head, body);
    if (fate.drop) {
      ReportDrop(fate, head, body);
      return;
    }
    std::string frame;
    frame.reserve(n);
    frame.append(head).append(body);
    const uint64_t delay = sim_->latency_us_ + fate.extra_delay_us;
    std::string copy = fate.duplicate ? frame : std::string();
    DeliverLater(delay, std::move(frame));
    if (fate.duplicate) DeliverLater(delay + fate.duplicate_delay_us, std::move(copy));
  }

  void Close() override {
    if (closed_) return;
    MarkClosed(false);
    NotifyPeerClosed(peer_);
  }

 private:
  void NotifyPeerClosed(const std::weak_ptr<SimConnection>& peer) {
    AddTransportTimer(sim_->latency_us_, [peer]() {
      auto p = peer.lock();
      if (p && !p->closed_) {
        p->MarkClosed(true);
      }
    });
  }

  // Hands `frame` to the peer end after delay_us (if it is still open and the policy agrees).
  void DeliverLater(uint64_t delay_us, std::string frame) {
    std::weak_ptr<SimConnection> peer = peer_;
    AddTransportTimer(delay_us, [peer, frame = std::move(frame)]() mutable {
      auto p = peer.lock();
      if (p && !p->closed_ && p->CheckDeliver(frame)) p->DeliverFrame(std::move(frame));
    });
  }

  SimTransport* sim_;
  std::weak_ptr<SimConnection> peer_;
};

class SimListener : public Listener {
 public:
  SimListener(SimTransport* t, const std::string& addr, int port, int local_node,
              Transport::AcceptHandler on_accept)
      : sim_(t), local_node_(local_node), on_accept_(std::move(on_accept)) {
    addr_ = addr;
    port_ = port;
    sim_->listeners_[addr_] = this;
  }
  ~SimListener() override { Close(); }

  void Close() override {
    if (!open_) return;
    open_ = false;
    if (sim_ != nullptr) sim_->listeners_.erase(addr_);
  }
  // The transport is going away.
  void Detach() {
    open_ = false;
    sim_ = nullptr;
  }

  // Makes both ends, hands the server end to the accept handler and returns the client end.
  ConnectionPtr Accept(int client_node) {
    auto client = std::make_shared<SimConnection>(sim_, client_node, local_node_, true);
    auto server = std::make_shared<SimConnection>(sim_, local_node_, client_node, false);
    client->Link(server);
    server->Link(client);
    on_accept_(server);
    return client;
  }

 private:
  SimTransport* sim_;
  int local_node_;
  Transport::AcceptHandler on_accept_;
  bool open_ = true;
};

SimTransport::SimTransport() = default;

SimTransport::~SimTransport() {
  // Listeners normally die first; make any survivor forget this transport.
  for (auto& kv : listeners_) kv.second->Detach();
}

int SimTransport::Listen(const std::string& addr, int local_node, AcceptHandler on_accept,
                         std::unique_ptr<Listener>* listener) {
  std::string host;
  int port = 0;
  if (!SplitHostPort(addr, &host, &port)) return EINVAL;
  if (port == 0) {
    do {
      port = next_port_++;
    } while (listeners_.count(host + ":" + std::to_string(port)) > 0);
  }
  std::string bound = host + ":" + std::to_string(port);
  if (listeners_.count(bound) > 0) return EADDRINUSE;
  *listener = std::make_unique<SimListener>(this, bound, port, local_node, std::move(on_accept));
  return 0;
}

int SimTransport::Connect(const std::string& addr, int local_node, ConnectionPtr* conn) {
  std::string host;
  int port = 0;
  if (!SplitHostPort(addr, &host, &port)) return EINVAL;
  auto it = listeners_.find(host + ":" + std::to_string(port));
  if (it == listeners_.end()) return ECONNREFUSED;
  *conn = it->second->Accept(local_node);
  return 0;
}

}  // namespace rrr
