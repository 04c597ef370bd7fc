#include "rrr/rpc/method_info.h"

#include <mutex>
#include <unordered_map>

namespace rrr {
namespace {

struct Table {
  std::mutex mu;
  std::unordered_map<uint32_t, MethodInfo> by_id;
};

Table& T() {
  static Table* table = new Table();
  return *table;
}

}  // namespace

void RegisterMethodInfo(uint32_t method_id, const MethodInfo& info) {
  Table& t = T();
  std::lock_guard<std::mutex> lock(t.mu);
  t.by_id[method_id] = info;
}

bool FindMethodInfo(uint32_t method_id, MethodInfo* out) {
  Table& t = T();
  std::lock_guard<std::mutex> lock(t.mu);
  auto it = t.by_id.find(method_id);
  if (it == t.by_id.end()) return false;
  *out = it->second;
  return true;
}

std::string SummarizePayload(PayloadSummarizer fn, const char* data, size_t size,
                             size_t max_chars) {
  if (fn == nullptr) return "";
  std::string text;
  try {
    Marshal m(std::string(data, size));
    text = fn(m);
  } catch (const std::exception&) {
    return "<undecodable>";
  }
  if (text.size() > max_chars) text = text.substr(0, max_chars > 3 ? max_chars - 3 : 0) + "...";
  return text;
}

}  // namespace rrr
