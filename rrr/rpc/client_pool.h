// rrr::ClientPool: a cache of Clients by address.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "rrr/net/transport.h"
#include "rrr/rpc/client.h"

namespace rrr {

class ClientPool {
 public:
  // Clients are made on `transport` (nullptr: Transport::Default()) for the node current now.
  explicit ClientPool(Transport* transport = nullptr);
  // Closes every client (their pending futures fail with kErrNotConnected).
  ~ClientPool();
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  // Returns the client for `addr`, connecting it on first use and reconnecting it if its
  // connection was lost. Returns nullptr if connecting fails (try again later). The pointer
  // stays valid until the pool is destroyed.
  Client* GetClient(const std::string& addr);
  // Closes every cached client (they reconnect on the next GetClient).
  void CloseAll();

 private:
  Transport* transport_;
  std::shared_ptr<NodeContext> node_;
  std::map<std::string, std::unique_ptr<Client>> clients_;
};

}  // namespace rrr
