#include "labs/harness/checkers/kv_history_gen.h"

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include "rrr/base/verify.h"

namespace janus {
namespace harness {
namespace {

// An operation being generated: its times (distinct across all events) and, for a write that
// took effect and every Get that returned, the instant it took effect.
struct Planned {
  KvOp op;
  uint64_t call_time = 0, ret_time = 0;
  bool takes_effect = false;
  uint64_t effect_time = 0, effect_tie = 0;
  std::vector<size_t> seen;  // Get: the tokens (writes, by index) of the value it read
};

std::string Join(const std::vector<Planned>& plan, const std::vector<size_t>& tokens) {
  std::string s;
  for (size_t t : tokens) s += plan[t].op.value;
  return s;
}

// The changes of the file comment; each returns false if it does not fit Get `g`'s answer.
bool Duplicate(const std::vector<Planned>&, Planned* g, std::mt19937* rng) {
  if (g->seen.empty()) return false;
  const size_t j = (*rng)() % g->seen.size();
  g->seen.insert(g->seen.begin() + j, g->seen[j]);
  return true;
}

bool Reorder(const std::vector<Planned>& plan, Planned* g, std::mt19937*) {
  for (size_t j = 0; j + 1 < g->seen.size(); j++) {
    const KvOp& a = plan[g->seen[j]].op;
    const KvOp& b = plan[g->seen[j + 1]].op;
    if (a.returned && a.ret < b.call) {
      std::swap(g->seen[j], g->seen[j + 1]);
      return true;
    }
  }
  return false;
}

bool LoseWrite(const std::vector<Planned>& plan, Planned* g, std::mt19937*) {
  if (g->seen.empty()) return false;
  const KvOp& first = plan[g->seen[0]].op;
  for (size_t j = 0; j < g->seen.size(); j++) {
    const KvOp& w = plan[g->seen[j]].op;
    if (w.kind != KvOpKind::kAppend || !w.returned || w.ret >= g->op.call) continue;
    if (first.kind == KvOpKind::kAppend || (first.returned && first.ret < w.call)) {
      g->seen.erase(g->seen.begin() + j);
      return true;
    }
  }
  return false;
}

bool Foreign(const std::vector<Planned>& plan, Planned* g, std::mt19937*) {
  g->seen.push_back(plan.size() - 1);  // the sentinel write that never happened
  return true;
}

using Change = bool (*)(const std::vector<Planned>&, Planned*, std::mt19937*);
constexpr Change kChanges[] = {Duplicate, Reorder, LoseWrite, Foreign};
constexpr const char* kChangeNames[] = {"a duplicate", "a reordering", "a lost write",
                                        "a foreign value"};

}  // namespace

KvGenOptions KvGenPreset(const std::string& name, uint32_t seed, int bad_keys) {
  KvGenOptions o;
  o.seed = seed;
  o.bad_keys = bad_keys;
  if (name == "c01") {
    o.clients = 1;
    o.ops_per_client = 300;
    o.stuck_percent = 0;
  } else if (name == "c10") {
    o.clients = 10;
    o.ops_per_client = 100;
    o.stuck_percent = 2;
  } else {
    verify_msg(name == "c50", "KvGenPreset: unknown preset");
    o.clients = 50;
    o.ops_per_client = 55;
    o.stuck_percent = 2;
    o.hot_percent = 10;
  }
  return o;
}

KvGenHistory GenerateKvHistory(const KvGenOptions& o) {
  verify_msg(o.clients > 0 && o.clients <= 500 && o.keys > 0, "GenerateKvHistory: bad sizes");
  std::mt19937 rng(o.seed);
  auto percent = [&](int p) { return static_cast<int>(rng() % 100) < p; };
  std::vector<Planned> plan;
  std::vector<size_t> stuck;  // operations that return at the end
  uint64_t end_time = 0;
  for (int c = 0; c < o.clients; c++) {
    int process = c, counter = 0;
    uint64_t tick = rng() % (o.max_gap_ticks + 1);
    for (int i = 0; i < o.ops_per_client; i++) {
      Planned p;
      p.op.client = process;
      p.op.key = std::to_string(percent(o.hot_percent) ? 0 : rng() % o.keys);
      const int dice = static_cast<int>(rng() % 100);
      p.op.kind = dice < o.get_percent                   ? KvOpKind::kGet
                  : dice < o.get_percent + o.put_percent ? KvOpKind::kPut
                                                         : KvOpKind::kAppend;
      if (p.op.kind != KvOpKind::kGet) {
        p.op.value = "x " + std::to_string(process) + " " + std::to_string(counter) + " y";
      }
      counter++;
      uint64_t ticks = 1 + rng() % o.max_op_ticks;
      if (percent(o.slow_percent)) ticks *= 10 + rng() % 41;
      // Times: tick * 1024 + 2 * slot (+1 for a return), distinct across clients and events.
      p.call_time = tick * 1024 + 2 * c;
      p.ret_time = (tick + ticks) * 1024 + 2 * c + 1;
      p.op.returned = !percent(o.crash_percent);
      p.takes_effect = p.op.returned ? true : p.op.kind != KvOpKind::kGet && rng() % 2 == 0;
      p.effect_time = p.call_time + rng() % (p.ret_time - p.call_time + 1);
      p.effect_tie = rng();
      end_time = std::max(end_time, p.ret_time);
      if (p.op.returned && percent(o.stuck_percent)) {
        stuck.push_back(plan.size());
        plan.push_back(p);
        break;
      }
      plan.push_back(p);
      if (!p.op.returned) {
        process += o.clients;  // the crashed client goes on under a new id
        counter = 0;
      }
      tick += ticks + 1 + rng() % (o.max_gap_ticks + 1);
    }
  }
  // The hung operations return last, in a random order, and took effect at any time.
  std::shuffle(stuck.begin(), stuck.end(), rng);
  for (size_t i = 0; i < stuck.size(); i++) {
    Planned& p = plan[stuck[i]];
    p.ret_time = (end_time / 1024 + 1 + i) * 1024;
    p.effect_time = p.call_time + rng() % (p.ret_time - p.call_time + 1);
  }
  // Ordering points: ranks of the events in time.
  std::vector<std::tuple<uint64_t, size_t, bool>> events;  // (time, op, is return)
  for (size_t i = 0; i < plan.size(); i++) {
    events.emplace_back(plan[i].call_time, i, false);
    if (plan[i].op.returned) events.emplace_back(plan[i].ret_time, i, true);
  }
  std::sort(events.begin(), events.end());
  for (size_t r = 0; r < events.size(); r++) {
    Planned& p = plan[std::get<1>(events[r])];
    (std::get<2>(events[r]) ? p.op.ret : p.op.call) = r + 1;
  }
  // The atomic map, applied in effect order; a value is a list of tokens (writes).
  std::vector<size_t> order;
  for (size_t i = 0; i < plan.size(); i++) {
    if (plan[i].takes_effect) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(plan[a].effect_time, plan[a].effect_tie) <
           std::tie(plan[b].effect_time, plan[b].effect_tie);
  });
  std::map<std::string, std::vector<size_t>> store;
  for (size_t i : order) {
    std::vector<size_t>& v = store[plan[i].op.key];
    if (plan[i].op.kind == KvOpKind::kGet) plan[i].seen = v;
    if (plan[i].op.kind == KvOpKind::kPut) v.assign(1, i);
    if (plan[i].op.kind == KvOpKind::kAppend) v.push_back(i);
  }
  // Violations, in keys taken in a random order.
  KvGenHistory out;
  Planned sentinel;
  sentinel.op.value = "x " + std::to_string(1000000 + o.clients) + " 0 y";  // no process has it
  plan.push_back(sentinel);
  std::vector<int> keys(o.keys);
  for (int k = 0; k < o.keys; k++) keys[k] = k;
  std::shuffle(keys.begin(), keys.end(), rng);
  std::map<std::string, std::string> violations;
  for (int k : keys) {
    if (static_cast<int>(violations.size()) >= o.bad_keys) break;
    const std::string key = std::to_string(k);
    std::vector<size_t> gets;
    for (size_t i = 0; i + 1 < plan.size(); i++) {
      if (plan[i].op.kind == KvOpKind::kGet && plan[i].op.returned && plan[i].op.key == key) {
        gets.push_back(i);
      }
    }
    std::shuffle(gets.begin(), gets.end(), rng);
    const size_t first_change = violations.size() % 4;
    for (size_t n = 0; n < 4 && !violations.count(key); n++) {
      const size_t change = (first_change + n) % 4;
      for (size_t g : gets) {
        if (!kChanges[change](plan, &plan[g], &rng)) continue;
        violations[key] = "key \"" + key + "\": " + kChangeNames[change] + " in process " +
                          std::to_string(plan[g].op.client) + "'s Get (event " +
                          std::to_string(plan[g].op.ret) + ")";
        break;
      }
    }
  }
  for (Planned& p : plan) {
    if (p.op.kind == KvOpKind::kGet && p.op.returned) p.op.output = Join(plan, p.seen);
  }
  plan.pop_back();
  std::sort(plan.begin(), plan.end(),
            [](const Planned& a, const Planned& b) { return a.op.call < b.op.call; });
  for (Planned& p : plan) out.ops.push_back(std::move(p.op));
  for (auto& [key, line] : violations) {
    out.bad_keys.push_back(key);
    out.violations.push_back(line);
  }
  return out;
}

}  // namespace harness
}  // namespace janus
