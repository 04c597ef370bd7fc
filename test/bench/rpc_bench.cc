// rpc_bench: the rrr RPC stack over tcp loopback against raw blocking sockets on the same
// machine, in one run.
//
//   1. latency: median round trip of a null RPC (empty arguments and reply) vs a raw socket
//      ping-pong of the same wire size (16-byte messages: 4-byte length + 12-byte header);
//   2. throughput: pipelined null RPCs with --window calls outstanding vs a raw pipelined echo
//      of same-size messages with the same window.
//
// Each side runs its own thread: the RPC server thread has its own real-time reactor; the
// client runs on the main thread's reactor. The raw echo peer is a thread with blocking I/O.
// Prints both ratios and whether they meet the targets (RPC median <= 1.5x raw; pipelined RPC
// rate >= 0.2x raw). Exit status 0 unless something failed to run.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "rrr/reactor/event.h"
#include "rrr/rpc/rpc.h"

namespace {

constexpr size_t kMsg = 16;  // wire bytes of a null request or reply frame
constexpr uint32_t kNull = 1;

struct Options {
  int samples = 20000;
  int window = 128;
  double seconds = 3.0;
  bool only_rpc = false;  // skip the raw baselines (for profiling)
};

uint64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double Median(std::vector<uint64_t> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : static_cast<double>(v[v.size() / 2]);
}

// ---- raw sockets ----

int ListenLoopback(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 || listen(fd, 4) != 0) {
    perror("bind/listen");
    exit(1);
  }
  socklen_t len = sizeof(sa);
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  *port = ntohs(sa.sin_port);
  return fd;
}

int ConnectLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    perror("connect");
    exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

bool ReadFull(int fd, char* buf, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, buf, n);
    if (r <= 0) return false;
    buf += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool WriteFull(int fd, const char* buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w <= 0) return false;
    buf += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Echo peer: writes back whatever it reads, as it arrives, until the client closes.
void RawEchoPeer(int listen_fd) {
  int fd = accept(listen_fd, nullptr, nullptr);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  std::vector<char> buf(256 * 1024);
  for (;;) {
    ssize_t r = read(fd, buf.data(), buf.size());
    if (r <= 0 || !WriteFull(fd, buf.data(), static_cast<size_t>(r))) break;
  }
  close(fd);
}

double RawPingPongMedianUs(const Options& o) {
  int port = 0;
  int lfd = ListenLoopback(&port);
  std::thread peer(RawEchoPeer, lfd);
  int fd = ConnectLoopback(port);
  char msg[kMsg] = {};
  std::vector<uint64_t> rtts;
  for (int i = 0; i < o.samples + 1000; i++) {
    uint64_t t0 = NowNs();
    if (!WriteFull(fd, msg, kMsg) || !ReadFull(fd, msg, kMsg)) exit(1);
    if (i >= 1000) rtts.push_back(NowNs() - t0);
  }
  close(fd);
  peer.join();
  close(lfd);
  return Median(rtts) / 1000.0;
}

double RawPipelinedRate(const Options& o) {
  int port = 0;
  int lfd = ListenLoopback(&port);
  std::thread peer(RawEchoPeer, lfd);
  int fd = ConnectLoopback(port);
  std::vector<char> out(kMsg * o.window, 0), in(256 * 1024);
  if (!WriteFull(fd, out.data(), out.size())) exit(1);
  uint64_t received = 0, partial = 0;
  uint64_t start = NowNs(), end = start + static_cast<uint64_t>(o.seconds * 1e9);
  while (NowNs() < end) {
    ssize_t r = read(fd, in.data(), in.size());
    if (r <= 0) exit(1);
    partial += static_cast<uint64_t>(r);
    uint64_t whole = partial / kMsg;
    partial %= kMsg;
    received += whole;
    // Keep `window` messages in flight: one new message per message answered.
    if (!WriteFull(fd, out.data(), whole * kMsg)) exit(1);
  }
  double secs = (NowNs() - start) / 1e9;
  shutdown(fd, SHUT_WR);
  while (read(fd, in.data(), in.size()) > 0) {
  }
  close(fd);
  peer.join();
  close(lfd);
  return received / secs;
}

// ---- rrr rpc ----

struct RpcServerThread {
  std::atomic<int> port{0};
  std::atomic<bool> stop{false};
  std::thread thread;

