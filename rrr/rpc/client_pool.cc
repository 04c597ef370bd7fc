#include "rrr/rpc/client_pool.h"

#include "rrr/reactor/node.h"

namespace rrr {

ClientPool::ClientPool(Transport* transport)
    : transport_(transport != nullptr ? transport : Transport::Default()) {
  NodeContext* node = NodeContext::Current();
  if (node != nullptr) node_ = node->shared_from_this();
}

ClientPool::~ClientPool() = default;

Client* ClientPool::GetClient(const std::string& addr) {
  auto it = clients_.find(addr);
  if (it != clients_.end() && it->second->connected()) return it->second.get();
  NodeScope scope(node_.get());
  if (it == clients_.end()) {
    it = clients_.emplace(addr, std::make_unique<Client>(transport_)).first;
  }
  Client* client = it->second.get();
  return client->Connect(addr) == 0 ? client : nullptr;
}

void ClientPool::CloseAll() {
  for (auto& kv : clients_) kv.second->Close();
}

}  // namespace rrr
