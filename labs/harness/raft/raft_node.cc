#include "labs/harness/raft/raft_node.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "labs/harness/core/note.h"
#include "rrr/reactor/node.h"

namespace janus {
namespace {

// A short text of an applied command for the trace: its marshalled bytes with the
// non-printable ones left out at the start and shown as '.' after, at most 60 of them.
std::string CommandText(const std::shared_ptr<Marshallable>& cmd) {
  if (cmd == nullptr) return "(none)";
  rrr::Marshal m;
  try {
    cmd->ToMarshal(m);
  } catch (const std::exception&) {
    return "kind " + std::to_string(cmd->kind_);
  }
  std::string text;
  for (size_t i = 0; i < m.ContentSize() && text.size() < 60; i++) {
    const char c = m.data()[i];
    const bool printable = c >= 0x20 && c < 0x7f;
    if (printable || !text.empty()) text += printable ? c : '.';
  }
  return text.empty() ? "kind " + std::to_string(cmd->kind_) : text;
}

}  // namespace

RaftNode::RaftNode(std::shared_ptr<const Config> config, int site_id, Persister* persister,
                   RaftApplyCallback apply, RaftSnapshotCallback snapshot)
    : config_(std::move(config)) {
  const std::string address = config_->Site(site_id).Address();
  rpc_server_ = std::make_unique<rrr::Server>();
  commo_ = std::make_unique<RaftCommo>(site_id, config_);
  raft_ = std::make_unique<RaftServer>(commo_.get(), persister);
  service_ = std::make_unique<RaftServiceImpl>(raft_.get());
  rpc_server_->RegisterService(service_.get());
  if (rpc_server_->Listen(address) != 0) {
    throw std::runtime_error("raft node " + std::to_string(site_id) + " cannot listen on " +
                             address);
  }
  // The trace records every applied entry (node, index, command) before the service sees it.
  raft_->SetApplyCallback([apply = std::move(apply)](uint64_t index,
                                                     std::shared_ptr<Marshallable> cmd) {
    if (harness::NotesOn()) harness::NoteApply(index, CommandText(cmd));
    apply(index, std::move(cmd));
  });
  if (snapshot) raft_->SetSnapshotCallback(std::move(snapshot));
  // A node that fails to start is a crashed node (rrr/reactor/node.h).
  rrr::CancelNodeIfStartThrows([&] { raft_->Setup(); });
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
