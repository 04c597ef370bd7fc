#include "deptran/communicator.h"

#include "rrr/base/logging.h"
#include "rrr/base/verify.h"
#include "rrr/net/transport.h"
#include "rrr/reactor/node.h"
#include "rrr/rpc/errors.h"

namespace janus {

Communicator::Communicator(int site_id, std::shared_ptr<const Config> config,
                           rrr::Transport* transport)
    : site_id_(site_id), config_(std::move(config)) {
  verify(config_ != nullptr);
  verify(site_id >= 0 && site_id < config_->NumSites());
  partition_id_ = config_->Site(site_id).partition_id;
  transport_ = transport != nullptr ? transport : rrr::Transport::Default();
  if (rrr::NodeContext* node = rrr::NodeContext::Current()) {
    node_ = node->shared_from_this();
    has_node_ = true;
  }
}

Communicator::~Communicator() {
  // Proxies hold Client pointers: free them first, then close and free the clients.
  proxies_.clear();
  CloseAll();
  clients_.clear();
}

std::vector<int> Communicator::PeerIds() const {
  std::vector<int> peers;
  for (int id : config_->Partition(partition_id_).site_ids) {
    if (id != site_id_) peers.push_back(id);
  }
  return peers;
}

std::vector<int> Communicator::SiteIdsOf(int partition_id) const {
  return config_->SitesOfPartition(partition_id);
}

rrr::Client* Communicator::GetClient(int site_id) {
  verify(site_id >= 0 && site_id < config_->NumSites());
  std::shared_ptr<rrr::NodeContext> node = node_.lock();
  // Clients (and the connections they open) belong to the owner node, whoever calls.
  rrr::NodeScope scope(has_node_ ? node.get() : rrr::NodeContext::Current());
  std::unique_ptr<rrr::Client>& client = clients_[site_id];
  if (!client) client = std::make_unique<rrr::Client>(transport_);
  if (!client->connected()) {
    const SiteInfo& site = config_->Site(site_id);
    int rc = client->Connect(site.Address());
    if (rc == 0) {
      connects_++;
    } else {
      Log_debug("communicator: site %d cannot connect to site %d (%s) at %s: %s", site_id_,
                site_id, site.name.c_str(), site.Address().c_str(), rrr::ErrorString(rc));
    }
  }
  return client.get();
}

void Communicator::CloseAll() {
  for (auto& kv : clients_) kv.second->Close();
}

}  // namespace janus
