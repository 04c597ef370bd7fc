// SOLUTION FILE: instructor-only (students add their own methods to the .rpc files of
// shardkv and txn, which these service classes could not follow).
// libFuzzer target for RPC argument decoding through the generated stubs (issue 14): requests
// with arbitrary argument bytes, for every method of every lab service (labs/*/*.rpc, compiled
// by rpcgen) and for unknown method ids, sent by a real rrr::Client to a real rrr::Server on the
// simulated transport. The services behind the generated decoding reply at once
// (rpc_args_services.h), so what is fuzzed is the decoding of the arguments, the server's
// handling of a decoding error, and the connection staying usable.
//
// Input: records [selector byte][length, u16 LE][argument bytes]. Selector 255 means an unknown
// method id (0xfeed0000 | length); otherwise it picks AllMethodIds()[selector % count].
//
// Checks, per record: a reply arrives (no crash, abort or hang); it is kOk (the arguments
// decoded) or kErrBadRequest (they did not) for a known method, kErrNoMethod for an unknown id;
// the same client connection serves every later record. RPC_ARGS_FUZZ_VERBOSE=1 in the
// environment prints each record's method id and reply code.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "rrr/base/logging.h"
#include "rrr/marshal/buffer.h"
#include "rrr/reactor/reactor.h"
#include "rrr/rpc/client.h"
#include "rrr/rpc/errors.h"
#include "rrr/rpc/future.h"
#include "rrr/rpc/server.h"
#include "test/fuzz/rpc_args_services.h"

namespace {

using janus::fuzz_services::AllMethodIds;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "rpc_args_fuzz: %s\n", what.c_str());
  std::abort();
}

struct World {
  std::shared_ptr<rrr::Reactor> reactor;
  std::unique_ptr<rrr::Server> server;
  std::unique_ptr<rrr::Client> client;
  janus::fuzz_services::FuzzRaftService raft;
  janus::fuzz_services::FuzzKvService kv;
  janus::fuzz_services::FuzzShardMasterService shardmaster;
  janus::fuzz_services::FuzzShardKvService shardkv;
  janus::fuzz_services::FuzzTxnService txn;
};

World& TheWorld() {
  static World* w = [] {
    auto* world = new World;
    rrr::Log::SetLevel(rrr::LogLevel::kFatal);  // bad requests are expected; keep quiet
    rrr::ReactorOptions opts;
    opts.virtual_time = true;  // the sim transport
    opts.seed = 1;
    world->reactor = rrr::Reactor::Create(opts);
    world->server = std::make_unique<rrr::Server>();
    for (rrr::Service* s : std::initializer_list<rrr::Service*>{
             &world->raft, &world->kv, &world->shardmaster, &world->shardkv, &world->txn}) {
      world->server->RegisterService(s);
    }
    if (world->server->Listen("server:0") != 0) Fail("cannot listen");
    world->client = std::make_unique<rrr::Client>();
    if (world->client->Connect(world->server->addr()) != 0) Fail("cannot connect");
    return world;
  }();
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = TheWorld();
  const std::vector<uint32_t>& ids = AllMethodIds();
  size_t pos = 0;
  while (pos + 3 <= size) {
    const uint8_t selector = data[pos];
    size_t len = data[pos + 1] | (size_t{data[pos + 2]} << 8);
    pos += 3;
    len = std::min(len, size - pos);
    const bool unknown = selector == 255;
    const uint32_t id = unknown ? 0xfeed0000u | static_cast<uint32_t>(len)
                                : ids[selector % ids.size()];
    if (unknown && std::find(ids.begin(), ids.end(), id) != ids.end()) Fail("id collision");
    rrr::Marshal args;
    args.Write(data + pos, len);
    pos += len;
    rrr::FuturePtr f = w.client->Call(id, args);
    if (!w.reactor->RunUntil([&] { return f->ready(); }, 60ull * 1000 * 1000)) {
      Fail("no reply within 60 s of virtual time");
    }
    const int code = f->get_error_code();
    static const bool verbose = std::getenv("RPC_ARGS_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "method %08x, %zu bytes: code %d\n", id, len, code);
    const bool expected = unknown ? code == rrr::kErrNoMethod
                                  : code == rrr::kOk || code == rrr::kErrBadRequest;
    if (!expected) {
      Fail("method 0x" + std::to_string(id) + ": reply code " + std::to_string(code));
    }
  }
  return 0;
}
