// counter_server: serves the Counter service of counter.rpc over TCP.
//
//   counter_server [host:port]        default 127.0.0.1:0 (0 = any free port)
//
// Prints "listening on <host:port>" once ready, then serves until killed. Try it with
// counter_client (counter_client.cc) in another terminal.
//
// The four steps of every rrr server:
//   1. a Reactor for this thread (the event loop that runs coroutines, timers and sockets),
//   2. an rrr::Server, with each service registered on it,
//   3. Listen on an address,
//   4. run the reactor's loop: every request then runs as a coroutine on this thread.
#include <cstdio>
#include <string>

#include "rrr/examples/counter_impl.h"
#include "rrr/reactor/reactor.h"
#include "rrr/rpc/rpc.h"

int main(int argc, char** argv) {
  std::string addr = argc > 1 ? argv[1] : "127.0.0.1:0";

  // 1. Real time (not virtual) makes the default transport TCP.
  std::shared_ptr<rrr::Reactor> reactor = rrr::Reactor::Create();

  // 2. The service object must outlive the server that calls it, so it is declared first
  //    (locals are destroyed in reverse order).
  example::CounterImpl counter;
  rrr::Server server;
  server.RegisterService(&counter);  // registers one handler per method of counter.rpc

  // 3. Port 0 asks the OS for a free port; server.addr() tells which one we got.
  int err = server.Listen(addr);
  if (err != 0) {
    fprintf(stderr, "counter_server: cannot listen on %s: %s\n", addr.c_str(),
            rrr::ErrorString(err));
    return 1;
  }
  printf("listening on %s\n", server.addr().c_str());
  fflush(stdout);

  // 4. Serve forever (until the process is killed).
  reactor->Loop();
  return 0;
}
