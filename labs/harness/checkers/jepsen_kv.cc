#include "labs/harness/checkers/jepsen_kv.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

namespace janus {
namespace harness {
namespace {

// One field value of a line: an integer, a keyword (":ok"), a string, or nil.
struct Value {
  enum Kind { kNumber, kKeyword, kString, kNil } kind = kNil;
  std::string text;  // the digits, the keyword without ':', or the unescaped string
};

// Reads the line's map {:name value, ...} into *fields; returns "" or the problem.
std::string ReadFields(const std::string& line, std::map<std::string, Value>* fields) {
  size_t i = 0;
  auto skip_space = [&] {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
  };
  auto word = [&] {
    const size_t start = i;
    while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) ||
                               line[i] == '-' || line[i] == '_' || line[i] == '?')) {
      i++;
    }
    return line.substr(start, i - start);
  };
  skip_space();
  if (i >= line.size() || line[i++] != '{') return "expected '{'";
  for (;;) {
    skip_space();
    if (i < line.size() && line[i] == '}') break;
    if (!fields->empty()) {
      if (i >= line.size() || line[i++] != ',') return "expected ',' or '}'";
      skip_space();
    }
    if (i >= line.size() || line[i++] != ':') return "expected a field name like :process";
    const std::string name = word();
    if (name.empty()) return "expected a field name after ':'";
    skip_space();
    Value v;
    if (i < line.size() && line[i] == '"') {
      v.kind = Value::kString;
      for (i++;; i++) {
        if (i >= line.size()) return "unterminated string in :" + name;
        char c = line[i];
        if (c == '"') break;
        if (c == '\\') {
          if (++i >= line.size()) return "unterminated string in :" + name;
          c = line[i] == 'n' ? '\n' : line[i] == 't' ? '\t' : line[i];
        }
        v.text += c;
      }
      i++;
    } else if (i < line.size() && line[i] == ':') {
      i++;
      v.kind = Value::kKeyword;
      v.text = word();
    } else if (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) {
      v.kind = Value::kNumber;
      v.text = word();
      if (v.text.find_first_not_of("0123456789") != std::string::npos) {
        return "bad number '" + v.text + "' in :" + name;
      }
    } else if (word() == "nil") {
      v.kind = Value::kNil;
    } else {
      return "expected a value for :" + name;
    }
    if (!fields->emplace(name, v).second) return "field :" + name + " given twice";
  }
  i++;
  skip_space();
  if (i != line.size()) return "text after '}'";
  return "";
}

// Reads the optional :time field (nanoseconds, as Jepsen writes it) into *time_ns (0 if absent);
// returns "" or the problem.
std::string ReadTime(const std::map<std::string, Value>& fields, uint64_t* time_ns) {
  *time_ns = 0;
  auto it = fields.find("time");
  if (it == fields.end()) return "";
  if (it->second.kind != Value::kNumber || it->second.text.size() > 19) return "bad :time";
  *time_ns = std::stoull(it->second.text);
  return "";
}

// Checks and reads the fields of one event; returns "" or the problem. *time_ns is the optional
// :time field (0 if absent).
std::string ReadEvent(const std::map<std::string, Value>& fields, int* process, std::string* type,
                      KvOpKind* kind, std::string* key, const Value** value, uint64_t* time_ns) {
  auto get = [&](const char* name, Value::Kind want, const Value** out) -> std::string {
    auto it = fields.find(name);
    if (it == fields.end()) return std::string("missing :") + name;
    if (it->second.kind != want) return std::string("unexpected value of :") + name;
    *out = &it->second;
    return "";
  };
  const Value *p, *t, *f, *k;
  for (std::string problem : {get("process", Value::kNumber, &p), get("type", Value::kKeyword, &t),
                              get("f", Value::kKeyword, &f), get("key", Value::kString, &k)}) {
    if (!problem.empty()) return problem;
  }
  auto v = fields.find("value");
  if (v == fields.end()) return "missing :value";
  std::string problem = ReadTime(fields, time_ns);
  if (!problem.empty()) return problem;
  if (fields.size() != (fields.count("time") ? 6u : 5u)) {
    return "unexpected field (expected :process :type :f :key :value, optionally :time)";
  }
  if (p->text.size() > 9) return "process number too large";
  *process = std::stoi(p->text);
  *type = t->text;
  if (*type != "invoke" && *type != "ok" && *type != "fail" && *type != "info") {
    return "unknown :type :" + *type;
  }
  if (!ParseKvOpKind(f->text, kind)) return "unknown :f :" + f->text;
  *key = k->text;
  *value = &v->second;
  return "";
}

