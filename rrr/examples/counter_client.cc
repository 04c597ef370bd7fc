// counter_client: calls a running counter_server.
//
//   counter_client <host:port> [writer-name]
//
// Shows the three ways to call an RPC through the generated CounterProxy:
//   - the waiting call  `int ec = proxy.Add(..., &value);`  (inside a coroutine),
//   - the async call    `rrr::FuturePtr f = proxy.async_Echo(..., attr);` then f->Wait(),
//   - a timeout         `attr.timeout_us`, which fails the call with rrr::kErrTimeout.
// Every call returns an error code: rrr::kOk (0) or one of rrr/rpc/errors.h; always check it,
// a distributed system fails in ways a local call never does.
#include <cstdio>
#include <string>

#include "counter.h"  // generated from counter.rpc: CounterProxy, CounterState
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/reactor.h"
#include "rrr/rpc/rpc.h"

namespace {

// Prints a failed call and returns false.
bool Ok(const char* what, int ec) {
  if (ec != rrr::kOk) fprintf(stderr, "%s failed: %s\n", what, rrr::ErrorString(ec));
  return ec == rrr::kOk;
}

// The client's work. Waiting calls suspend the current coroutine until the reply arrives, so
// this function must run inside one (see main).
bool Talk(example::CounterProxy& proxy, const std::string& writer) {
  // Waiting calls: inputs by value or reference, outputs through pointers.
  int64_t value = 0;
  if (!Ok("Add", proxy.Add(writer, 5, &value))) return false;
  printf("Add(5) -> %lld\n", static_cast<long long>(value));
  if (!Ok("Add", proxy.Add(writer, -2, &value))) return false;
  printf("Add(-2) -> %lld\n", static_cast<long long>(value));

  example::CounterState state;
  if (!Ok("Get", proxy.Get(&state))) return false;
  printf("Get -> value %lld after %llu adds, last by '%s'\n", static_cast<long long>(state.value),
         static_cast<unsigned long long>(state.adds), state.last_writer.c_str());

  // Async calls: send several requests, then wait. They run concurrently on the server, so the
  // total time is that of the slowest one, not the sum.
  rrr::FuturePtr slow = proxy.async_Echo("slow", 20 * 1000);
  rrr::FuturePtr fast = proxy.async_Echo("fast", 1 * 1000);
  slow->Wait();
  fast->Wait();
  for (const rrr::FuturePtr& f : {slow, fast}) {
    // The error code and the outputs of a finished call in one struct (never throws).
    example::CounterProxy::EchoReply r = example::CounterProxy::DecodeEcho(f);
    if (!Ok("Echo", r.error_code)) return false;
    printf("Echo -> '%s'\n", r.echoed.c_str());
  }

  // A timeout: the server would answer after 1 s, the client gives up after 50 ms.
  rrr::FutureAttr attr;
  attr.timeout_us = 50 * 1000;
  rrr::FuturePtr late = proxy.async_Echo("too late", 1000 * 1000, attr);
  late->Wait();
  printf("Echo with a 50 ms timeout -> %s\n", rrr::ErrorString(late->get_error_code()));
  return late->get_error_code() == rrr::kErrTimeout;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: counter_client <host:port> [writer-name]\n");
    return 2;
  }
  std::shared_ptr<rrr::Reactor> reactor = rrr::Reactor::Create();  // real time: TCP

  // One rrr::Client is one connection; a proxy wraps a client for one service.
  rrr::Client client;
  int err = client.Connect(argv[1]);
  if (err != 0) {
    fprintf(stderr, "cannot connect to %s: %s\n", argv[1], rrr::ErrorString(err));
    return 1;
  }
  example::CounterProxy proxy(&client);

  // Run Talk in a coroutine, and run the reactor (which delivers the replies) until it ends.
  bool done = false, ok = false;
  rrr::Coroutine::CreateRun([&]() {
    ok = Talk(proxy, argc > 2 ? argv[2] : "client");
    done = true;
  });
  if (!reactor->RunUntil([&]() { return done; }, 10 * 1000 * 1000)) {
    fprintf(stderr, "counter_client: no answer within 10 s\n");
    return 1;
  }
  return ok ? 0 : 1;
}
