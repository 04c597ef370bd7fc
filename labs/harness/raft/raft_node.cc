#include "labs/harness/raft/raft_node.h"

#include <stdexcept>

namespace janus {

std::shared_ptr<Config> ConfigFromAddrs(const std::string& lab,
                                        const std::vector<std::string>& addrs) {
  std::string yaml = "lab: " + lab + "\npartitions:\n  - name: p0\n    sites:\n";
  for (size_t i = 0; i < addrs.size(); i++) {
    size_t colon = addrs[i].rfind(':');
    if (colon == std::string::npos) throw ConfigError("bad address: " + addrs[i]);
    yaml += "      - {name: s" + std::to_string(i) + ", host: \"" + addrs[i].substr(0, colon) +
            "\", port: " + addrs[i].substr(colon + 1) + "}\n";
  }
  return std::make_shared<Config>(Config::LoadString(yaml, "<" + lab + " cluster>"));
}

RaftNode::RaftNode(int index, Persister* persister, const std::vector<std::string>& addrs,
                   RaftApplyCallback apply)
    : config_(ConfigFromAddrs("raft", addrs)) {
  rpc_server_ = std::make_unique<rrr::Server>();
  commo_ = std::make_unique<RaftCommo>(index, config_);
  raft_ = std::make_unique<RaftServer>(commo_.get(), persister);
  service_ = std::make_unique<RaftServiceImpl>(raft_.get());
  rpc_server_->RegisterService(service_.get());
  if (rpc_server_->Listen(addrs[index]) != 0) {
    throw std::runtime_error("raft node " + std::to_string(index) + " cannot listen on " +
                             addrs[index]);
  }
  raft_->SetApplyCallback(std::move(apply));
  raft_->Setup();
}

RaftNode::~RaftNode() {
  // Stop serving first, then stop Raft, then drop the connections.
  rpc_server_.reset();
  raft_->Shutdown();
  service_.reset();
  raft_.reset();
  commo_.reset();
}

}  // namespace janus
