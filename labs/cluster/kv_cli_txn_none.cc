// kv_cli_txn.h for a build without lab txn (labs/cluster/CMakeLists.txt picks this file when the
// targets lab_txn or txn_node do not exist): kv_cli then refuses configs of lab txn.
#include "labs/cluster/kv_cli_txn.h"

#include "deptran/launcher.h"

namespace janus {

std::unique_ptr<KvCliSession> OpenTxnSession(const Config& config, const std::string&) {
  throw LaunchError(config.source() + ": lab 'txn': this kv_cli was built without lab txn");
}

int RunTxBench(KvCliSession&, const TxBenchOptions&, uint64_t) { return kExitBadInput; }

bool TxnShell::Handle(KvCliSession&, const std::vector<std::string>&, uint64_t, int*,
                      std::string*) {
  return false;
}

}  // namespace janus
