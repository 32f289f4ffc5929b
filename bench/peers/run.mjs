#!/usr/bin/env node
// `npm run bench`: dlplay's wasm engine against its JavaScript/WebAssembly peers, in one run.
//
// Built on the project's earlier peer harness (bench/peers/README.md has the method): its method, workloads, data, load accounting and the TF.js wasm
// Conv2DBackpropFilter patch are taken over as they are. Trimmed to the peers of issue 3
// (TF.js 4.22 wasm SIMD 1 thread, TF.js cpu, ConvNetJS; no "limits", plain JS, no-SIMD or
// multi-thread rows) and extended with "dlplay-wasm": the same workloads through our
// JavaScript API (wasm/dlplay.js), interleaved with the peers like any other library.
//
// One node process per (library, repetition); repetition r runs the libraries in an order
// rotated by r, so drift hits all alike. The figure is the median over the repetitions.
// Prints one table (median, min–max, dlplay ÷ peer, the goals of issue 3) and writes
// bench/results/latest.json (every raw number) and latest.md (the table).
//
//   node bench/peers/run.mjs              # 3 interleaved repetitions (~5 min on 2 cores)
//   node bench/peers/run.mjs --reps 5
//   node bench/peers/run.mjs --quick      # 1 repetition, short windows (< 60 s): smoke test
//   node bench/peers/run.mjs --libs dlplay-wasm,convnetjs
//   options: --out FILE.json, --wait-quiet S, --wait-quiet-total S, --quiet-cores C,
//            --quiet-rep-cores C, --call-ms MS (dlplay: one train(k) call lasts >= MS),
//            --engine-dir DIR (bench DIR/dlplay_engine.mjs + .wasm instead of build/wasm),
//            --resummarize FILE.json (rebuild the table from a results file's raw runs)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// Each workload's arithmetic per training example (flops.cjs): train GFLOP/s and % of peak.
const { TRAIN_FLOPS } = createRequire(import.meta.url)('./flops.cjs');
const ROOT = path.resolve(HERE, '..', '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};

const QUICK = flag('--quick');
const REPS = Number(opt('--reps', QUICK ? 1 : 3));
const WINDOWS = QUICK
  ? { measureMs: 500, measureMsBig: 500, warmupMs: 200, gemmMeasureMs: 250, gemmWarmupMs: 100 }
  : { measureMs: 2000, measureMsBig: 1500, warmupMs: 800, gemmMeasureMs: 1000, gemmWarmupMs: 300 };
const CALL_MS = Number(opt('--call-ms', 10));
const OUT_JSON = path.resolve(opt('--out', path.join(ROOT, 'bench', 'results', 'latest.json')));
const OUT_MD = OUT_JSON.replace(/\.json$/, '') + '.md';
// Before each worker, wait (bounded) until other processes use < QUIET_CORES.
const QUIET_CORES = Number(opt('--quiet-cores', 0.15));
// A repetition counts as "quiet" if other processes used < this many cores during it.
const QUIET_REP_CORES = Number(opt('--quiet-rep-cores', 0.3));
const WAIT_PER_WORKER_S = Number(opt('--wait-quiet', QUICK ? 0 : 15));
const WAIT_TOTAL_S = Number(opt('--wait-quiet-total', 45));

// Library configurations (each one runs in its own node process per repetition).
const LIBS = [
  {
    id: 'dlplay-wasm',
    label: 'dlplay (wasm SIMD128, 1 thread)',
    cfg: {
      lib: 'dlplay-wasm',
      dlplayCallMs: CALL_MS,
      engineDir: opt('--engine-dir') ? path.resolve(opt('--engine-dir')) : undefined,
    },
  },
  { id: 'tfjs-wasm', label: 'TF.js 4.22 wasm (SIMD, 1 thread)', cfg: { lib: 'tfjs-wasm' } },
  // The cpu backend's Conv2DBackpropFilter costs ~2 s per W3 step; only the trainOnBatch
  // path is run for W3 (fit/minimize use the same kernels). W5 (~1 s per step): no fit (one
  // call is an epoch of 4 steps).
  {
    id: 'tfjs-cpu',
    label: 'TF.js 4.22 cpu (pure JS)',
    cfg: {
      lib: 'tfjs-cpu',
      paths: {
        W3: ['layers model.trainOnBatch'],
        W5: ['layers model.trainOnBatch', 'core optimizer.minimize'],
      },
    },
  },
  { id: 'convnetjs', label: 'ConvNetJS 0.3.0 (pure JS, float64)', cfg: { lib: 'convnetjs' } },
];
const OURS = 'dlplay-wasm';
// Our figure per workload (the row the ratios are computed from).
const OUR_PATH = {
  'W1 playground': 'session.train(k) per call',
  'W2 mnist-mlp': 'session.train(k) per call',
  'W3 mnist-cnn': 'session.train(k) per call',
  'W5 lstm-lm': 'session.train(k) per call',
};
// Goals of issue 3 ("Benchmark") and issue 12 (W5), as ratios measured in one run.
const GOALS = [
  { task: 'W1 playground', lib: 'convnetjs', factor: 10, text: 'W1 ≥ 10× ConvNetJS steps/s' },
  { task: 'W2 mnist-mlp', lib: 'tfjs-wasm', factor: 5, text: 'W2 ≥ 5× TF.js-wasm examples/s (best path)' },
  {
    task: 'W3 mnist-cnn',
    lib: 'tfjs-wasm',
    factor: 5,
    text: 'W3 ≥ 5× TF.js-wasm examples/s (best path, with the patch)',
  },
  {
    task: 'W4 gemm',
    lib: 'tfjs-wasm',
    path: 'tf.matMul n=256',
    ours: 'benchGemm n=256',
    factor: 1.3,
    text: 'GEMM n=256 ≥ 1.3× TF.js-wasm tf.matMul',
  },
  { task: 'W5 lstm-lm', lib: 'tfjs-wasm', factor: 5, text: 'W5 ≥ 5× TF.js-wasm examples/s (tf.layers.lstm)' },
];

let libs = LIBS;
if (opt('--libs')) {
  const want = new Set(opt('--libs').split(','));
  libs = LIBS.filter((l) => want.has(l.id));
}

// ------------------------------------------------------------ machine load
function procStatBusy() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line;
  return {
    busy: user + nice + system + irq + softirq,
    steal,
    total: line.slice(0, 8).reduce((a, b) => a + b, 0),
  };
}
const HZ = 100; // USER_HZ
async function quietCheck(seconds = 2) {
  const a = procStatBusy();
  const t = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = procStatBusy();
  const wall = (Date.now() - t) / 1000;
  return {
    busyCores: (b.busy - a.busy) / HZ / wall,
    stealCores: (b.steal - a.steal) / HZ / wall,
    seconds: wall,
  };
}

