// The fleet dashboard: polls /api/fleet every second and redraws. No libraries, no storage:
// the actions token lives only in its input field.
"use strict";

const history = [];
const openTraces = new Set();
let shownFailures = null;
let actionsOn = false;

function text(el, value) { el.textContent = value; return el; }
function cell(row, value, cls) {
  const td = document.createElement("td");
  text(td, value === null || value === undefined || value === "" ? "–" : String(value));
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}
function age(ms) {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return ms + "ms";
  if (ms < 60000) return (ms / 1000).toFixed(1) + "s";
  const s = Math.floor(ms / 1000);
  return Math.floor(s / 60) + "m" + String(s % 60).padStart(2, "0") + "s";
}

async function action(name, params) {
  const out = document.getElementById("action-result");
  const query = params ? "?" + new URLSearchParams(params) : "";
  const response = await fetch("/api/actions/" + name + query, {
    method: "POST", headers: { "X-PP-Token": document.getElementById("token").value } });
  const body = await response.json().catch(() => ({}));
  text(out, response.ok ? name + ": " + JSON.stringify(body) : "refused (" + response.status + "): " + (body.error || ""));
  return response.status;
}

function actionButton(label, name, params) {
  const b = document.createElement("button");
  text(b, label);
  b.addEventListener("click", () => action(name, params));
  return b;
}

function drawWorkers(stats) {
  const body = document.querySelector("#workers tbody");
  body.replaceChildren();
  const at = Date.parse(stats.at);
  for (const w of stats.workers) {
    const row = document.createElement("tr");
    row.dataset.pid = w.pid;
    cell(row, w.pid);
    cell(row, w.name);
    cell(row, w.kind);
    cell(row, w.host);
    cell(row, w.state, "state-" + w.state);
    cell(row, w.queued);
    cell(row, w.runningJobId, "mono");
    cell(row, w.runningSince ? age(at - Date.parse(w.runningSince)) : null);
    cell(row, w.done);
    cell(row, w.failed);
    cell(row, age(w.heartbeatAgeMs));
    const act = cell(row, "", "act");
    if (actionsOn) {
      act.replaceChildren(actionButton("close", "close", { pid: w.pid }));
      if (w.runningJobId) act.appendChild(actionButton("cancel job", "cancel", { job: w.runningJobId }));
    }
    body.appendChild(row);
  }
  if (stats.workers.length === 0) {
    const row = document.createElement("tr");
    const td = cell(row, "no live worker");
    td.colSpan = 12;
    body.appendChild(row);
  }
}

function drawChart(stats) {
  const canvas = document.getElementById("chart");
  const ctx = canvas.getContext("2d");
  const minutes = stats.minutes.slice().reverse();
  const w = canvas.width, h = canvas.height, pad = 24;
  ctx.clearRect(0, 0, w, h);
  const rates = minutes.map(m => ({ done: m.done / 60, failed: m.failed / 60 }));
  const max = Math.max(0.1, ...rates.map(r => r.done + r.failed));
  const slot = (w - pad) / rates.length;
  ctx.fillStyle = "#6b7385";
  ctx.font = "11px system-ui";
  ctx.fillText(max.toFixed(1) + " jobs/s", 2, 11);
  rates.forEach((r, i) => {
    const x = pad + i * slot + 2, bw = slot - 4;
    const hd = (h - pad) * r.done / max, hf = (h - pad) * r.failed / max;
    ctx.fillStyle = "#2f8f5b";
    ctx.fillRect(x, h - 14 - hd, bw, hd);
    ctx.fillStyle = "#c8463d";
    ctx.fillRect(x, h - 14 - hd - hf, bw, hf);
  });
  ctx.fillStyle = "#6b7385";
  ctx.fillText("-15 min", pad, h - 2);
  ctx.fillText("now", w - 26, h - 2);
}

// Redrawn only when the list changed, so an open stack trace (or a selection in it) stays put.
function drawFailures(failures) {
  const key = JSON.stringify(failures);
  if (key === shownFailures) return;
  shownFailures = key;
  const box = document.getElementById("failures");
  box.replaceChildren();
  if (failures.length === 0) { box.appendChild(text(document.createElement("p"), "none")); return; }
  for (const f of failures) {
    let o = {};
    try { o = JSON.parse(f.outcome || "{}"); } catch (e) { o = { message: String(f.outcome) }; }
    const div = document.createElement("div");
    div.className = "failure";
    const head = document.createElement("div");
    text(head, "job " + f.jobId + (f.pid ? " on worker " + f.pid : "") + " at " + f.at + ": " + (o.reason || "?")
      + (o.errorClass ? " " + o.errorClass : "") + (o.message ? ": " + o.message : ""));
    head.className = "mono";
    div.appendChild(head);
    if (o.stackTrace) {
      const details = document.createElement("details");
      details.open = openTraces.has(f.jobId);
      details.addEventListener("toggle", () => details.open ? openTraces.add(f.jobId) : openTraces.delete(f.jobId));
      details.appendChild(text(document.createElement("summary"), "stack trace"));
      details.appendChild(text(document.createElement("pre"), o.stackTrace));
      div.appendChild(details);
    }
    box.appendChild(div);
  }
}

function drawDead(entries) {
  const body = document.querySelector("#dead tbody");
  body.replaceChildren();
  for (const raw of entries) {
    let e = {};
    try { e = JSON.parse(raw); } catch (x) { e = { reason: "unreadable entry" }; }
    const row = document.createElement("tr");
    cell(row, e.jobId, "mono");
    cell(row, e.reason);
    body.appendChild(row);
  }
  if (entries.length === 0) {
    const row = document.createElement("tr");
    cell(row, "none").colSpan = 2;
    body.appendChild(row);
  }
}

function rate(stats) {
  const total = stats.minutes.reduce((n, m) => n + m.done + m.failed, 0);
  const at = Date.parse(stats.at);
  history.push({ at, total });
  while (history.length > 1 && at - history[0].at > 10000) history.shift();
  if (history.length < 2) return (stats.doneLastMinute + stats.failedLastMinute) / 60;
  const first = history[0];
  return Math.max(0, (total - first.total) * 1000 / Math.max(1, at - first.at));
}

async function refresh() {
  try {
    const response = await fetch("/api/fleet");
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || response.status);
    const s = data.stats;
    actionsOn = data.actions;
    document.getElementById("actions-bar").hidden = !actionsOn;
    text(document.getElementById("fleet"), s.fleet);
    text(document.getElementById("t-workers"), s.workers.length);
    text(document.getElementById("t-backlog"), s.backlog);
    text(document.getElementById("t-queued"), s.queued);
    text(document.getElementById("t-running"), s.running);
    text(document.getElementById("t-delayed"), s.delayed);
    text(document.getElementById("t-dead"), s.dead);
    text(document.getElementById("t-rate"), rate(s).toFixed(1));
    text(document.getElementById("t-minute"), s.doneLastMinute + " / " + s.failedLastMinute);
    drawWorkers(s);
    drawChart(s);
    drawFailures(data.failures);
    drawDead(data.deadLetters);
    text(document.getElementById("updated"), "updated " + new Date().toLocaleTimeString());
  } catch (e) {
    text(document.getElementById("updated"), "cannot reach the fleet: " + e.message);
  }
}

document.getElementById("requeue").addEventListener("click", () => action("requeue"));
refresh();
setInterval(refresh, 1000);
