#include "deptran/fault_control.h"

#include <fstream>
#include <sstream>

#include "rrr/base/logging.h"
#include "rrr/net/transport.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace janus {

namespace {

constexpr uint64_t kPollUs = 20 * 1000;

void PollFaultFile(rrr::Reactor* reactor, std::shared_ptr<FileFaultPolicy> policy) {
  reactor->AddTimer(kPollUs, [reactor, policy] {
    policy->Reload();
    PollFaultFile(reactor, policy);
  });
}

}  // namespace

FileFaultPolicy::FileFaultPolicy(std::shared_ptr<const Config> config, std::string path)
    : config_(std::move(config)), path_(std::move(path)) {}

const std::set<int>& FileFaultPolicy::Reload() {
  std::string text;
  {
    std::ifstream in(path_);
    if (in) {
      std::stringstream buf;
      buf << in.rdbuf();
      text = buf.str();
    }
  }
  if (text == last_text_) return cut_;
  last_text_ = text;
  std::set<int> cut;
  std::string names;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line.substr(0, line.find('#')));
    for (std::string name; words >> name;) {
      const SiteInfo* site = config_->FindSite(name);
      if (site == nullptr) {
        Log_warn("fault control: %s names no site of the config: '%s' ignored", path_.c_str(),
                 name.c_str());
        continue;
      }
      if (cut.insert(site->id).second) names += " " + name;
    }
  }
  if (cut != cut_) {
    cut_ = std::move(cut);
    if (cut_.empty()) {
      Log_info("fault control: healed");
    } else {
      Log_info("fault control: cut off from%s", names.c_str());
    }
  }
  return cut_;
}

rrr::FrameFate FileFaultPolicy::Decide(int from_node, int to_node, bool is_reply, size_t bytes) {
  (void)is_reply, (void)bytes;
  rrr::FrameFate fate;
  fate.drop = IsCut(from_node) || IsCut(to_node);
  return fate;
}

bool FileFaultPolicy::Deliverable(int from_node, int to_node, bool is_reply) {
  (void)is_reply;
  return !IsCut(from_node) && !IsCut(to_node);
}

void StartFaultControl(rrr::Reactor* reactor, std::shared_ptr<const Config> config,
                       const std::string& path) {
  auto policy = std::make_shared<FileFaultPolicy>(std::move(config), path);
  policy->Reload();
  rrr::Transport::Default()->SetPolicy(policy);
  rrr::NodeScope no_node(nullptr);  // the poller belongs to no site
  PollFaultFile(reactor, policy);
}

}  // namespace janus
