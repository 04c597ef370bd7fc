#include "labs/cluster/leadership_log.h"

#include "rrr/base/logging.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

void WatchLeadership(const std::string& name, RaftServer* raft, std::shared_ptr<bool> alive) {
  rrr::Coroutine::CreateRun([name, raft, alive] {
    bool was_leader = false;
    uint64_t led_term = 0;
    while (*alive) {
      bool leader = false;
      uint64_t term = 0;
      raft->GetState(&leader, &term);
      if (leader && (!was_leader || term != led_term)) {
        Log_info("site %s: leader in term %llu", name.c_str(),
                 static_cast<unsigned long long>(term));
        led_term = term;
      } else if (!leader && was_leader) {
        Log_info("site %s: follower in term %llu", name.c_str(),
                 static_cast<unsigned long long>(term));
      }
      was_leader = leader;
      rrr::Coroutine::Sleep(50 * 1000);
    }
  });
}

}  // namespace janus