let waitedTotal = 0;
async function waitQuiet() {
  if (WAIT_PER_WORKER_S <= 0) return { waited: 0, load: null };
  const t0 = Date.now();
  let q;
  for (;;) {
    q = await quietCheck(0.5);
    const waited = (Date.now() - t0) / 1000;
    if (q.busyCores < QUIET_CORES || waited >= WAIT_PER_WORKER_S || waitedTotal + waited >= WAIT_TOTAL_S) {
      waitedTotal += waited;
      return { waited, load: q.busyCores };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ------------------------------------------------------------ child runner
function runChild(cmd, args, { env } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const s0 = procStatBusy();
    const p = spawn(cmd, args, { cwd: ROOT, env: Object.assign({}, process.env, env || {}) });
    let out = '',
      err = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.stderr.on('data', (d) => {
      err += d;
    });
    p.on('close', (code) => {
      const s1 = procStatBusy();
      resolve({
        code,
        out,
        err,
        wall: (Date.now() - t0) / 1000,
        busyCpuSec: (s1.busy - s0.busy) / HZ,
        stealSec: (s1.steal - s0.steal) / HZ,
      });
    });
  });
}

async function runWorker(lib, rep) {
  const cfg = Object.assign({}, lib.cfg, WINDOWS);
  const r = await runChild(process.execPath, [path.join(HERE, 'worker.cjs'), JSON.stringify(cfg)]);
  const line = r.out.split('\n').find((l) => l.startsWith('RESULT_JSON '));
  let parsed = null;
  if (line) parsed = JSON.parse(line.slice('RESULT_JSON '.length));
  const meta = parsed ? parsed.meta : { fatal: 'no RESULT_JSON; exit ' + r.code + ': ' + r.err.slice(-800) };
  // CPU used by everything else on the machine while this worker ran (cores).
  const otherLoad = meta.cpuSeconds != null ? Math.max(0, (r.busyCpuSec - meta.cpuSeconds) / r.wall) : null;
  if (meta.initError || meta.fatal) {
    const errLines = r.err.split('\n').filter((l) => l.trim() && !/RESULT_JSON/.test(l));
    meta.stderrTail = errLines.slice(-8).join('\n');
  }
  return {
    lib: lib.id,
    label: lib.label,
    rep,
    wall: r.wall,
    otherLoad,
    stealCores: r.stealSec / r.wall,
    meta,
    results: parsed ? parsed.results : [],
  };
}

// ------------------------------------------------------------ stats + table
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
function metricOf(r) {
  if (r.error || r.na) return null;
  if (r.task.startsWith('W1')) return { value: r.stepsPerSec, unit: 'steps/s' };
  if (r.task.startsWith('W2') || r.task.startsWith('W3') || r.task.startsWith('W5'))
    return { value: r.examplesPerSec, unit: 'examples/s' };
  return { value: r.gflops, unit: 'GFLOP/s' };
}
const TASK_ORDER = ['W1 playground', 'W2 mnist-mlp', 'W3 mnist-cnn', 'W4 gemm', 'W5 lstm-lm'];
function summarize(runs) {
  const rows = new Map();
  for (const run of runs) {
    for (const r of run.results) {
      const key = `${r.task}|${run.lib}|${r.path}`;
      if (!rows.has(key))
        rows.set(key, {
          task: r.task,
          lib: run.lib,
          label: run.label,
          path: r.path,
          values: [],
          repOf: [],
          errors: [],
          extra: [],
          loads: [],
          quiet: [],
        });
      const row = rows.get(key);
      if (run.otherLoad != null) row.loads.push(run.otherLoad);
      const m = metricOf(r);
      if (m) {
        row.values.push(m.value);
        row.repOf.push(run.rep);
        row.unit = m.unit;
        row.extra.push(r);
        if (run.otherLoad != null && run.otherLoad < QUIET_REP_CORES) row.quiet.push(m.value);
      } else if (r.na) {
        row.na = r.na; // the library has no such model (ConvNetJS: W5)
      } else row.errors.push(r.error);
    }
  }
  const out = [];
  for (const row of rows.values()) {
    const s = {
      task: row.task,
      lib: row.lib,
      label: row.label,
      path: row.path,
      unit: row.unit || '',
      reps: row.values.length,
      values: row.values,
      valueReps: row.repOf,
      maxOtherLoadCores: row.loads.length ? Math.max(...row.loads) : null,
    };
    if (row.values.length) {
      s.median = median(row.values);
      s.min = Math.min(...row.values);
      s.max = Math.max(...row.values);
      s.spreadPct = (100 * (s.max - s.min)) / s.median;
      s.quietReps = row.quiet.length;
      s.quietMedian = row.quiet.length ? median(row.quiet) : null;
      const ex = row.extra;
      if (ex[0].examplesPerSec != null && row.task.startsWith('W1'))
        s.examplesPerSecMedian = median(ex.map((e) => e.examplesPerSec));
      // The arithmetic a training example needs (flops.cjs) at the measured rate.
      const flops = TRAIN_FLOPS[row.task.split(' ')[0]];
      const perSecond = row.task.startsWith('W1') ? s.examplesPerSecMedian : s.median;
      if (flops && perSecond != null) s.trainGflopsMedian = (perSecond * flops) / 1e9;
      if (ex[0].nParams != null) s.nParams = ex[0].nParams;
      if (ex[0].lossStart != null) {
        s.lossStart = ex[0].lossStart;
        s.lossEnd = ex[0].lossEnd;
      }
      if (ex[0].stepsPerCall != null) s.stepsPerCall = ex.map((e) => e.stepsPerCall);
      if (ex[0].repsPerCall != null) s.repsPerCall = ex.map((e) => e.repsPerCall);
      const tg = ex.map((e) => e.tensorGrowthDuringMeasure).filter((x) => x != null);
      if (tg.length) s.maxTensorGrowthDuringMeasure = Math.max(...tg);
    }
    if (row.errors.length) s.error = row.errors[0];
    if (row.na) s.na = row.na;
    out.push(s);
  }
  const libOrder = LIBS.map((l) => l.id);
  out.sort(
    (a, b) =>
      TASK_ORDER.indexOf(a.task) - TASK_ORDER.indexOf(b.task) ||
      libOrder.indexOf(a.lib) - libOrder.indexOf(b.lib) ||
      (b.path === OUR_PATH[b.task]) - (a.path === OUR_PATH[a.task]) ||
      a.path.localeCompare(b.path, 'en', { numeric: true }),
  );
  // dlplay ÷ this row: our main figure for the workload (GEMM: the same n) over this row's median.
  const oursFor = (s) => {
    let p = OUR_PATH[s.task];
    if (s.task === 'W4 gemm') p = s.n != null ? `benchGemm n=${s.n}` : null;
    return out.find((o) => o.lib === OURS && o.task === s.task && o.path === p && o.median != null);
  };
  for (const s of out) {
    const m = /n=(\d+)/.exec(s.path);
    if (s.task === 'W4 gemm' && m) s.n = Number(m[1]);
  }
  for (const s of out) {
    const o = oursFor(s);
    if (s.lib !== OURS && o && s.median != null) s.ratioOursToThis = o.median / s.median;
  }
  return out;
}
// Goals: against the peer's best path for the workload (GEMM: the named path).
function goals(summary) {
  return GOALS.map((g) => {
    const ours = summary.find(
      (s) =>
        s.lib === OURS && s.task === g.task && s.path === (g.ours || OUR_PATH[g.task]) && s.median != null,
    );
    const peerRows = summary.filter(
      (s) => s.lib === g.lib && s.task === g.task && s.median != null && (!g.path || s.path === g.path),
    );
    const peer = peerRows.sort((a, b) => b.median - a.median)[0];
    const r = {
      goal: g.text,
      factor: g.factor,
      task: g.task,
      peerLib: g.lib,
      peerPath: peer ? peer.path : null,
      peerMedian: peer ? peer.median : null,
      oursPath: g.ours || OUR_PATH[g.task],
      oursMedian: ours ? ours.median : null,
    };
    if (ours && peer) {
      r.ratio = ours.median / peer.median;
      r.met = r.ratio >= g.factor;
      // The same ratio per repetition (both measured in that repetition), to show its range.
      r.ratioPerRep = [];
      ours.values.forEach((v, i) => {
        const j = peer.valueReps.indexOf(ours.valueReps[i]);
        if (j >= 0) r.ratioPerRep.push(v / peer.values[j]);
      });
      r.ratioRange = r.ratioPerRep.length ? [Math.min(...r.ratioPerRep), Math.max(...r.ratioPerRep)] : null;
      // The per-repetition ratios fall on both sides of the goal: the verdict is within the noise.
      r.uncertain = !!r.ratioRange && r.ratioRange[0] < g.factor && r.ratioRange[1] >= g.factor;
    } else {
      r.met = null;
      r.why = !ours
        ? 'no dlplay figure' +
          (summary.find((s) => s.lib === OURS && s.task === g.task && s.error)
            ? ': ' + summary.find((s) => s.lib === OURS && s.task === g.task && s.error).error
            : '')
        : 'no peer figure';
    }
    r.peerRowKey = peer ? `${peer.task}|${peer.lib}|${peer.path}` : null;
    return r;
  });
}
const fmt = (x) =>
  x == null
    ? ''
    : x >= 1000
      ? Math.round(x).toLocaleString('en-US')
      : x >= 100
        ? x.toFixed(0)
        : x >= 10
          ? x.toFixed(1)
          : x.toFixed(2);
const fmtRatio = (x) =>
  x == null ? '' : (x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2)) + '×';
