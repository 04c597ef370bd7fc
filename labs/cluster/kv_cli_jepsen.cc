#include "labs/cluster/kv_cli_jepsen.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "deptran/kv_op.h"
#include "deptran/launcher.h"
#include "rrr/base/flags.h"

namespace janus {

namespace {

// A Clojure string literal of s.
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out + "\"";
}

uint64_t WallNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// Prints one event; `value` is already a literal (a quoted string or nil).
void PrintEvent(uint64_t process, const char* type, const char* f, const std::string& key,
                const std::string& value, uint64_t time_ns) {
  printf("{:process %llu, :type :%s, :f :%s, :key %s, :value %s, :time %llu}\n",
         static_cast<unsigned long long>(process), type, f, Quote(key).c_str(), value.c_str(),
         static_cast<unsigned long long>(time_ns));
  fflush(stdout);
}

int Bad(const std::string& message) {
  fprintf(stderr, "kv_cli: jepsen: %s\n", message.c_str());
  return kExitBadInput;
}

}  // namespace

int RunJepsenClient(KvCliSession& session, const std::vector<std::string>& args,
                    uint64_t timeout_us) {
  uint64_t process = 0, stride = 1000;
  if (args.size() > 2 || (!args.empty() && !rrr::ParseDecimalU64(args[0], &process)) ||
      (args.size() == 2 && (!rrr::ParseDecimalU64(args[1], &stride) || stride == 0)) ||
      process > 100000000 || stride > 100000000) {
    return Bad("takes [PROCESS [STRIDE]], numbers up to 10^8 (STRIDE > 0)");
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::vector<std::string> w;
    for (std::string word; in >> word;) w.push_back(word);
    if (w.empty() || w[0][0] == '#') continue;
    if (w[0] == "quit" || w[0] == "exit") break;
    KvOpKind kind = KvOpKind::kGet;
    if (!ParseKvOpKind(w[0], &kind)) return Bad("unknown operation '" + w[0] + "'");
    if (w.size() != (kind == KvOpKind::kGet ? 2u : 3u)) return Bad("malformed line: " + line);
    const char* f = kind == KvOpKind::kGet ? "get" : kind == KvOpKind::kPut ? "put" : "append";
    const std::string& key = w[1];
    const std::string arg = kind == KvOpKind::kGet ? "nil" : Quote(w[2]);
    PrintEvent(process, "invoke", f, key, arg, WallNanos());
    std::string got;
    const bool ok = session.Run(
        [&](CliClerk& ck) {
          if (kind == KvOpKind::kGet) {
            got = ck.Get(key);
          } else if (kind == KvOpKind::kPut) {
            ck.Put(key, w[2]);
          } else {
            ck.Append(key, w[2]);
          }
        },
        timeout_us);
    const uint64_t end = WallNanos();
    if (ok) {
      PrintEvent(process, "ok", f, key, kind == KvOpKind::kGet ? Quote(got) : arg, end);
    } else {
      PrintEvent(process, "info", f, key, arg, end);
      process += stride;
    }
  }
  return kExitOk;
}

}  // namespace janus