  void Start() {
    thread = std::thread([this]() {
      auto reactor = rrr::Reactor::Create(rrr::ReactorOptions());
      rrr::Server server;
      server.RegHandler(kNull, [](rrr::Marshal&, rrr::DeferredReply* r) { r->reply(); });
      int p = 0;
      if (server.Listen("127.0.0.1:0", &p) != 0) exit(1);
      port = p;
      reactor->RunUntil([this]() { return stop.load(); }, UINT64_MAX / 2);
    });
    while (port.load() == 0) std::this_thread::yield();
  }
  void Stop() {
    stop = true;
    thread.join();
  }
};

double RpcNullMedianUs(rrr::Reactor* reactor, rrr::Client* client, const Options& o) {
  std::vector<uint64_t> rtts;
  bool done = false;
  rrr::Marshal empty;
  rrr::Coroutine::CreateRun([&]() {
    for (int i = 0; i < o.samples + 1000; i++) {
      uint64_t t0 = NowNs();
      rrr::FuturePtr f = client->Call(kNull, empty);
      f->Wait();
      if (f->get_error_code() != rrr::kOk) exit(1);
      if (i >= 1000) rtts.push_back(NowNs() - t0);
    }
    done = true;
  });
  reactor->RunUntil([&]() { return done; }, 600ull * 1000 * 1000);
  return Median(rtts) / 1000.0;
}

double RpcPipelinedRate(rrr::Reactor* reactor, rrr::Client* client, const Options& o) {
  uint64_t completed = 0;
  bool stopping = false;
  int outstanding = 0;
  rrr::Marshal empty;
  rrr::FutureAttr attr;
  std::function<void()> issue;
  attr.callback = [&](rrr::Future* f) {
    if (f->get_error_code() != rrr::kOk) exit(1);
    completed++;
    outstanding--;
    if (!stopping) issue();
  };
  issue = [&]() {
    outstanding++;
    client->Call(kNull, empty, attr);
  };
  for (int i = 0; i < o.window; i++) issue();
  uint64_t start = NowNs();
  uint64_t run_us = static_cast<uint64_t>(o.seconds * 1e6);
  reactor->RunFor(run_us);
  double secs = (NowNs() - start) / 1e9;
  uint64_t count = completed;
  stopping = true;
  reactor->RunUntil([&]() { return outstanding == 0; }, 10ull * 1000 * 1000);
  return count / secs;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a.rfind("--samples=", 0) == 0) o.samples = atoi(a.c_str() + 10);
    else if (a.rfind("--window=", 0) == 0) o.window = atoi(a.c_str() + 9);
    else if (a.rfind("--seconds=", 0) == 0) o.seconds = atof(a.c_str() + 10);
    else if (a == "--only-rpc") o.only_rpc = true;
    else {
      fprintf(stderr, "usage: %s [--samples=N] [--window=N] [--seconds=S] [--only-rpc]\n",
              argv[0]);
      return 2;
    }
  }
  printf("rpc_bench: tcp loopback, %zu-byte messages, %d samples, window %d, %.1fs per rate\n",
         kMsg, o.samples, o.window, o.seconds);
  printf("layout: rpc server on its own thread + reactor; client on the main thread's reactor\n");

  double raw_rtt = o.only_rpc ? 1 : RawPingPongMedianUs(o);
  double raw_rate = o.only_rpc ? 1 : RawPipelinedRate(o);

  RpcServerThread server;
  server.Start();
  auto reactor = rrr::Reactor::Create(rrr::ReactorOptions());
  double rpc_rtt = 0, rpc_rate = 0;
  {
    rrr::Client client;
    if (client.Connect("127.0.0.1:" + std::to_string(server.port.load())) != 0) return 1;
    rpc_rtt = RpcNullMedianUs(reactor.get(), &client, o);
    rpc_rate = RpcPipelinedRate(reactor.get(), &client, o);
  }
  server.Stop();

  double lat_ratio = rpc_rtt / raw_rtt;
  double rate_ratio = rpc_rate / raw_rate;
  printf("raw ping-pong median      %8.1f us\n", raw_rtt);
  printf("null rpc median           %8.1f us   ratio %.2fx  (target <= 1.50x: %s)\n", rpc_rtt,
         lat_ratio, lat_ratio <= 1.5 ? "met" : "MISSED");
  printf("raw pipelined echo        %10.0f msg/s\n", raw_rate);
  printf("pipelined null rpc        %10.0f calls/s  ratio %.2fx  (target >= 0.20x: %s)\n",
         rpc_rate, rate_ratio, rate_ratio >= 0.2 ? "met" : "MISSED");
  return 0;
}
