#include "labs/txn/common.h"

namespace janus {

const char* ConcurrencyName(Concurrency c) { return c == Concurrency::k2pl ? "2pl" : "occ"; }

bool ParseConcurrency(const std::string& text, Concurrency* c) {
  if (text == "occ") {
    *c = Concurrency::kOcc;
  } else if (text == "2pl") {
    *c = Concurrency::k2pl;
  } else {
    return false;
  }
  return true;
}

}  // namespace janus
