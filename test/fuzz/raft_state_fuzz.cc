// libFuzzer target for saved-state decoding (issue 14): what deptran_server does with a data
// directory at start-up, on arbitrary bytes. The FilePersister reads raft.state, then a one-site
// kv or raft lab site is built from it as the launcher builds it (deptran/launcher.cc): the
// reference Raft's ReadPersist and, for kv, the KV snapshot decoder run on the saved bytes.
//
// Input: [mode byte][rest]. Mode bit 0 set: rest is the whole raft.state file (the image parser
// is fuzzed, bad checksums included). Clear: rest is [state length, u16 LE][state][snapshot],
// wrapped in a well-formed image (valid checksum), so the fuzzer reaches the lab's decoders.
// Mode bit 1 picks the lab (kv or raft).
//
// Checks: nothing crashes, aborts or leaks; the only failures are the refusals the launcher turns
// into its one-line error (PersisterError, rrr::MarshalError, rrr::VerifyError inside the
// VerifyThrowsScope, an exception escaping a start-up coroutine): any other exception (e.g.
// std::length_error or std::bad_alloc from a size not bounded before allocating) is a finding.
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "deptran/data_dir.h"
#include "deptran/file_persister.h"
#include "deptran/launcher.h"
#include "rrr/base/logging.h"
#include "rrr/base/verify.h"
#include "rrr/marshal/buffer.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "raft_state_fuzz: %s\n", what.c_str());
  std::abort();
}

struct World {
  std::shared_ptr<rrr::Reactor> reactor;
  std::string dir;
  std::shared_ptr<const janus::Config> configs[2];
};

World& TheWorld() {
  static World* w = [] {
    auto* world = new World;
    rrr::Log::SetLevel(rrr::LogLevel::kFatal);  // the refusals are expected; keep the log quiet
    rrr::ReactorOptions opts;
    opts.virtual_time = true;  // the sim transport: nothing leaves the process
    opts.seed = 1;
    world->reactor = rrr::Reactor::Create(opts);
    char tmpl[] = "/tmp/raft_state_fuzz_XXXXXX";
    if (mkdtemp(tmpl) == nullptr) Fail("mkdtemp failed");
    world->dir = tmpl;
    world->configs[0] = std::make_shared<janus::Config>(janus::Config::Local("kv", 1, 1));
    world->configs[1] = std::make_shared<janus::Config>(janus::Config::Local("raft", 1, 1));
    return world;
  }();
  return *w;
}

std::string PutLe(uint64_t v, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; i++) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

// A well-formed raft.state image (layout: deptran/file_persister.h).
std::string Image(const std::string& state, const std::string& snapshot) {
  std::string image = "JNSP" + PutLe(1, 4) + PutLe(state.size(), 8) + PutLe(snapshot.size(), 8);
  image += state + snapshot;
  return image + PutLe(janus::Crc32(image.data(), image.size()), 4);
}

// Builds the lab's site on `persister` as the launcher does; returns normally when the site
// starts or is refused in one of the expected ways.
void StartSite(World& w, const std::shared_ptr<const janus::Config>& config,
               janus::FilePersister* persister) {
  const janus::LabSiteFactory* factory = janus::FindLabSite(config->lab());
  if (factory == nullptr) Fail("lab " + config->lab() + " is not linked in");
  std::shared_ptr<rrr::NodeContext> node = rrr::NodeContext::Create(0, "s0");
  std::string crash;
  w.reactor->SetCrashHandler([&crash](rrr::NodeContext*, const std::string& what) {
    if (crash.empty()) crash = what;
  });
  janus::SiteEnv env;
  env.config = config;
  env.site_id = 0;
  env.persister = persister;
  std::unique_ptr<janus::LabSite> site;
  try {
    rrr::NodeScope scope(node.get());
    rrr::VerifyThrowsScope verify_throws;
    site = (*factory)(env);
  } catch (const janus::PersisterError&) {
  } catch (const rrr::MarshalError&) {
  } catch (const rrr::VerifyError&) {
  } catch (const std::exception& e) {
    Fail(std::string("unexpected exception while starting the site: ") + e.what());
  }
  if (!crash.empty() && crash.find("verify failed") == std::string::npos &&
      crash.find("marshal") == std::string::npos && crash.find("Raft state") == std::string::npos) {
    Fail("unexpected exception in a start-up coroutine: " + crash);
  }
  node->Cancel();
  {
    rrr::NodeScope scope(node.get());
    site.reset();
  }
  w.reactor->SetCrashHandler([](rrr::NodeContext*, const std::string& what) {
    Fail("coroutine crashed after start-up: " + what);
  });
  // Let the cancelled node's timers fire (they do nothing now), so none pile up across inputs.
  w.reactor->RunFor(10ull * 1000 * 1000);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  World& w = TheWorld();
  const uint8_t mode = data[0];
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string file;
  if (mode & 1) {
    file = rest;
  } else {
    if (rest.size() < 2) return 0;
    const size_t state_len = std::min<size_t>(
        rest.size() - 2, static_cast<uint8_t>(rest[0]) | (static_cast<uint8_t>(rest[1]) << 8));
    file = Image(rest.substr(2, state_len), rest.substr(2 + state_len));
  }
  {
    std::ofstream out(w.dir + "/raft.state", std::ios::binary | std::ios::trunc);
    out << file;
  }
  std::string error;
  std::unique_ptr<janus::FilePersister> persister = janus::OpenDataDir(w.dir, &error);
  if (persister == nullptr) {
    if (error.empty() || error.find('\n') != std::string::npos) Fail("bad refusal: " + error);
    return 0;
  }
  StartSite(w, w.configs[(mode >> 1) & 1], persister.get());
  return 0;
}
