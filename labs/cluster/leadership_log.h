// The leadership log lines of cluster-mode sites ("site kv1: leader in term 3", "site kv1:
// follower in term 4"), at info level on stderr: how people and tests (test/cluster/) tell which
// site of a partition leads. Used by every lab site of labs/cluster/.
#pragma once

#include <memory>
#include <string>

#include "labs/raft/server.h"

namespace janus {

// Starts a coroutine (of the current node) that polls `raft`'s state every 50 ms and logs, for
// site `name`, each time it becomes leader (or leads in a new term) and each time it stops. The
// coroutine ends when *alive turns false or the node is cancelled; `raft` must outlive both.
void WatchLeadership(const std::string& name, RaftServer* raft, std::shared_ptr<bool> alive);

}  // namespace janus
