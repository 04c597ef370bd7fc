// The serializability report page: everything is drawn here as inline SVG and tables, so the
// page needs no script and no network.
#include "labs/harness/checkers/ser_html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace janus {
namespace harness {
namespace {

constexpr size_t kMaxShownValue = 80;  // longer values are cut in the page

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Short(const std::string& s) {
  return s.size() <= kMaxShownValue ? s : s.substr(0, kMaxShownValue) + "...";
}

std::string Name(uint64_t id) {
  constexpr uint64_t kPlainBase = uint64_t{1} << 62;
  return id >= kPlainBase ? "P" + std::to_string(id - kPlainBase) : "T" + std::to_string(id);
}

std::string Num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", x);
  return buf;
}

const char* EdgeColor(SerEdgeKind kind) {
  switch (kind) {
    case SerEdgeKind::kWW:
      return "#c0392b";
    case SerEdgeKind::kWR:
      return "#2471a3";
    case SerEdgeKind::kRW:
      return "#d68910";
  }
  return "#000";
}

// "r x@1='a'  w y='b'" for the operations of t.
std::string OpsText(const TxnRecord& t) {
  std::string s;
  for (const TxnOp& op : t.ops) {
    if (!s.empty()) s += "  ";
    s += op.is_write ? "w " : "r ";
    s += op.key;
    if (!op.is_write && op.version != TxnOp::kNoVersion) s += "@" + std::to_string(op.version);
    s += op.is_write || op.found ? "='" + Short(op.value) + "'" : " (missing)";
  }
  return s;
}

// The cycle as a ring: transactions on a circle, each edge a curved arrow with its label.
std::string CycleSvg(const SerResult& r) {
  const size_t n = r.cycle.size();
  const double size = n <= 4 ? 420 : 560, c = size / 2, radius = size / 2 - 70;
  std::ostringstream s;
  s << "<svg class=\"ring\" width=\"" << size << "\" height=\"" << size << "\">\n<defs>";
  for (SerEdgeKind kind : {SerEdgeKind::kWW, SerEdgeKind::kWR, SerEdgeKind::kRW}) {
    s << "<marker id=\"arrow-" << SerEdgeKindName(kind) << "\" viewBox=\"0 0 10 10\" refX=\"10\" "
      << "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 "
      << "L0,10 z\" fill=\"" << EdgeColor(kind) << "\"/></marker>";
  }
  s << "</defs>\n";
  auto x = [&](size_t i) { return c + radius * std::sin(2 * M_PI * i / n); };
  auto y = [&](size_t i) { return c - radius * std::cos(2 * M_PI * i / n); };
  for (size_t i = 0; i < n; i++) {
    const SerEdge& e = r.cycle_edges[i];
    const size_t j = (i + 1) % n;
    const double x1 = x(i), y1 = y(i), x2 = x(j), y2 = y(j);
    const double dx = x2 - x1, dy = y2 - y1, len = std::max(1.0, std::hypot(dx, dy));
    // Start and end outside the node circles; bend outward (to the left of the direction).
    const double sx = x1 + dx / len * 30, sy = y1 + dy / len * 30;
    const double ex = x2 - dx / len * 30, ey = y2 - dy / len * 30;
    const double bend = n == 2 ? 60 : 30;
    const double mx = (x1 + x2) / 2 + dy / len * bend, my = (y1 + y2) / 2 - dx / len * bend;
    s << "<path class=\"edge\" d=\"M" << Num(sx) << "," << Num(sy) << " Q" << Num(mx) << ","
      << Num(my) << " " << Num(ex) << "," << Num(ey) << "\" stroke=\"" << EdgeColor(e.kind)
      << "\" marker-end=\"url(#arrow-" << SerEdgeKindName(e.kind) << ")\"><title>" << Escape(e.why)
      << "</title></path>\n";
    // The label just outside the middle of the curve, on the side it bends to.
    const double nx = dy / len, ny = -dx / len;
    const double lx = (sx + ex) / 4 + mx / 2 + nx * 8, ly = (sy + ey) / 4 + my / 2 + ny * 8 + 4;
    const char* anchor = nx > 0.3 ? "start" : nx < -0.3 ? "end" : "middle";
    s << "<text class=\"label\" text-anchor=\"" << anchor << "\" x=\"" << Num(lx) << "\" y=\""
      << Num(ly + (anchor[0] == 'm' ? ny * 6 : 0)) << "\" fill=\"" << EdgeColor(e.kind) << "\">"
      << SerEdgeKindName(e.kind) << "(" << Escape(Short(e.key)) << ")</text>\n";
  }
  for (size_t i = 0; i < n; i++) {
    s << "<circle cx=\"" << Num(x(i)) << "\" cy=\"" << Num(y(i)) << "\" r=\"28\"/>"
      << "<text class=\"node\" x=\"" << Num(x(i)) << "\" y=\"" << Num(y(i) + 5) << "\">"
      << Name(r.cycle[i]) << "</text>\n";
  }
  s << "</svg>\n";
  return s.str();
}

// The shown transactions on a time line, one row per client.
std::string TimelineSvg(const std::vector<const TxnRecord*>& shown) {
  uint64_t lo = UINT64_MAX, hi = 0;
  std::map<int, int> row;
  for (const TxnRecord* t : shown) {
    lo = std::min(lo, t->begin_us);
    hi = std::max(hi, std::max(t->begin_us, t->end_us));
    row.emplace(t->client, 0);
  }
  int next = 0;
  for (auto& entry : row) entry.second = next++;
  const double width = 900, left = 90, span = std::max<double>(1, hi - lo);
  std::ostringstream s;
  s << "<svg class=\"timeline\" width=\"" << width + 20 << "\" height=\"" << 30 * row.size() + 30
    << "\">\n";
  for (const auto& entry : row) {
    s << "<text class=\"client\" x=\"4\" y=\"" << 30 * entry.second + 24 << "\">client "
      << entry.first << "</text>\n";
  }
  for (const TxnRecord* t : shown) {
    const double x1 = left + (t->begin_us - lo) / span * (width - left);
    const bool open = t->end_us == 0;
    const double x2 = open ? width : left + (t->end_us - lo) / span * (width - left);
    s << "<rect class=\"" << TxnOutcomeName(t->outcome) << "\" x=\"" << Num(x1) << "\" y=\""
      << 30 * row[t->client] + 8 << "\" width=\"" << Num(std::max(4.0, x2 - x1))
      << "\" height=\"20\"><title>" << Escape(Name(t->id) + " " + OpsText(*t)) << "</title></rect>"
      << "<text class=\"bar\" x=\"" << Num(x1 + 3) << "\" y=\"" << 30 * row[t->client] + 23 << "\">"
      << Name(t->id) << "</text>\n";
  }
  s << "<text class=\"client\" x=\"" << left << "\" y=\"" << 30 * row.size() + 24 << "\">" << lo
    << " us</text><text class=\"client\" x=\"" << width - 80 << "\" y=\"" << 30 * row.size() + 24
    << "\">" << hi << " us</text>\n</svg>\n";
  return s.str();
}

const char kStyle[] = R"(<style>
body { font-family: sans-serif; margin: 20px; color: #222; }
.bad { color: #b03a2e; } .good { color: #1e8449; }
table { border-collapse: collapse; margin: 8px 0 16px; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
td.ops { font-family: monospace; }
svg.ring circle { fill: #fdfefe; stroke: #555; stroke-width: 2; }
svg.ring path.edge { fill: none; stroke-width: 2.5; }
svg text.node { text-anchor: middle; font-weight: bold; font-size: 14px; }
svg text.label { font-size: 13px; font-weight: bold; paint-order: stroke; stroke: #fff;
                 stroke-width: 4px; }
svg text.client, svg text.bar { font-size: 12px; }
svg rect.committed { fill: #aed6f1; } svg rect.aborted { fill: #f5b7b1; }
svg rect.unknown { fill: #f9e79f; }
</style>
)";

}  // namespace

std::string RenderSerializabilityHtml(const std::string& title, const std::vector<TxnRecord>& txns,
                                      const SerResult& result) {
  std::map<uint64_t, const TxnRecord*> by_id;
  for (const TxnRecord& t : txns) by_id.emplace(t.id, &t);
  // The transactions shown: those of the cycle, then those named by the kept anomalies.
  std::vector<const TxnRecord*> shown;
  std::set<uint64_t> seen;
  auto show = [&](uint64_t id) {
    if (by_id.count(id) && seen.insert(id).second) shown.push_back(by_id[id]);
  };
  for (uint64_t id : result.cycle) show(id);
  for (const SerAnomaly& a : result.anomalies) {
    for (uint64_t id : a.txns) show(id);
  }
  std::ostringstream s;
  s << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" << Escape(title)
    << "</title>\n"
    << kStyle << "</head><body>\n<h1>" << Escape(title) << "</h1>\n";
  s << "<h2 class=\"" << (result.ok ? "good\">serializable" : "bad\">NOT serializable")
    << "</h2>\n<p>" << Escape(result.explanation) << "</p>\n";
  if (!result.cycle.empty()) {
    s << "<h2>Cycle: " << Escape(result.cycle_kind) << "</h2>\n"
      << "<p>Each arrow is a dependency: its source must precede its target in any serial "
      << "order. ww: overwrote; wr: read from; rw: read a version the target replaced.</p>\n"
      << CycleSvg(result) << "<table><tr><th>edge</th><th>why</th></tr>\n";
    for (const SerEdge& e : result.cycle_edges) {
      s << "<tr><td>" << Name(e.from) << " -" << SerEdgeKindName(e.kind) << "(" << Escape(e.key)
        << ")-&gt; " << Name(e.to) << "</td><td>" << Escape(e.why) << "</td></tr>\n";
    }
    s << "</table>\n";
  }
  if (!result.anomalies.empty()) {
    s << "<h2>Anomalies (" << result.anomaly_count << ")</h2>\n<table><tr><th>kind</th>"
      << "<th>key</th><th>what</th></tr>\n";
    for (const SerAnomaly& a : result.anomalies) {
      s << "<tr><td>" << SerAnomalyKindName(a.kind) << "</td><td>" << Escape(a.key) << "</td><td>"
        << Escape(a.description) << "</td></tr>\n";
    }
    s << "</table>\n";
    if (result.anomaly_count > result.anomalies.size()) {
      s << "<p>(" << result.anomaly_count - result.anomalies.size() << " more not kept)</p>\n";
    }
  }
  if (!shown.empty()) {
    s << "<h2>Transactions involved</h2>\n<table><tr><th>txn</th><th>client</th><th>label</th>"
      << "<th>outcome</th><th>begin (us)</th><th>end (us)</th><th>reads and writes</th></tr>\n";
    for (const TxnRecord* t : shown) {
      s << "<tr><td>" << Name(t->id) << "</td><td>" << t->client << "</td><td>" << Escape(t->label)
        << "</td><td>" << TxnOutcomeName(t->outcome) << "</td><td>" << t->begin_us << "</td><td>"
        << (t->end_us ? std::to_string(t->end_us) : "-") << "</td><td class=\"ops\">"
        << Escape(OpsText(*t)) << "</td></tr>\n";
    }
    s << "</table>\n<h2>Time line</h2>\n" << TimelineSvg(shown);
  }
  s << "</body></html>\n";
  return s.str();
}

bool WriteSerializabilityHtml(const std::string& path, const std::string& title,
                              const std::vector<TxnRecord>& txns, const SerResult& result,
                              std::string* error) {
  std::ofstream out(path);
  if (out) out << RenderSerializabilityHtml(title, txns, result);
  out.close();
  if (!out) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace harness
}  // namespace janus
