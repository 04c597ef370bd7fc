#include "rrr/rpc/errors.h"

#include <cstring>

namespace rrr {

const char* ErrorString(int code) {
  switch (code) {
    case kOk: return "ok";
    case kErrNoMethod: return "no such method";
    case kErrBadRequest: return "bad request (arguments did not decode)";
    case kErrBadReply: return "bad reply (outputs did not decode)";
    case kErrNotConnected: return "not connected";
    case kErrShutdown: return "server shut down the request";
    case kErrTimeout: return "timed out";
    case kErrUnreachable: return "server unreachable (request dropped by the network)";
    default: break;
  }
  if (code > 0 && code < 4096) return strerror(code);
  return "unknown error";
}

}  // namespace rrr