// A nemesis line ({:process :nemesis, :type :info, :f :kill, :value "kv1", :time N}): reads it
// into *event and returns true, or returns false if `fields` is no nemesis line. *problem is
// set if it is one but malformed.
bool ReadNemesis(const std::map<std::string, Value>& fields, TimedEvent* event,
                 std::string* problem) {
  auto p = fields.find("process");
  if (p == fields.end() || p->second.kind != Value::kKeyword || p->second.text != "nemesis") {
    return false;
  }
  auto f = fields.find("f");
  auto v = fields.find("value");
  if (f == fields.end() || f->second.kind != Value::kKeyword) {
    *problem = "a nemesis line needs a keyword :f";
    return true;
  }
  uint64_t time_ns = 0;
  *problem = ReadTime(fields, &time_ns);
  event->time_us = time_ns / 1000;
  event->description = f->second.text;
  if (v != fields.end() && v->second.kind != Value::kNil) {
    event->description += " " + v->second.text;
  }
  return true;
}

}  // namespace

bool ParseJepsenKv(const std::string& text, std::vector<KvOp>* ops, std::string* error,
                   std::vector<TimedEvent>* events) {
  ops->clear();
  if (events != nullptr) events->clear();
  std::vector<bool> failed;       // per op: ended with :fail (dropped at the end)
  std::map<int, size_t> running;  // process -> its operation in progress
  size_t line_no = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    line_no++;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::map<std::string, Value> fields;
    std::string problem = ReadFields(line, &fields);
    int process = 0;
    std::string type, key;
    KvOpKind kind = KvOpKind::kGet;
    const Value* value = nullptr;
    uint64_t time_ns = 0;
    TimedEvent nemesis;
    if (problem.empty() && ReadNemesis(fields, &nemesis, &problem)) {
      if (problem.empty()) {
        if (events != nullptr) events->push_back(nemesis);
        continue;
      }
    } else if (problem.empty()) {
      problem = ReadEvent(fields, &process, &type, &kind, &key, &value, &time_ns);
    }
    if (problem.empty() && type == "invoke") {
      if (running.count(process)) {
        problem = "process " + std::to_string(process) + " invokes while its last op runs";
      } else if (kind != KvOpKind::kGet && value->kind != Value::kString) {
        problem = "a Put or Append needs a string :value";
      } else {
        KvOp op;
        op.client = process;
        op.kind = kind;
        op.key = key;
        if (kind != KvOpKind::kGet) op.value = value->text;
        op.call = line_no;
        op.call_us = time_ns / 1000;
        op.returned = false;
        running[process] = ops->size();
        ops->push_back(op);
        failed.push_back(false);
      }
    } else if (problem.empty()) {
      auto it = running.find(process);
      if (it == running.end()) {
        problem = "process " + std::to_string(process) + " has no operation in progress";
      } else if ((*ops)[it->second].kind != kind || (*ops)[it->second].key != key) {
        problem = ":f or :key differs from the process's :invoke";
      } else if (type == "ok" && kind == KvOpKind::kGet && value->kind != Value::kString) {
        problem = "an :ok Get needs a string :value";
      } else {
        KvOp& op = (*ops)[it->second];
        if (type == "ok") {
          op.returned = true;
          op.ret = line_no;
          op.return_us = time_ns / 1000;
          if (kind == KvOpKind::kGet) op.output = value->text;
        }
        failed[it->second] = type == "fail";
        running.erase(it);
      }
    }
    if (!problem.empty()) {
      *error = "line " + std::to_string(line_no) + ": " + problem;
      return false;
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < ops->size(); i++) {
    if (failed[i]) continue;
    if (kept != i) (*ops)[kept] = std::move((*ops)[i]);
    kept++;
  }
  ops->resize(kept);
  return true;
}

namespace {

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

}  // namespace

std::string WriteJepsenKv(const std::vector<KvOp>& ops) {
  // (point, 0 for an :invoke / 1 for an :ok, op) in output order.
  std::vector<std::tuple<uint64_t, int, size_t>> events;
  for (size_t i = 0; i < ops.size(); i++) {
    events.emplace_back(ops[i].call, 0, i);
    if (ops[i].returned) events.emplace_back(ops[i].ret, 1, i);
  }
  std::sort(events.begin(), events.end());
  std::string out;
  for (const auto& [point, is_ok, i] : events) {
    const KvOp& op = ops[i];
    std::string f = KvOpKindName(op.kind);
    std::transform(f.begin(), f.end(), f.begin(), [](char c) { return std::tolower(c); });
    std::string value =
        op.kind == KvOpKind::kGet ? (is_ok ? Quote(op.output) : "nil") : Quote(op.value);
    out += "{:process " + std::to_string(op.client) + ", :type " + (is_ok ? ":ok" : ":invoke") +
           ", :f :" + f + ", :key " + Quote(op.key) + ", :value " + value + "}\n";
  }
  return out;
}

}  // namespace harness
}  // namespace janus
