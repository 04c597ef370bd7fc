// Lab 2: definitions shared by the key/value clerk and server.
#pragma once

#include <cstdint>

namespace janus {

// The outcome of a request, sent as the `err` output of every KvService method (kv_rpc.rpc).
enum class KvErr : int32_t {
  OK = 0,              // done
  ErrNoKey = 1,        // Get of a key that has no value (the value returned is "")
  ErrWrongLeader = 2,  // this server is not the leader, or lost leadership before the request
                       // committed: try another server
  ErrTimeout = 3,      // the request did not commit in time (e.g. the leader is in a minority):
                       // try another server
};

// "OK", "ErrNoKey", "ErrWrongLeader", "ErrTimeout" or "Err?" for anything else.
inline const char* KvErrName(int32_t err) {
  switch (static_cast<KvErr>(err)) {
    case KvErr::OK:
      return "OK";
    case KvErr::ErrNoKey:
      return "ErrNoKey";
    case KvErr::ErrWrongLeader:
      return "ErrWrongLeader";
    case KvErr::ErrTimeout:
      return "ErrTimeout";
  }
  return "Err?";
}

}  // namespace janus
