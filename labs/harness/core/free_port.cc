#include "labs/harness/core/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <random>
#include <set>

namespace janus {
namespace harness {
namespace {

// Binds 127.0.0.1:port (0 = any) and returns the bound port, or -1.
int TryBind(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  int result = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0) {
    socklen_t len = sizeof(a);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) result = ntohs(a.sin_port);
  }
  ::close(fd);
  return result;
}

// Lowest port of the kernel's ephemeral range (32768 if unknown).
int EphemeralLow() {
  int low = 32768, high = 60999;
  if (std::FILE* f = std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "r")) {
    if (std::fscanf(f, "%d %d", &low, &high) != 2) low = 32768;
    std::fclose(f);
  }
  return low;
}

}  // namespace

int PickFreeTcpPort() {
  static std::mutex mu;
  static std::set<int> handed_out;
  // Real ports are outside the simulation: any entropy source will do.
  static std::mt19937 gen(std::random_device{}());
  std::lock_guard<std::mutex> lock(mu);
  const int high = EphemeralLow() - 1;
  const int low = high - 16000 > 10000 ? high - 16000 : 10000;
  if (high > low) {
    if (handed_out.size() > static_cast<size_t>(high - low) / 2) handed_out.clear();
    std::uniform_int_distribution<int> dist(low, high);
    for (int attempt = 0; attempt < 200; attempt++) {
      const int port = dist(gen);
      if (handed_out.count(port) != 0) continue;
      if (TryBind(port) == port) {
        handed_out.insert(port);
        return port;
      }
    }
  }
  const int port = TryBind(0);
  if (port > 0) handed_out.insert(port);
  return port;
}

}  // namespace harness
}  // namespace janus
