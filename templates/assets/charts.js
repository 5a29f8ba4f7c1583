// The charts, drawn with uPlot (inlined in the page; its source runs on the first draw): (b) where the run's total
// time goes, (c) the run on every GPU of the catalogue, and (a) the time per iteration of a pasted log (log.js hands
// its series over).
// Python computes every value and every text; this file only places them. A chart is created when its figure comes
// near the viewport and has data, re-created when the data or the theme changes, and resized with its box. Each
// figure carries its data as a table too (pre-rendered by build.py for (b) and (c)), which is the text alternative.
(function () {
  "use strict";
  const doc = document;
  const root = doc.documentElement;
  const est = window.__estimator;
  const cfg = est.config;
  const C = cfg.charts;
  const charts = est.charts = {
    instances: {}, draws: { breakdown: 0, gpus: 0, log: 0 }, drawMs: {}, libraryMs: null, compareCalls: 0,
    compareInflight: 0,
    compareQuery: "", setLog: () => {}, logKinds: () => [],
  };
  if (typeof window.__uplot !== "function") return;  // no chart library: the tables remain
  // uPlot's inlined source runs on the first draw (build.py wraps it), not while the page loads.
  let lib = null;
  function uPlotLib() {
    if (!lib) {
      const t0 = performance.now();
      lib = window.__uplot();
      charts.libraryMs = performance.now() - t0;  // measured: what running uPlot's source cost, once
    }
    return lib;
  }

  const KINDS = ["kept", "iter0", "warmup", "eval", "average", "spike", "other"];
  const kindOf = (reason) => (reason === null || reason === undefined ? "kept" : (cfg.logReasons[reason] || "other"));

  function colours() {
    const cs = getComputedStyle(root);
    const v = (name) => cs.getPropertyValue(name).trim();
    const kinds = {};
    for (const k of KINDS) kinds[k] = v("--chart-" + k);
    return {
      fg: v("--fg"), muted: v("--muted"), grid: v("--chart-grid"), card: v("--card"), onBar: v("--chart-on-bar"),
      fits: v("--chart-fits"), tight: v("--chart-tight"), nofit: v("--chart-nofit"), yours: v("--chart-yours"), kinds,
    };
  }
  const narrow = () => window.matchMedia("(max-width: 40rem)").matches;
  const fontPx = () => (narrow() ? 11 : 12);
  const font = (px) => px + "px " + getComputedStyle(doc.body).fontFamily;
  const dpr = () => window.devicePixelRatio || 1;

  // ---- lazy figures ----
  const figures = new Map();
  function figure(name, make, height) {
    const el = doc.getElementById("chart-" + name);
    if (!el) return null;
    const f = { name, el, box: el.querySelector(".chart-canvas"), make, height, near: false, data: null, plot: null,
      width: 0 };
    figures.set(name, f);
    return f;
  }
  function destroy(f) {
    if (f.plot) { f.plot.destroy(); f.plot = null; }
    charts.instances[f.name] = null;
  }
  function draw(f) {
    if (!f || !f.near || !f.data) return;
    const width = f.box.clientWidth;
    if (!width) return;
    const t0 = performance.now();
    destroy(f);
    f.width = width;
    f.plot = f.make(f, width, f.height(f.data));
    charts.instances[f.name] = f.plot;
    charts.draws[f.name] += 1;
    charts.drawMs[f.name] = performance.now() - t0;
  }
  function setData(f, data) {
    if (!f) return;
    f.data = data;
    if (f.near) later(f); else destroy(f);
  }
  // A draw in a task of its own, so that it never lengthens the task that rendered the numbers.
  function later(f) {
    clearTimeout(f.timer);
    f.timer = setTimeout(() => draw(f), 0);
  }
  const near = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
    for (const e of entries) {
      const f = figures.get(e.target.getAttribute("data-chart"));
      if (!f) continue;
      f.near = e.isIntersecting;
      if (f.near && (!f.plot || f.box.clientWidth !== f.width)) later(f);
    }
  }, { rootMargin: "400px 0px" }) : null;
  const resized = "ResizeObserver" in window ? new ResizeObserver((entries) => {
    for (const e of entries) {
      const f = figures.get(e.target.closest("[data-chart]").getAttribute("data-chart"));
      if (!f || !f.plot) continue;
      const width = f.box.clientWidth;
      if (width && width !== f.width) later(f);  // re-created: the axis sizes and fonts follow the width
    }
  }) : null;
  function watch(f) {
    if (!f) return;
    if (near) near.observe(f.el); else f.near = true;
    if (resized) resized.observe(f.box);
  }

  // ---- horizontal bars: one row per category, a value label (Python's text) at the end of each bar ----
  function hbars(f, width, height, spec) {
    const c = colours();
    const px = fontPx();
    const n = spec.labels.length;
    const xs = spec.labels.map((_, i) => i);
    const measure = doc.createElement("canvas").getContext("2d");
    measure.font = "600 " + font(px);
    const labelWidth = Math.ceil(Math.max(40, ...spec.labels.map((l) => measure.measureText(l).width))) + 14;
    const uPlot = uPlotLib();
    const bars = uPlot.paths.bars({ size: [0.72, 26], align: 0 });
    const series = [{}].concat(spec.series.map((s) => ({
      label: s.label, fill: s.fill, stroke: s.fill, width: 0, paths: bars, points: { show: false },
    })));
    const opts = {
      width, height, legend: { show: false }, cursor: { show: false }, select: { show: false },
      padding: [6, 12, 0, 0],
      scales: {
        x: { time: false, ori: 1, dir: -1, range: () => [-0.5, n - 0.5] },  // the first row on top
        y: { ori: 0, dir: 1, distr: spec.log ? 3 : 1, log: 10, range: spec.range },
      },
      axes: [
        {
          scale: "x", side: 3, size: labelWidth, gap: 6, stroke: c.fg, font: "600 " + font(px),
          grid: { show: false }, ticks: { show: false }, splits: () => xs, values: (u, splits) =>
            splits.map((i) => (Number.isInteger(i) && i >= 0 && i < n ? spec.labels[i] : "")),
        },
        {
          scale: "y", side: 2, label: spec.axisLabel, labelSize: px + 12, labelFont: font(px), font: font(px),
          stroke: c.muted, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1, size: 4 },
          size: px + 16, space: 56,
        },
      ],
      series,
      hooks: { draw: [(u) => barLabels(u, spec, c)] },
    };
    if (spec.log) Object.assign(opts.axes[1], { splits: logSplits, filter: (u, splits) => splits });
    return new uPlot(opts, [xs].concat(spec.series.map((s) => s.values)), f.box);
  }
  function barLabels(u, spec, c) {
    const ctx = u.ctx;
    const r = dpr();
    const pad = 5 * r;
    const right = u.bbox.left + u.bbox.width;
    ctx.save();
    ctx.textBaseline = "middle";
    ctx.font = font(Math.round(fontPx() * r));
    const step = Math.abs(u.valToPos(1, "x", true) - u.valToPos(0, "x", true));
    const thick = Math.min(step * 0.72, 26 * r);
    for (let i = 0; i < spec.labels.length; i++) {
      const y = u.valToPos(i, "x", true);
      let end = null;
      for (let s = 1; s < u.data.length; s++) {
        const v = u.data[s][i];
        if (v !== null && v !== undefined) end = u.valToPos(v, "y", true);
      }
      if (spec.highlight === i) {
        ctx.strokeStyle = c.yours;
        ctx.lineWidth = 2.5 * r;
        ctx.strokeRect(u.bbox.left + r, y - thick / 2 - 2 * r, Math.max(end === null ? 0 : end - u.bbox.left, 3 * r),
          thick + 4 * r);
      }
      const text = spec.texts[i] || "";
      if (!text) continue;
      const w = ctx.measureText(text).width;
      const start = end === null ? u.bbox.left : end;
      if (start + pad + w <= right || end === null) {
        ctx.fillStyle = c.fg;
        ctx.textAlign = "left";
        ctx.fillText(text, start + pad, y);
      } else {
        ctx.fillStyle = c.onBar;
        ctx.textAlign = "right";
        ctx.fillText(text, end - pad, y);
      }
    }
    ctx.restore();
  }
  // Ticks on a log axis: 1, 2 and 5 times the powers of ten inside the range (every integer multiple when the range
  // is too narrow for three of those), so each labelled line reads plainly.
  function logSplits(u, axisIdx, min, max) {
    const out = [];
    for (const steps of [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
      out.length = 0;
      for (let e = Math.floor(Math.log10(min)) - 1; e <= Math.ceil(Math.log10(max)); e++) {
        for (const m of steps) {
          const v = m * Math.pow(10, e);
          if (v >= min * 0.999 && v <= max * 1.001) out.push(v);
        }
      }
      if (out.length >= 3) break;
    }
    return out;
  }

  // A time axis in the unit that suits the largest value (tick labels are uPlot's; the bars' own labels are
  // Python's text).
  function timeUnit(maxSeconds) {
    if (maxSeconds >= 2 * 3600) return { div: 3600, name: C.units.h };
    if (maxSeconds >= 120) return { div: 60, name: C.units.min };
    return { div: 1, name: C.units.s };
  }

  // ---- (b) where the total time goes: drawn from the live table under the chart ----
  const breakdown = figure("breakdown", (f, width, height) => {
    const c = colours();
    const unit = timeUnit(Math.max(...f.data.map((p) => p.value)));
    return hbars(f, width, height, {
      labels: f.data.map((p) => p.label), texts: f.data.map((p) => p.text), log: false,
      axisLabel: C.breakdown_x + " (" + unit.name + ")",
      series: [{ label: C.breakdown_x, fill: c.kinds.kept, values: f.data.map((p) => p.value / unit.div) }],
      range: (u, min, max) => [0, Math.max(max, 1e-9) * 1.08],
    });
  }, (data) => 44 + data.length * 34);
  function breakdownData() {
    if (!breakdown) return null;
    return Array.from(breakdown.el.querySelectorAll("tr[data-part]")).map((tr, i) => {
      const out = tr.querySelector("td [data-output]");
      let value = null;
      try { value = JSON.parse(out.getAttribute("data-value")); } catch (e) { value = null; }
      return { label: C.breakdown_labels[i], value: typeof value === "number" ? value : 0, text: out.textContent };
    });
  }

  // ---- (c) the run on every GPU: calculator.web.compare_gpus, fastest first ----
  const gpus = figure("gpus", (f, width, height) => {
    const c = colours();
    const rows = f.data.rows;
    const ok = rows.filter((row) => typeof row.total_seconds === "number");
    const unit = timeUnit(Math.max(1, ...ok.map((row) => row.total_seconds)));
    const pick = (verdict) => rows.map((row) => (row.memory_verdict === verdict && typeof row.total_seconds === "number"
      ? row.total_seconds / unit.div : null));
    const lo = Math.min(...ok.map((row) => row.total_seconds)) / unit.div;
    const hi = Math.max(...ok.map((row) => row.total_seconds)) / unit.div;
    const highlight = rows.findIndex((row) => row.gpu === f.data.gpu);
    return hbars(f, width, height, {
      labels: rows.map((row, i) => (i === highlight ? "▶ " : "") + (cfg.gpuNames[row.gpu] || row.name)),
      // Python's texts side by side: the time, the cost where the card has a price, and the marks.
      texts: rows.map((row) => (row.text ? row.text.total_seconds + (typeof row.cost === "number"
        ? " · " + row.text.cost : "") + (row.text.marks ? " (" + row.text.marks + ")" : "") : C.verdicts.error)),
      log: true, highlight: highlight >= 0 ? highlight : null,
      axisLabel: C.gpus_x + " (" + unit.name + ")",
      series: [
        { label: C.verdicts.fits, fill: c.fits, values: pick("fits") },
        { label: C.verdicts.tight, fill: c.tight, values: pick("tight") },
        { label: C.verdicts["does not fit"], fill: c.nofit, values: pick("does not fit") },
      ],
      range: () => [lo > 0 ? lo / 2.2 : 0.01, hi > 0 ? hi * 1.6 : 1],
    });
  }, (data) => 50 + data.rows.length * 24);
  function compareKey(query) {
    const q = new URLSearchParams(query || "");
    q.delete("observed_ms_per_iter");
    q.delete("reported_mfu");
    return q.toString();
  }
  function gpuTable(rows, current) {
    const body = doc.getElementById("gpu-compare-rows");
    if (!body) return;
    body.replaceChildren(...rows.map((row) => {
      const tr = doc.createElement("tr");
      tr.setAttribute("data-gpu", row.gpu);
      if (row.gpu === current) tr.setAttribute("aria-current", "true");
      const th = doc.createElement("th");
      th.scope = "row";
      th.textContent = (cfg.gpuNames[row.gpu] || row.name) + (row.gpu === current ? " (" + C.yours + ")" : "");
      tr.append(th);
      const cell = (text) => { const td = doc.createElement("td"); td.textContent = text; tr.append(td); return td; };
      if (row.error !== undefined) {
        cell(C.verdicts.error + ": " + row.error).colSpan = 6;
      } else {
        cell(row.text.total_seconds).setAttribute("data-value", JSON.stringify(row.total_seconds));
        cell(row.text.ms_per_iter);
        cell(row.text.mfu);
        cell(row.text.memory_verdict).setAttribute("data-verdict", row.memory_verdict);
        const costCell = cell(row.text.cost + (row.text.marks ? " (" + row.text.marks + ")" : ""));
        costCell.setAttribute("data-value", JSON.stringify(row.cost === undefined ? null : row.cost));
        if (row.marks && row.marks.length) costCell.setAttribute("data-marks", row.marks.join(" "));
        cell(row.text.price_per_hour + (typeof row.price_per_hour === "number"
          ? " (" + row.text.price_source + ")" : ""));
      }
      return tr;
    }));
  }
  // The comparison's sentences (rent.py's summary): every [data-compare] element shows Python's text at its path,
  // and hides while there is none (no deadline given, say).
  function compareTexts(answer) {
    for (const el of doc.querySelectorAll("[data-compare]")) {
      const value = est.lib.resolve(answer, el.getAttribute("data-compare"));
      el.textContent = typeof value === "string" ? value : "";
      el.hidden = typeof value !== "string" || value === "";
    }
  }
  let compareTimer = null;
  let wantedKey = "";
  let currentGpu = (doc.querySelector("[data-field][name=gpu]") || {}).value || "";
  async function compare() {
    const key = wantedKey;
    charts.compareInflight += 1;
    try {
      const answer = JSON.parse(await est.call("compare_gpus", key, cfg.lang));
      if (key !== wantedKey) return;  // the inputs changed again meanwhile
      charts.compareQuery = key;
      charts.compareCalls += 1;
      gpuTable(answer.rows, currentGpu);
      compareTexts(answer);
      setData(gpus, { rows: answer.rows, gpu: currentGpu });
    } catch (e) {
      /* Python went away: the last table and chart stay */
    } finally {
      charts.compareInflight -= 1;
    }
  }

  // ---- (a) the per-iteration times of a pasted log ----
  // Groups the analysis' series by what happened to each point: kept, or the kind of its exclusion reason.
  function logKinds(series) {
    const groups = new Map();
    for (const p of series || []) {
      const kind = kindOf(p.excluded);
      if (!groups.has(kind)) groups.set(kind, { kind, label: C.log_series[kind], reasons: new Set(), points: [] });
      const g = groups.get(kind);
      if (p.excluded) g.reasons.add(p.excluded);
      g.points.push(p);
    }
    return KINDS.filter((k) => groups.has(k)).map((k) => groups.get(k));
  }
  const logFig = figure("log", (f, width, height) => {
    const c = colours();
    const px = fontPx();
    const pts = f.data;
    let ordered = true;
    for (let i = 1; i < pts.length; i++) if (!(pts[i].iteration >= pts[i - 1].iteration)) { ordered = false; break; }
    const xs = pts.map((p, i) => (ordered ? p.iteration : i));
    const groups = logKinds(pts);
    const data = [xs];
    const series = [{ label: ordered ? C.log_x : C.log_x_records }];
    for (const g of groups) {
      const col = c.kinds[g.kind];
      data.push(pts.map((p) => (kindOf(p.excluded) === g.kind ? p.ms : null)));
      // The count is the analysis' own (a long log's series is thinned; its kept points are not all drawn).
      const n = f.counts && Number.isInteger(f.counts[g.kind]) ? f.counts[g.kind] : g.points.length;
      const label = g.label + " (" + String(n) + ")";
      if (g.kind === "kept") {
        series.push({ label, stroke: col, width: 1.5, spanGaps: true,
          points: { show: g.points.length <= 120, size: 4, fill: col, stroke: col } });
      } else {
        series.push({ label, stroke: col, fill: col, width: 0, paths: () => null,
          points: { show: true, space: 0, size: g.kind === "iter0" ? 9 : 7, width: 1.5, fill: col, stroke: col } });
      }
    }
    const axis = { font: font(px), labelFont: font(px), stroke: c.muted, grid: { stroke: c.grid, width: 1 },
      ticks: { stroke: c.grid, width: 1, size: 4 } };
    const uPlot = uPlotLib();
    return new uPlot({
      width, height, legend: { show: true, live: false }, padding: [10, 14, 0, 0],
      cursor: { points: { show: false }, drag: { x: true, y: false } },
      scales: { x: { time: false }, y: { distr: 3, log: 10 } },
      axes: [
        Object.assign({ label: ordered ? C.log_x : C.log_x_records, labelSize: px + 12, size: px + 18 }, axis),
        Object.assign({ label: C.log_y, labelSize: px + 14, size: 54, splits: logSplits,
          filter: (u, splits) => splits }, axis),
      ],
      series,
    }, data, f.box);
  }, () => (narrow() ? 260 : 320));
  charts.logKinds = logKinds;
  // For tests and the benchmark: true once the GPU comparison shows the current inputs.
  charts.settled = () => wantedKey === charts.compareQuery && charts.compareInflight === 0;
  charts.setLog = (series, counts) => {
    if (logFig) logFig.counts = counts || null;
    setData(logFig, series && series.length ? series : null);
  };
  // Run uPlot's source while the main thread is idle (e.g. while the worker analyses a log), not in the task that
  // shows the results.
  charts.warm = () => {
    if (lib) return;
    if ("requestIdleCallback" in window) requestIdleCallback(() => uPlotLib(), { timeout: 2000 });
    else setTimeout(uPlotLib, 0);
  };

  // ---- following the page ----
  watch(breakdown);
  watch(gpus);
  watch(logFig);
  setData(breakdown, breakdownData());
  try {
    setData(gpus, { rows: JSON.parse(doc.getElementById("gpu-compare-data").textContent), gpu: currentGpu });
  } catch (e) { /* no pre-rendered rows: the chart waits for Python */ }
  doc.addEventListener("estimator:result", (event) => {
    const result = event.detail.result;
    setData(breakdown, breakdownData());
    const key = compareKey(event.detail.query);
    const gpu = result && result.inputs ? result.inputs.gpu : currentGpu;
    if (key === wantedKey && gpu === currentGpu) return;
    wantedKey = key;
    currentGpu = gpu;
    clearTimeout(compareTimer);
    if (key === charts.compareQuery && gpus && gpus.data) {
      setData(gpus, { rows: gpus.data.rows, gpu: currentGpu });
      return;
    }
    compareTimer = setTimeout(compare, 250);
  });
  doc.addEventListener("estimator:theme", () => {
    for (const f of figures.values()) if (f.plot) later(f);
  });
})();
