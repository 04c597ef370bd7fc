// SOLUTION FILE
#include "labs/txn/server.h"

namespace janus {}  // namespace janus
