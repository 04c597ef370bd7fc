// CheckHostsResolve (declared in deptran/launcher.h): a site's host that does not resolve is bad
// input, found before anything starts.
#include <netdb.h>
#include <sys/socket.h>

#include "deptran/launcher.h"

namespace janus {

void CheckHostsResolve(const Config& config) {
  for (const SiteInfo& s : config.sites()) {
    if (s.host.empty() || s.host == "localhost") continue;  // the transport's loopback names
    addrinfo hints{};
    hints.ai_family = AF_INET;  // what the TCP transport listens on and connects to
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    const int rc = getaddrinfo(s.host.c_str(), nullptr, &hints, &res);
    if (res != nullptr) freeaddrinfo(res);
    if (rc != 0) {
      throw LaunchError(config.source() + ": site " + s.name + ": host '" + s.host +
                        "' does not resolve to an IPv4 address (" + gai_strerror(rc) +
                        "); fix its host: entry");
    }
  }
}

}  // namespace janus
