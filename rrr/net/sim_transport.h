// Simulated transport: connections inside one process and one reactor. A frame is copied once
// (the same marshalled bytes a socket would carry) and handed to the receiver by a reactor
// timer after latency_us (plus the policy's extra delay), so it runs in virtual time and is
// deterministic: frames with equal delivery times arrive in send order.
//
// Addresses are any "host:port" strings; port 0 makes the transport pick a fake port (from
// 10000 upwards, in allocation order).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "rrr/net/transport.h"

namespace rrr {

class SimListener;

class SimTransport : public Transport {
 public:
  // Default one-way latency of a frame: 100 us (virtual when the reactor runs virtual time).
  static constexpr uint64_t kDefaultLatencyUs = 100;

  // Uses the calling thread's current reactor, which must outlive the transport.
  SimTransport();
  ~SimTransport() override;

  int Listen(const std::string& addr, int local_node, AcceptHandler on_accept,
             std::unique_ptr<Listener>* listener) override;
  // Succeeds at once when a listener is bound to `addr` (the accept handler runs inside this
  // call); ECONNREFUSED otherwise.
  int Connect(const std::string& addr, int local_node, ConnectionPtr* conn) override;
  const char* name() const override { return "sim"; }

  // One-way latency added to every frame and to close notifications.
  void set_latency_us(uint64_t us) { latency_us_ = us; }
  uint64_t latency_us() const { return latency_us_; }

 private:
  friend class SimListener;
  friend class SimConnection;

  uint64_t latency_us_ = kDefaultLatencyUs;
  int next_port_ = 10000;
  std::map<std::string, SimListener*> listeners_;  // bound address -> listener
};

}  // namespace rrr