const verdict = (g) => (g.met ? '**met**' : '**not met**') + (g.uncertain ? ' (within noise)' : '');
const goalCell = (g) => `goal ≥ ${g.factor}×: ${g.met == null ? 'n/a' : verdict(g)}`;
function table(summary, gs) {
  const lines = [];
  lines.push(
    '| workload | library | path | median | unit | min–max | spread | dlplay ÷ this | goal (issues 3, 12, 14) | train GFLOP/s | other load max |',
  );
  lines.push('|---|---|---|---:|---|---:|---:|---:|---|---:|---:|');
  for (const s of summary) {
    const g = gs.find((x) => x.peerRowKey === `${s.task}|${s.lib}|${s.path}`);
    const ourGoal = s.lib === OURS && gs.find((x) => x.task === s.task && x.met == null && s.error);
    const name = s.lib === OURS ? `**${s.label}**` : s.label;
    if (s.median == null && s.na && !s.error) {
      lines.push(`| ${s.task} | ${name} | ${s.na} | — | | | | | | | |`);
      continue;
    }
    if (s.median == null) {
      lines.push(
        `| ${s.task} | ${name} | ${s.path} | n/a | | | | | ${ourGoal ? goalCell(ourGoal) : ''} | ERROR: ${String(s.error).replace(/\|/g, '/').slice(0, 90)} | |`,
      );
      continue;
    }
    lines.push(
      `| ${s.task} | ${name} | ${s.path} | **${fmt(s.median)}** | ${s.unit} | ${fmt(s.min)}–${fmt(s.max)} | ` +
        `${s.spreadPct.toFixed(0)}% | ${s.lib === OURS ? '' : fmtRatio(s.ratioOursToThis)} | ${g ? goalCell(g) : ''} | ` +
        `${s.trainGflopsMedian != null ? s.trainGflopsMedian.toPrecision(2) : ''} | ` +
        `${s.maxOtherLoadCores != null ? s.maxOtherLoadCores.toFixed(2) : ''} |`,
    );
  }
  return lines.join('\n');
}
// The SIMD128 peak measured in this run (dlplay's probe, the median over its repetitions).
function peakOf(result) {
  const peaks = result.runs.map((r) => r.meta?.simdPeakGflops).filter((x) => x > 0);
  return peaks.length ? median(peaks) : null;
}
// The short table: per workload dlplay's figure, the best peer's, their ratio, the goal, and how
// much of the SIMD128 peak dlplay's arithmetic reaches (train GFLOP/s: the products of forward,
// weight and input gradients, flops.cjs; the GEMM's own GFLOP/s).
function compactTable(summary, gs, peak) {
  const lines = [
    `| workload | dlplay | best peer | dlplay ÷ best peer | goal | % of SIMD128 peak (${peak ? peak.toFixed(1) : '?'} GFLOP/s) |`,
    '|---|---:|---|---:|---|---:|',
  ];
  for (const g of gs) {
    const ours = summary.find(
      (s) => s.lib === OURS && s.task === g.task && s.path === g.oursPath && s.median != null,
    );
    const gflops = ours ? (g.task === 'W4 gemm' ? ours.median : ours.trainGflopsMedian) : null;
    const pct = gflops != null && peak ? `${((100 * gflops) / peak).toFixed(0)} %` : '';
    lines.push(
      `| ${g.task} | ${ours ? `${fmt(ours.median)} ${ours.unit}` : 'n/a'} | ` +
        `${g.peerMedian != null ? `${g.peerLib} ${g.peerPath}: ${fmt(g.peerMedian)}` : 'n/a'} | ` +
        `${g.ratio != null ? `**${fmtRatio(g.ratio)}**` : ''} | ≥ ${g.factor}×: ${g.met == null ? 'n/a' : verdict(g)} | ${pct} |`,
    );
  }
  const team = (n) =>
    summary.find((s) => s.lib === OURS && s.path === `team of ${n}, shards 8` && s.median != null);
  const one = team('1 worker');
  const two = team('2 workers');
  if (one && two)
    lines.push(
      '',
      `W3 data-parallel (shards 8, the same weights): 1 worker ${fmt(one.median)}, 2 workers ${fmt(two.median)} examples/s: ` +
        `**${fmtRatio(two.median / one.median)}** at 2 workers (per repetition ${two.values
          .map((v, i) => fmtRatio(v / one.values[i]))
          .join(', ')}).`,
    );
  return lines.join('\n');
}
function goalLines(gs) {
  return gs
    .map(
      (g) =>
        `- ${g.goal}: ` +
        (g.met == null
          ? `**n/a** (${g.why})`
          : `${fmtRatio(g.ratio)} (${g.ratioRange ? `per repetition ${fmtRatio(g.ratioRange[0])}–${fmtRatio(g.ratioRange[1])}; ` : ''}` +
            `dlplay ${fmt(g.oursMedian)} vs ${g.peerPath} ${fmt(g.peerMedian)}) → ${verdict(g)}` +
            (g.uncertain ? ': the per-repetition ratios fall on both sides of the goal' : '')),
    )
    .join('\n');
}
function markdown(result) {
  const { machine, summary } = result;
  const gs = result.goals;
  const dl = (result.runs.find((r) => r.lib === OURS && !r.meta.initError && !r.meta.fatal) || { meta: {} })
    .meta;
  const dlErr = (
    result.runs.find((r) => r.lib === OURS && (r.meta.initError || r.meta.fatal)) || { meta: {} }
  ).meta;
  const w = (result.runs.find((r) => r.lib === 'tfjs-wasm' && !r.meta.fatal) || { meta: {} }).meta;
  const kOf = (t) => {
    const s = summary.find((x) => x.lib === OURS && x.task === t && x.stepsPerCall);
    return s ? [...new Set(s.stepsPerCall)].join('/') : '–';
  };
  return [
    `Run ${result.date} (${result.durationSeconds.toFixed(0)} s), ${machine.cpuModel}, ${machine.logicalCores} cores, ` +
      `node ${machine.node} (V8 ${machine.v8}); ${result.config.reps} interleaved repetition(s)` +
      `${result.config.quick ? ' (--quick: short windows, indicative only)' : ''}, median shown. All single-thread but the W3 team of 2 workers.`,
    `dlplay: SIMD=${dl.dlplaySimd ?? 'n/a'}${dl['dlplay_engine.wasm'] ? `, dlplay_engine.wasm ${dl['dlplay_engine.wasm'].bytes} bytes built ${dl['dlplay_engine.wasm'].mtime}` : ''}` +
      `${result.config.engineDir ? ` (from ${result.config.engineDir})` : ''}; ` +
      `one unit = session.train(k, {evaluate: false}) with k calibrated to ≥ ${CALL_MS} ms per call (k = W1 ${kOf('W1 playground')}, W2 ${kOf('W2 mnist-mlp')}, W3 ${kOf('W3 mnist-cnn')}, W5 ${kOf('W5 lstm-lm')})` +
      (dlErr.initError || dlErr.fatal
        ? `. **LOAD ERROR**: ${(dlErr.initError || dlErr.fatal).split('\n')[0]}`
        : '') +
      '.',
    `TF.js wasm: SIMD=${w.WASM_HAS_SIMD_SUPPORT}, threads=${w.wasmThreads}, binary ${(w.wasmBinariesLoaded || []).join(', ')}. ` +
      `Load from other processes during the workers: median ${fmt(result.otherLoadCores.median)}, max ${fmt(result.otherLoadCores.max)} cores` +
      (result.otherLoadCores.max > QUIET_REP_CORES ? ' (**busy machine: figures are noisy**)' : '') +
      '.',
    '',
    compactTable(summary, gs, peakOf(result)),
    '',
    'Every row:',
    '',
    table(summary, gs),
    '',
    'Goals (issues 3, 12 and 14; ratios of medians in this run):',
    goalLines(gs),
    '',
  ].join('\n');
}

