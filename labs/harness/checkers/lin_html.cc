#include "labs/harness/checkers/lin_html.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>

namespace janus {
namespace harness {
namespace {

// Values longer than this are shortened in the page (the middle elided), except for the
// operations that could not be linearized and the value they were compared with.
constexpr size_t kMaxShownValue = 400;

// A JavaScript string literal with everything outside printable ASCII escaped, and <, >, &
// escaped too so that no value can close the <script> element.
std::string JsString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '&') {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string Shorten(const std::string& s, bool full) {
  if (full || s.size() <= kMaxShownValue) return s;
  const size_t half = kMaxShownValue / 2;
  return s.substr(0, half) + " ... [" + std::to_string(s.size() - 2 * half) +
         " bytes elided] ... " + s.substr(s.size() - half);
}

std::string HtmlEscape(const std::string& s) {
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

// The data the page's script draws: DATA = {verdict, summary, useTimes, events, keys}.
std::string DataScript(const std::vector<KvOp>& ops, const LinResult& result,
                       const std::vector<TimedEvent>& events, const LinTraceLink& trace) {
  // Display times: the recorded reactor times, or the ordering points for hand-made histories
  // that carry no times.
  bool have_times = false;
  for (const KvOp& op : ops) have_times = have_times || op.call_us != 0 || op.return_us != 0;
  // Times are shown from the first thing that happened (tcp runs carry the monotonic clock).
  uint64_t base = UINT64_MAX;
  if (have_times) {
    for (const KvOp& op : ops) base = std::min(base, op.call_us);
    for (const TimedEvent& e : events) base = std::min(base, e.time_us);
  }
  if (base == UINT64_MAX) base = 0;
  std::string js = "var DATA = {\n  verdict: " + JsString(LinVerdictName(result.verdict)) +
                   ",\n  summary: " + JsString(result.Summary(ops)) +
                   ",\n  timeUnit: " + JsString(have_times ? "us" : "step") + ",\n  trace: ";
  // Display time + offset = the trace's t_us.
  if (have_times && !trace.page.empty()) {
    const int64_t offset = static_cast<int64_t>(base) - static_cast<int64_t>(trace.zero_us);
    js += "{page: " + JsString(trace.page) + ", test: " + JsString(trace.test) +
          ", offset: " + std::to_string(offset) + "}";
  } else {
    js += "null";
  }
  js += ",\n  events: [";
  for (size_t i = 0; i < events.size(); i++) {
    js += (i ? ",\n    [" : "\n    [") +
          std::to_string(have_times ? events[i].time_us - base : events[i].time_us) + ", " +
          JsString(events[i].description) + "]";
  }
  js += "],\n  keys: [";
  for (size_t k = 0; k < result.keys.size(); k++) {
    const LinKeyResult& kr = result.keys[k];
    std::map<size_t, size_t> position;  // op -> index in best_order
    for (size_t i = 0; i < kr.best_order.size(); i++) position[kr.best_order[i]] = i;
    std::map<size_t, std::string> stuck;
    for (size_t i = 0; i < kr.stuck.size(); i++) stuck[kr.stuck[i]] = kr.stuck_reasons[i];
    std::string before_stuck = kr.best_values.empty() ? "" : kr.best_values.back();
    std::string verdict = LinVerdictName(kr.verdict);
    if (kr.verdict == LinVerdict::kUnknown) verdict += ": " + LinUndecidedReason(kr.undecided);
    // Keys left unchecked because another key is reported are not shown by default.
    const bool undecided =
        kr.verdict == LinVerdict::kUnknown && kr.undecided != LinUndecided::kNotNeeded;
    js += std::string(k ? "," : "") + "\n   {key: " + JsString(kr.key) +
          ", verdict: " + JsString(verdict) +
          ", illegal: " + (kr.verdict == LinVerdict::kIllegal ? "true" : "false") +
          ", undecided: " + (undecided ? "true" : "false") +
          ", linearized: " + std::to_string(kr.best_order.size()) +
          ", valueAtStuck: " + JsString(Shorten(before_stuck, true)) + ", ops: [";
    for (size_t i = 0; i < kr.ops.size(); i++) {
      const size_t id = kr.ops[i];
      const KvOp& op = ops[id];
      const bool is_stuck = stuck.count(id) > 0;
      const uint64_t start = have_times ? op.call_us - base : op.call;
      const uint64_t end = have_times ? op.return_us - base : op.ret;
      std::string status = "rest";
      std::string pos = "-1", after = "\"\"";
      if (position.count(id)) {
        status = "lin";
        pos = std::to_string(position[id]);
        after = JsString(Shorten(kr.best_values[position[id]], false));
      } else if (is_stuck) {
        status = "stuck";
      }
      js += std::string(i ? "," : "") + "\n    {id: " + std::to_string(id) +
            ", client: " + std::to_string(op.client) +
            ", kind: " + JsString(KvOpKindName(op.kind)) +
            ", value: " + JsString(Shorten(op.value, is_stuck)) +
            ", output: " + JsString(Shorten(op.output, is_stuck)) +
            ", start: " + std::to_string(start) +
            ", end: " + (op.returned ? std::to_string(end) : "null") + ", status: \"" + status +
            "\", pos: " + pos + ", after: " + after +
            ", why: " + JsString(is_stuck ? stuck[id] : "") + "}";
    }
    js += "]}";
  }
  js += "]\n};\n";
  return js;
}

const char kStyle[] = R"HTML(
body { font: 13px/1.4 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 18px; margin: 0 0 8px 0; }
h2 { font-size: 15px; margin: 20px 0 6px 0; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: 8px; white-space: pre-wrap; word-break: break-all; }
.bad { color: #b00020; } .good { color: #1b7f3b; } .unk { color: #a66a00; }
.controls { margin: 8px 0; } .controls button { margin-right: 4px; }
.legend span { display: inline-block; padding: 1px 6px; margin-right: 8px; border-radius: 3px; }
.scroll { overflow-x: auto; border: 1px solid #ccc; background: #fff; }
.timeline { position: relative; }
.lane-label { position: absolute; left: 0; width: 90px; height: 24px; line-height: 24px; font-size: 12px;
  padding-left: 4px; background: #fafafa; border-right: 1px solid #ddd; z-index: 3; box-sizing: border-box; }
.op { position: absolute; height: 20px; line-height: 20px; font-size: 11px; overflow: hidden; white-space: nowrap;
  border-radius: 3px; box-sizing: border-box; padding: 0 3px; cursor: pointer; z-index: 2; }
.op.lin { background: #cfeedd; border: 1px solid #3a9b62; }
.op.stuck { background: #ffb3b3; border: 2px solid #b00020; font-weight: bold; }
.op.rest { background: #e4e4e4; border: 1px solid #999; color: #555; }
.op.pending { border-right: 3px dashed #333; }
.op.sel { outline: 3px solid #2962ff; }
.fault { position: absolute; top: 0; width: 0; border-left: 2px dashed #e07b00; z-index: 1; }
.fault.near { border-left: 2px solid #d50000; }
.tick { position: absolute; top: 0; font-size: 10px; color: #777; border-left: 1px solid #eee; padding-left: 2px; z-index: 0; }
table { border-collapse: collapse; margin-top: 6px; }
td, th { border: 1px solid #ddd; padding: 2px 8px; text-align: left; font-size: 12px; }
tr.near td { background: #ffe0e0; }
)HTML";

const char kScript[] = R"HTML(
var scale = null;  // pixels per time unit
var LANE = 26, LEFT = 96, TOP = 18;
function unitMs(t) { return DATA.timeUnit === "us" ? (t / 1000).toFixed(3) + " ms" : "step " + t; }
function shown(k) { return k.illegal || k.undecided || document.getElementById("showall").checked; }
function range() {
  var lo = Infinity, hi = -Infinity;
  DATA.keys.forEach(function (k) {
    if (!shown(k)) return;
    k.ops.forEach(function (o) { lo = Math.min(lo, o.start); hi = Math.max(hi, o.end === null ? o.start : o.end); });
  });
  if (lo === Infinity) { lo = 0; hi = 1; }
  if (hi <= lo) hi = lo + 1;
  return [lo, hi];
}
function stuckWindow(k) {
  var lo = Infinity, hi = -Infinity;
  k.ops.forEach(function (o) {
    if (o.status !== "stuck") return;
    lo = Math.min(lo, o.start); hi = Math.max(hi, o.end === null ? o.start : o.end);
  });
  return [lo, hi];
}
function near(t) {
  var w = null;
  DATA.keys.forEach(function (k) {
    if (!k.illegal) return;
    var s = stuckWindow(k);
    if (s[0] !== Infinity) {
      var margin = DATA.timeUnit === "us" ? 1000000 : 2;
      if (t >= s[0] - margin && t <= s[1]) w = true;
    }
  });
  return w === true;
}
function lanes(k) {
  var byClient = {}, out = [];
  k.ops.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (o) {
    var ls = byClient[o.client] || (byClient[o.client] = []);
    var end = o.end === null ? Infinity : o.end, placed = false;
    for (var i = 0; i < ls.length && !placed; i++) {
      if (ls[i].last < o.start) { ls[i].last = end; ls[i].ops.push(o); placed = true; }
    }
    if (!placed) ls.push({client: o.client, last: end, ops: [o]});
  });
  Object.keys(byClient).map(Number).sort(function (a, b) { return a - b; }).forEach(function (c) {
    byClient[c].forEach(function (l, i) { out.push({label: "client " + c + (i ? " (" + (i + 1) + ")" : ""), ops: l.ops}); });
  });
  return out;
}
function label(o) {
  var s = o.kind === "Get" ? "Get \u2192 " + JSON.stringify(o.output) : o.kind + " " + JSON.stringify(o.value);
  return (o.pos >= 0 ? "#" + (o.pos + 1) + " " : "") + s;
}
function el(tag, cls, parent) { var e = document.createElement(tag); if (cls) e.className = cls; if (parent) parent.appendChild(e); return e; }
function details(k, o, div) {
  document.querySelectorAll(".op.sel").forEach(function (e) { e.classList.remove("sel"); });
  div.classList.add("sel");
  var t = "key        " + JSON.stringify(k.key) + "\nclient     " + o.client + "\noperation  " + o.kind +
    (o.kind === "Get" ? "\nreturned   " + JSON.stringify(o.output) : "\nargument   " + JSON.stringify(o.value)) +
    "\ncalled at  " + unitMs(o.start) + "\nreturned at " + (o.end === null ? "never" : unitMs(o.end));
  if (o.status === "lin") t += "\nlinearized as #" + (o.pos + 1) + " of the longest linearization found; value after it: " + JSON.stringify(o.after);
  if (o.status === "stuck") t += "\nCOULD NOT BE LINEARIZED: " + o.why + "\nvalue after the longest linearization: " + JSON.stringify(k.valueAtStuck);
  if (o.status === "rest") t += "\nnot reached by the longest linearization";
  document.getElementById("details").textContent = t;
  var link = document.getElementById("tracelink");
  if (DATA.trace) {
    var at = Math.round(o.start + DATA.trace.offset);
    link.href = DATA.trace.page + "#t=" + at + "&test=" + encodeURIComponent(DATA.trace.test);
    link.textContent = "open this moment (" + unitMs(o.start) + ") in the trace timeline";
  }
}
// The default zoom: the whole history across the page, but at least wide enough that the first
// operations that could not be linearized take a quarter of it.
function defaultScale(r) {
  var avail = Math.max(300, document.documentElement.clientWidth - 2 * 16 - LEFT - 60);
  var s = avail / (r[1] - r[0]);
  DATA.keys.forEach(function (k) {
    if (!k.illegal || !shown(k)) return;
    var w = stuckWindow(k);
    if (w[0] !== Infinity) s = Math.max(s, Math.min(avail / 4 / Math.max(1, w[1] - w[0]), avail / 2));
  });
  return Math.max(1e-6, s);
}
// Scrolls the first operation that could not be linearized into the middle of the view.
function showStuck() {
  var d = document.querySelector("#keys .op.stuck");
  if (!d) return;
  var sc = d.parentNode.parentNode;
  sc.scrollLeft = Math.max(0, d.offsetLeft + d.offsetWidth / 2 - sc.clientWidth / 2);
  // The key's heading at the top if the operation still fits below it, else the operation in
  // the middle.
  var r = d.getBoundingClientRect(), h = sc.previousElementSibling.getBoundingClientRect();
  window.scrollBy(0, r.bottom - h.top < window.innerHeight - 40 ? h.top - 8 : r.top - window.innerHeight / 2);
}
// Lane labels stay at the left edge while a timeline scrolls sideways.
function keepLabels(sc) {
  sc.onscroll = function () {
    sc.querySelectorAll(".lane-label").forEach(function (l) { l.style.left = sc.scrollLeft + "px"; });
  };
}
function draw() {
  var r = range();
  if (scale === null) scale = defaultScale(r);
  var root = document.getElementById("keys");
  root.innerHTML = "";
  DATA.keys.forEach(function (k) {
    if (!shown(k)) return;
    var h = el("h2", k.illegal ? "bad" : k.undecided ? "unk" : "good", root);
    h.textContent = "key " + JSON.stringify(k.key) + ": " + k.verdict + " (" + k.ops.length + " operations, " +
      k.linearized + " in the longest linearization)";
    var ls = lanes(k), scroll = el("div", "scroll", root), tl = el("div", "timeline", scroll);
    keepLabels(scroll);
    var height = TOP + ls.length * LANE + 4, width = LEFT + (r[1] - r[0]) * scale + 60;
    tl.style.height = height + "px"; tl.style.width = width + "px";
    var step = Math.pow(10, Math.ceil(Math.log10(120 / scale)));
    for (var t = Math.ceil(r[0] / step) * step; t <= r[1]; t += step) {
      var tick = el("div", "tick", tl);
      tick.style.left = (LEFT + (t - r[0]) * scale) + "px"; tick.style.height = height + "px";
      tick.textContent = unitMs(t);
    }
    DATA.events.forEach(function (ev) {
      if (ev[0] < r[0] || ev[0] > r[1]) return;
      var f = el("div", "fault" + (near(ev[0]) ? " near" : ""), tl);
      f.style.left = (LEFT + (ev[0] - r[0]) * scale) + "px"; f.style.height = height + "px";
      f.title = unitMs(ev[0]) + ": " + ev[1];
    });
    ls.forEach(function (lane, i) {
      var lab = el("div", "lane-label", tl);
      lab.style.top = (TOP + i * LANE) + "px"; lab.textContent = lane.label;
      lane.ops.forEach(function (o) {
        var d = el("div", "op " + o.status + (o.end === null ? " pending" : ""), tl);
        var end = o.end === null ? r[1] : o.end;
        d.style.left = (LEFT + (o.start - r[0]) * scale) + "px";
        d.style.width = Math.max(3, (end - o.start) * scale) + "px";
        d.style.top = (TOP + i * LANE + 2) + "px";
        d.textContent = label(o);
        d.title = label(o) + "  [" + unitMs(o.start) + " .. " + (o.end === null ? "never" : unitMs(o.end)) + "]" +
          (o.why ? "\n" + o.why : "");
        d.onclick = function () { details(k, o, d); };
      });
    });
  });
  var tb = document.getElementById("events");
  tb.innerHTML = "<tr><th>time</th><th>event</th></tr>";
  DATA.events.forEach(function (ev) {
    var tr = el("tr", near(ev[0]) ? "near" : "", tb);
    el("td", "", tr).textContent = unitMs(ev[0]);
    el("td", "", tr).textContent = ev[1];
  });
  if (!DATA.events.length) tb.innerHTML += "<tr><td colspan=2>no faults recorded</td></tr>";
}
function zoom(f) { scale *= f; draw(); }
function fit() { scale = null; draw(); showStuck(); }
window.onload = function () {
  document.getElementById("summary").textContent = DATA.summary;
  draw();
  showStuck();
};
)HTML";

}  // namespace

std::string RenderLinearizabilityHtml(const std::string& title, const std::vector<KvOp>& ops,
                                      const LinResult& result,
                                      const std::vector<TimedEvent>& events,
                                      const LinTraceLink& trace) {
  const char* cls = result.verdict == LinVerdict::kIllegal ? "bad"
                    : result.verdict == LinVerdict::kOk    ? "good"
                                                           : "unk";
  std::string html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>" +
                     HtmlEscape(title) + "</title>\n<style>" + kStyle + "</style>\n</head><body>\n";
  html += "<h1>" + HtmlEscape(title) + ": <span class=\"" + cls + "\">" +
          LinVerdictName(result.verdict) + "</span></h1>\n";
  html += "<pre id=\"summary\"></pre>\n";
  html +=
      "<div class=\"legend\"><span class=\"op lin\" style=\"position:static\">#n linearized "
      "(order of the longest linearization found)</span><span class=\"op stuck\" "
      "style=\"position:static\">could not be linearized next</span><span class=\"op rest\" "
      "style=\"position:static\">after the point where the search got stuck</span>"
      "<span style=\"border-left:2px dashed #e07b00\">fault or scenario event</span>"
      "<span style=\"border-left:2px solid #d50000\">event near the failure</span></div>\n";
  html +=
      "<div class=\"controls\"><button onclick=\"zoom(2)\">zoom in</button><button "
      "onclick=\"zoom(0.5)\">zoom out</button><button onclick=\"fit()\">fit</button> "
      "<label><input type=\"checkbox\" id=\"showall\" onchange=\"fit()\"> also draw the keys "
      "that linearize</label> &nbsp; times from the first operation, in reactor time "
      "(virtual in sim); hover over or click an operation for details</div>\n";
  html +=
      "<div id=\"keys\"></div>\n<h2>Selected operation</h2><pre id=\"details\">(click an "
      "operation)</pre><a id=\"tracelink\"></a>\n<h2>Faults and scenario events</h2><table id=\"events\"></table>\n";
  html += "<script>\n" + DataScript(ops, result, events, trace) + kScript + "</script>\n</body></html>\n";
  return html;
}

bool WriteLinearizabilityHtml(const std::string& path, const std::string& title,
                              const std::vector<KvOp>& ops, const LinResult& result,
                              const std::vector<TimedEvent>& events, std::string* error,
                              const LinTraceLink& trace) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    *error = "cannot open " + path + " for writing";
    return false;
  }
  out << RenderLinearizabilityHtml(title, ops, result, events, trace);
  out.close();
  if (!out) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace harness
}  // namespace janus