// ------------------------------------------------------------ main
if (opt('--resummarize')) {
  const src = path.resolve(opt('--resummarize'));
  const j = JSON.parse(fs.readFileSync(src, 'utf8'));
  j.summary = summarize(j.runs);
  j.goals = goals(j.summary);
  fs.writeFileSync(src, JSON.stringify(j, null, 1) + '\n');
  const md = markdown(j);
  fs.writeFileSync(src.replace(/\.json$/, '') + '.md', md);
  console.log(md);
  process.exit(0);
}
(async () => {
  const started = new Date();
  const machine = {
    cpuModel: os.cpus()[0].model,
    logicalCores: os.cpus().length,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
  console.log(
    `dlplay benchmark ${started.toISOString()}  ${machine.cpuModel}, ${machine.logicalCores} cores, node ${machine.node}`,
  );
  const quiet = await quietCheck(QUICK ? 0.5 : 2);
  console.log(
    `machine load before start: ${quiet.busyCores.toFixed(2)} cores busy (of ${machine.logicalCores})` +
      (quiet.busyCores > 0.2 ? '  WARNING: something else is running; results will be noisy' : ''),
  );

  const runs = [];
  for (let rep = 0; rep < REPS; rep++) {
    const order = libs.map((_, i) => libs[(i + rep) % libs.length]);
    for (const lib of order) {
      const w = await waitQuiet();
      process.stdout.write(
        `rep ${rep + 1}/${REPS} ${lib.id} ` +
          (w.load != null ? `(waited ${w.waited.toFixed(1)} s, load then ${w.load.toFixed(2)}) ` : '') +
          '... ',
      );
      const r = await runWorker(lib, rep);
      r.waitedForQuietSeconds = w.waited;
      r.loadBeforeStart = w.load;
      runs.push(r);
      const nErr = r.results.filter((x) => x.error).length;
      const bad = r.meta.initError || r.meta.fatal;
      console.log(
        `${r.wall.toFixed(1)} s` +
          (r.otherLoad != null ? `, other load ${r.otherLoad.toFixed(2)} cores` : '') +
          (nErr ? `, ${nErr} errors` : '') +
          (bad ? `, FAILED: ${bad.split('\n')[0]}` : ''),
      );
    }
  }
  const summary = summarize(runs);
  const otherLoads = runs.map((r) => r.otherLoad).filter((x) => x != null);
  const result = {
    date: started.toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    machine,
    quietCheck: quiet,
    otherLoadCores: {
      median: otherLoads.length ? median(otherLoads) : null,
      max: otherLoads.length ? Math.max(...otherLoads) : null,
    },
    config: {
      reps: REPS,
      windows: WINDOWS,
      quick: QUICK,
      dlplayCallMs: CALL_MS,
      libs: libs.map((l) => l.id),
      engineDir: opt('--engine-dir') ? path.resolve(opt('--engine-dir')) : null,
      quietCores: QUIET_CORES,
      quietRepCores: QUIET_REP_CORES,
      waitPerWorkerS: WAIT_PER_WORKER_S,
      waitTotalS: WAIT_TOTAL_S,
      waitedTotalS: waitedTotal,
    },
    summary,
    goals: goals(summary),
    runs,
  };
  fs.mkdirSync(path.dirname(OUT_JSON), { recursive: true });
  fs.writeFileSync(OUT_JSON, JSON.stringify(result, null, 1) + '\n');
  const md = markdown(result);
  fs.writeFileSync(OUT_MD, md);
  console.log('\n' + md);
  console.log(
    `wrote ${path.relative(process.cwd(), OUT_JSON)} and ${path.relative(process.cwd(), OUT_MD)} in ${result.durationSeconds.toFixed(0)} s`,
  );
})();
