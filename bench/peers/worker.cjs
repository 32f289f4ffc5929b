'use strict';
// One benchmark process: one library configuration, all its workloads, one
// repetition. Launched by run.mjs; prints one line "RESULT_JSON {...}".
//
// Based on the project's earlier peer harness (its method, workloads, data and the TF.js
// wasm Conv2DBackpropFilter patch; bench/peers/README.md describes them), trimmed
// to the peers dlplay is compared with, plus the "dlplay-wasm" configuration: the same
// workloads through dlplay's JavaScript API (wasm/dlplay.js, build/wasm/dlplay_engine.*).
//
//   node bench/peers/worker.cjs '{"lib":"dlplay-wasm","measureMs":2000,"warmupMs":800}'
//
// libs: tfjs-wasm | tfjs-cpu | convnetjs | dlplay-wasm
const { performance } = require('perf_hooks');
const w5 = require('./w5.cjs'); // W5, the LSTM language model (issue 12)

const cfg = JSON.parse(process.argv[2] || '{}');
const LIB = cfg.lib;
const MEASURE_MS = cfg.measureMs ?? 2000; // W1 measured window (>= 2 s)
const MEASURE_MS_BIG = cfg.measureMsBig ?? MEASURE_MS; // W2, W3 measured window
const WARMUP_MS = cfg.warmupMs ?? 700; // W1-W3 warm-up
const GEMM_MEASURE_MS = cfg.gemmMeasureMs ?? 1000;
const GEMM_WARMUP_MS = cfg.gemmWarmupMs ?? 300;
const ONLY = cfg.only ? new Set(cfg.only) : null; // optional workload filter, e.g. ["W2","W4"]
// optional per-workload path filter, e.g. {"W3": ["layers model.trainOnBatch"]}
const PATHS = cfg.paths || {};

// ---------------------------------------------------------------- utilities
function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const now = () => performance.now();

// Workload definitions (shared by all libraries).
const W = {
  W1: { name: 'W1 playground', nPoints: 500, batch: 10, inDim: 2, lr: 0.03 },
  W2: { name: 'W2 mnist-mlp', nExamples: 1024, batch: 64, inDim: 784, lr: 0.01 },
  W3: { name: 'W3 mnist-cnn', nExamples: 200, batch: 20, h: 24, w: 24, c: 1, lr: 0.01 },
  W5: w5.W5,
};

function makeData(seed) {
  const r = mulberry32(seed);
  // W1: TF-playground "circle" data set, x in [-6, 6]^2, label +-1.
  const w1x = new Float32Array(W.W1.nPoints * 2),
    w1y = new Float32Array(W.W1.nPoints);
  for (let i = 0; i < W.W1.nPoints; i++) {
    const x0 = r() * 12 - 6,
      x1 = r() * 12 - 6;
    w1x[2 * i] = x0;
    w1x[2 * i + 1] = x1;
    w1y[i] = Math.hypot(x0, x1) < 3 ? 1 : -1;
  }
  // W2: MNIST-shaped random images and labels.
  const n2 = W.W2.nExamples;
  const w2x = new Float32Array(n2 * 784),
    w2lab = new Int32Array(n2);
  for (let i = 0; i < w2x.length; i++) w2x[i] = r();
  for (let i = 0; i < n2; i++) w2lab[i] = Math.floor(r() * 10);
  // W3: 24x24x1 random images and labels.
  const n3 = W.W3.nExamples,
    px = 24 * 24;
  const w3x = new Float32Array(n3 * px),
    w3lab = new Int32Array(n3);
  for (let i = 0; i < w3x.length; i++) w3x[i] = r();
  for (let i = 0; i < n3; i++) w3lab[i] = Math.floor(r() * 10);
  return { w1x, w1y, w2x, w2lab, w3x, w3lab };
}
function oneHot(labels, k) {
  const o = new Float32Array(labels.length * k);
  for (let i = 0; i < labels.length; i++) o[i * k + labels[i]] = 1;
  return o;
}

// Time-bounded measurement. step() performs `unit` training steps (one step =
// one mini-batch forward+backward+update) and may be async.
async function measure(step, { unitSteps, warmupMs, measureMs, minUnits = 3, sync, counter }) {
  let t0 = now(),
    n = 0;
  while (now() - t0 < warmupMs || n < 1) {
    await step();
    n++;
  }
  if (sync) sync();
  const warmupUnits = n;
  const c0 = counter ? counter() : 0;
  n = 0;
  t0 = now();
  let t1;
  do {
    await step();
    n++;
    t1 = now();
  } while (t1 - t0 < measureMs || n < minUnits);
  if (sync) {
    sync();
    t1 = now();
  }
  const seconds = (t1 - t0) / 1000;
  const r = { steps: n * unitSteps, seconds, stepsPerSec: (n * unitSteps) / seconds, warmupUnits };
  if (counter) r.tensorGrowthDuringMeasure = counter() - c0;
  return r;
}

const results = [];
const meta = { lib: LIB, pid: process.pid, node: process.version, execArgv: process.execArgv };
let wantOverride = null; // temporarily restricts the workloads (wasm fallback re-run)
function want(task) {
  if (wantOverride) return wantOverride.has(task);
  return !ONLY || ONLY.has(task);
}
function record(task, path, r, extra = {}) {
  results.push(Object.assign({ task, path }, r, extra));
  process.stderr.write(
    `[${LIB}] ${task} ${path}: ` + (r.error ? `ERROR ${r.error}` : JSON.stringify(r)) + '\n',
  );
}

// ---------------------------------------------------------------- TF.js
async function runTfjs() {
  const tf = require('@tensorflow/tfjs-core');
  // tfjs-layers' node bundle also registers the op gradients (needed by the
  // core optimizer.minimize path too).
  const tfl = require('@tensorflow/tfjs-layers');
  const cpuPkg = require('@tensorflow/tfjs-backend-cpu');
  let backendName = 'cpu';
  if (LIB.startsWith('tfjs-wasm')) {
    // Record which .wasm binary the backend actually loads (plain / simd / threaded-simd).
    const fs = require('fs');
    const origRead = fs.readFileSync;
    meta.wasmBinariesLoaded = [];
    fs.readFileSync = function (f, ...rest) {
      if (typeof f === 'string' && f.endsWith('.wasm'))
        meta.wasmBinariesLoaded.push(require('path').basename(f));
      return origRead.call(this, f, ...rest);
    };
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    meta.tfjsBackendWasmVersion = wasm.version_wasm;
    wasm.setThreadsCount(1);
    backendName = 'wasm';
    let ok = false,
      initError = null;
    try {
      ok = await tf.setBackend('wasm');
    } catch (e) {
      initError = String((e && e.message) || e);
    }
    if (!ok) {
      meta.initError = initError || 'tf.setBackend("wasm") returned false (see stderr)';
      return;
    }
    fs.readFileSync = origRead;
    meta.wasmThreads = wasm.getThreadsCount();
    meta.WASM_HAS_SIMD_SUPPORT = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    meta.WASM_HAS_MULTITHREAD_SUPPORT = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  } else {
    await tf.setBackend('cpu');
  }
  await tf.ready();
  meta.backend = tf.getBackend();
  meta.tfjsCoreVersion = tf.version_core;
  meta.tfjsLayersVersion = tfl.version_layers;
  meta.tfjsBackendCpuVersion = cpuPkg.version_cpu;
  tf.enableProdMode();
  meta.prodMode = tf.env().getBool('PROD');

  const D = makeData(1234);
  let seedCounter = 1;
  const init = () => tfl.initializers.glorotUniform({ seed: seedCounter++ });
  const makeBatches = (x, xShapeTail, y, yDim, n, b) => {
    const xs = [],
      ys = [];
    const xsz = xShapeTail.reduce((a, c) => a * c, 1);
    const yTail = [yDim].flat(), // W5: one-hot labels [T, V] per example
      ysz = yTail.reduce((a, c) => a * c, 1);
    for (let i = 0; i + b <= n; i += b) {
      xs.push(tf.tensor(x.subarray(i * xsz, (i + b) * xsz), [b, ...xShapeTail]));
      ys.push(tf.tensor(y.subarray(i * ysz, (i + b) * ysz), [b, ...yTail]));
    }
    return { xs, ys };
  };
  const nParams = (vars) => vars.reduce((a, v) => a + v.size, 0);
  const numTensorsBefore = () => tf.memory().numTensors;

  // --- model builders (tf.layers) ---
  function buildLayers(wk) {
    if (wk === 'W5') return w5.tfjsLayersModel(tf, tfl, init);
    const m = tfl.sequential();
    if (wk === 'W1') {
      m.add(tfl.layers.dense({ units: 8, activation: 'tanh', inputShape: [2], kernelInitializer: init() }));
      m.add(tfl.layers.dense({ units: 8, activation: 'tanh', kernelInitializer: init() }));
      m.add(tfl.layers.dense({ units: 1, activation: 'linear', kernelInitializer: init() }));
      m.compile({ optimizer: tf.train.sgd(W.W1.lr), loss: 'meanSquaredError' });
    } else if (wk === 'W2') {
      m.add(
        tfl.layers.dense({ units: 128, activation: 'relu', inputShape: [784], kernelInitializer: init() }),
      );
      m.add(tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init() }));
      m.add(tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init() }));
      m.compile({ optimizer: tf.train.sgd(W.W2.lr), loss: 'categoricalCrossentropy' });
    } else {
      m.add(
        tfl.layers.conv2d({
          inputShape: [24, 24, 1],
          filters: 8,
          kernelSize: 5,
          strides: 1,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: init(),
        }),
      );
      m.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
      m.add(
        tfl.layers.conv2d({
          filters: 16,
          kernelSize: 5,
          strides: 1,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: init(),
        }),
      );
      m.add(tfl.layers.maxPooling2d({ poolSize: 3, strides: 3 }));
      m.add(tfl.layers.flatten());
      m.add(tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init() }));
      m.compile({ optimizer: tf.train.sgd(W.W3.lr), loss: 'categoricalCrossentropy' });
    }
    return m;
  }
  // --- core-ops models for optimizer.minimize (no tf.layers) ---
  function buildCore(wk) {
    const keep = (t) => {
      const vv = tf.variable(t);
      t.dispose();
      return vv;
    };
    const v = (shape) => keep(init().apply(shape));
    const z = (shape) => keep(tf.zeros(shape));
    if (wk === 'W5') return w5.tfjsCoreModel(tf, v, z);
    if (wk === 'W1') {
      const p = [v([2, 8]), z([8]), v([8, 8]), z([8]), v([8, 1]), z([1])];
      const f = (x) => {
        const h1 = tf.tanh(tf.fused.matMul({ a: x, b: p[0], bias: p[1] }));
        const h2 = tf.tanh(tf.fused.matMul({ a: h1, b: p[2], bias: p[3] }));
        return tf.fused.matMul({ a: h2, b: p[4], bias: p[5] });
      };
      return { p, loss: (x, y) => tf.losses.meanSquaredError(y, f(x)), lr: W.W1.lr };
    } else if (wk === 'W2') {
      const p = [v([784, 128]), z([128]), v([128, 64]), z([64]), v([64, 10]), z([10])];
      const f = (x) => {
        const h1 = tf.fused.matMul({ a: x, b: p[0], bias: p[1], activation: 'relu' });
        const h2 = tf.fused.matMul({ a: h1, b: p[2], bias: p[3], activation: 'relu' });
        return tf.fused.matMul({ a: h2, b: p[4], bias: p[5] });
      };
      return { p, loss: (x, y) => tf.losses.softmaxCrossEntropy(y, f(x)), lr: W.W2.lr };
    } else {
      const p = [v([5, 5, 1, 8]), z([8]), v([5, 5, 8, 16]), z([16]), v([256, 10]), z([10])];
      const f = (x) => {
        let h = tf.relu(tf.add(tf.conv2d(x, p[0], 1, 'same'), p[1]));
        h = tf.maxPool(h, 2, 2, 'valid');
        h = tf.relu(tf.add(tf.conv2d(h, p[2], 1, 'same'), p[3]));
        h = tf.maxPool(h, 3, 3, 'valid');
        h = tf.reshape(h, [-1, 256]);
        return tf.fused.matMul({ a: h, b: p[4], bias: p[5] });
      };
      return { p, loss: (x, y) => tf.losses.softmaxCrossEntropy(y, f(x)), lr: W.W3.lr };
    }
  }

  const data = {
    W1: { x: D.w1x, tail: [2], y: D.w1y, yDim: 1, n: W.W1.nPoints, b: W.W1.batch },
    W2: { x: D.w2x, tail: [784], y: oneHot(D.w2lab, 10), yDim: 10, n: W.W2.nExamples, b: W.W2.batch },
    W3: { x: D.w3x, tail: [24, 24, 1], y: oneHot(D.w3lab, 10), yDim: 10, n: W.W3.nExamples, b: W.W3.batch },
    W5: w5.tfjsData(), // yDim [T, V]: one-hot labels at every step
  };

  async function trainingTasks(suffix = '') {
    for (const wk of ['W1', 'W2', 'W3', 'W5']) {
      if (!want(wk)) continue;
      const d = data[wk];
      const { xs, ys } = makeBatches(d.x, d.tail, d.y, d.yDim, d.n, d.b);
      const X = tf.tensor(d.x.subarray(0, d.n * d.tail.reduce((a, c) => a * c, 1)), [d.n, ...d.tail]);
      const Y = tf.tensor(d.y, [d.n, ...[d.yDim].flat()]);
      const nb = xs.length;
      const task = W[wk].name;
      const measureMs = wk === 'W1' ? MEASURE_MS : MEASURE_MS_BIG;
      const minUnits = wk === 'W3' ? 2 : 3;
      const counter = () => tf.memory().numTensors;
      const extra = (r) => ({
        examplesPerSec: r.stepsPerSec * d.b,
      });

      // (a) model.fit: the most idiomatic path. One call = one epoch over the
      //     data set (nb mini-batches), shuffle off so the work matches other libs.
      const allPaths = ['layers model.fit', 'layers model.trainOnBatch', 'core optimizer.minimize'];
      for (const path of allPaths.filter((p) => !PATHS[wk] || PATHS[wk].includes(p))) {
        const label = path + suffix;
        const t0 = numTensorsBefore();
        try {
          let r, np, lossStart, lossEnd;
          if (path === 'core optimizer.minimize') {
            const m = buildCore(wk);
            const opt = m.optimizer ? m.optimizer() : tf.train.sgd(m.lr); // W5: Adam
            np = nParams(m.p);
            let i = 0;
            lossStart = tf.tidy(() => m.loss(xs[0], ys[0]).dataSync()[0]);
            r = await measure(
              () => {
                const k = i++ % nb;
                tf.tidy(() => {
                  opt.minimize(() => m.loss(xs[k], ys[k]), false, m.p);
                });
              },
              {
                unitSteps: 1,
                warmupMs: WARMUP_MS,
                measureMs,
                minUnits,
                counter,
                sync: () => m.p[0].dataSync(),
              },
            );
            lossEnd = tf.tidy(() => m.loss(xs[0], ys[0]).dataSync()[0]);
            m.p.forEach((t) => t.dispose());
            opt.dispose();
          } else {
            const model = buildLayers(wk);
            np = model.countParams();
            lossStart = tf.tidy(() => model.evaluate(xs[0], ys[0]).dataSync()[0]);
            if (path === 'layers model.fit') {
              r = await measure(
                async () => {
                  await model.fit(X, Y, { batchSize: d.b, epochs: 1, shuffle: false, verbose: 0 });
                },
                { unitSteps: nb, warmupMs: WARMUP_MS, measureMs, minUnits: 2, counter },
              );
            } else {
              let i = 0;
              r = await measure(
                async () => {
                  const k = i++ % nb;
                  await model.trainOnBatch(xs[k], ys[k]);
                },
                { unitSteps: 1, warmupMs: WARMUP_MS, measureMs, minUnits, counter },
              );
            }
            lossEnd = tf.tidy(() => model.evaluate(xs[0], ys[0]).dataSync()[0]);
            model.dispose();
          }
          record(
            task,
            label,
            r,
            Object.assign(extra(r), {
              nParams: np,
              lossStart,
              lossEnd,
              tensorsLeftAfterDispose: numTensorsBefore() - t0,
            }),
          );
        } catch (e) {
          record(task, label, { error: String((e && e.message) || e).slice(0, 300) });
        }
      }
      xs.forEach((t) => t.dispose());
      ys.forEach((t) => t.dispose());
      X.dispose();
      Y.dispose();
    }
  }

  await trainingTasks();

  // The wasm backend (4.22.0) has no Conv2DBackpropFilter kernel, so CNN
  // training throws. Plugging in the cpu backend's JS kernel works but is
  // extremely slow (~0.5 steps/s: that JS kernel costs ~2 s per step here).
  // What an expert user can do instead: express the filter gradient as a
  // forward Conv2D on transposed tensors, all inside the wasm backend (XNNPACK):
  //   dW[kh,kw,ci,co] = sum_{n,h,w} xpad[n,h+kh,w+kw,ci] * dy[n,h,w,co]
  //   = Conv2D(x^T [ci,H,W,n], dy^T [Ho,Wo,n,co], explicit pad) -> [ci,kh,kw,co]
  // (stride 1, dilation 1 only; enough for this net). Measured as a separate row.
  if (
    backendName === 'wasm' &&
    want('W3') &&
    results.some((r) => r.task === W.W3.name && r.error && /Conv2DBackpropFilter/.test(r.error))
  ) {
    const kConv = tf.getKernel('Conv2D', 'wasm').kernelFunc;
    const kTr = tf.getKernel('Transpose', 'wasm').kernelFunc;
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, dy } = inputs;
        const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
        const info = tf.backend_util.computeConv2DInfo(
          x.shape,
          filterShape,
          strides,
          1,
          pad,
          dimRoundingMode,
          false,
          tf.backend_util.convertConv2DDataFormat(dataFormat),
        );
        if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dataFormat !== 'channelsLast') {
          throw new Error('bench fallback Conv2DBackpropFilter: stride 1 NHWC only');
        }
        const xT = kTr({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } });
        const dyT = kTr({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
        const p = info.padInfo;
        const o = kConv({
          inputs: { x: xT, filter: dyT },
          backend,
          attrs: {
            strides: 1,
            dilations: 1,
            pad: [
              [0, 0],
              [p.top, p.bottom],
              [p.left, p.right],
              [0, 0],
            ],
            dimRoundingMode: undefined,
            dataFormat: 'NHWC',
          },
        });
        const dW = kTr({ inputs: { x: o }, backend, attrs: { perm: [1, 2, 0, 3] } });
        backend.disposeData(xT.dataId);
        backend.disposeData(dyT.dataId);
        backend.disposeData(o.dataId);
        return dW;
      },
    });
    if (cfg.checkFallback) {
      // numerical check against the cpu backend's kernel
      const r = mulberry32(7);
      const xv = Float32Array.from({ length: 3 * 12 * 12 * 8 }, () => r() - 0.5);
      const dyv = Float32Array.from({ length: 3 * 12 * 12 * 16 }, () => r() - 0.5);
      const run = () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: tf.tensor4d(xv, [3, 12, 12, 8]), dy: tf.tensor4d(dyv, [3, 12, 12, 16]) },
            {
              strides: 1,
              pad: 'same',
              dataFormat: 'NHWC',
              dimRoundingMode: undefined,
              filterShape: [5, 5, 8, 16],
            },
          )
          .dataSync();
      const a = run();
      await tf.setBackend('cpu');
      const b = run();
      await tf.setBackend('wasm');
      let maxErr = 0;
      for (let i = 0; i < a.length; i++) maxErr = Math.max(maxErr, Math.abs(a[i] - b[i]));
      meta.fallbackMaxAbsErrVsCpu = maxErr;
    }
    await trainingTasksOnly('W3', ' [+conv-based Conv2DBackpropFilter patch]');
  }

  async function trainingTasksOnly(wk, suffix) {
    const save = wantOverride;
    wantOverride = new Set([wk]);
    try {
      await trainingTasks(suffix);
    } finally {
      wantOverride = save;
    }
  }

  // W4: single matmul, square float32.
  // tfjs-backend-wasm sends un-transposed, unbatched matMuls to XNNPACK's
  // fully-connected operator and caches that operator (with B packed) per B
  // tensor. With a constant B, as here, packing is paid once. In training the
  // weights are new tensors after every update, so the wasm rows also time a
  // fresh B tensor per call (includes uploading B and re-packing it).
  if (want('W4')) {
    const variants = backendName === 'wasm' ? [false, true] : [false];
    for (const freshB of variants) {
      for (const n of [128, 256, 512]) {
        const r = mulberry32(n);
        const a = tf.tensor2d(
          Float32Array.from({ length: n * n }, () => r() - 0.5),
          [n, n],
        );
        const bVals = Float32Array.from({ length: n * n }, () => r() - 0.5);
        const b = tf.tensor2d(bVals, [n, n]);
        let last = null;
        const res = await measure(
          () => {
            if (last) last.dispose();
            if (freshB) {
              const bb = tf.tensor2d(bVals, [n, n]);
              last = tf.matMul(a, bb);
              bb.dispose();
            } else {
              last = tf.matMul(a, b);
            }
          },
          {
            unitSteps: 1,
            warmupMs: GEMM_WARMUP_MS,
            measureMs: GEMM_MEASURE_MS,
            minUnits: 5,
            sync: () => last.dataSync(),
          },
        );
        last.dispose();
        a.dispose();
        b.dispose();
        record('W4 gemm', `tf.matMul n=${n}` + (freshB ? ' (new B tensor each call)' : ''), res, {
          n,
          gflops: (2 * n * n * n * res.stepsPerSec) / 1e9,
        });
      }
    }
  }
}

// ---------------------------------------------------------------- ConvNetJS
async function runConvnetjs() {
  // ConvNetJS draws its weight init from Math.random: make it deterministic.
  Math.random = mulberry32(42);
  const convnetjs = require('convnetjs');
  meta.convnetjsVersion = require('convnetjs/package.json').version;
  meta.note =
    'ConvNetJS computes in Float64Array, one example at a time (batch_size only ' +
    'sets how often the accumulated gradient is applied).';
  const D = makeData(1234);
  const mkVol = (arr, off, sx, sy, depth) => {
    const v = new convnetjs.Vol(sx, sy, depth, 0.0);
    for (let i = 0; i < sx * sy * depth; i++) v.w[i] = arr[off + i];
    return v;
  };
  const countParams = (net) => net.getParamsAndGrads().reduce((a, pg) => a + pg.params.length, 0);
  if (want('W5')) record(W.W5.name, '—', { na: w5.CONVNETJS_NA });

  if (want('W1')) {
    const layers = [
      { type: 'input', out_sx: 1, out_sy: 1, out_depth: 2 },
      { type: 'fc', num_neurons: 8, activation: 'tanh' },
      { type: 'fc', num_neurons: 8, activation: 'tanh' },
      { type: 'regression', num_neurons: 1 },
    ];
    const net = new convnetjs.Net();
    net.makeLayers(layers);
    const tr = new convnetjs.Trainer(net, {
      method: 'sgd',
      learning_rate: W.W1.lr,
      momentum: 0.0,
      batch_size: W.W1.batch,
      l2_decay: 0.0,
    });
    const vols = [],
      ys = [];
    for (let i = 0; i < W.W1.nPoints; i++) {
      vols.push(mkVol(D.w1x, 2 * i, 1, 1, 2));
      ys.push([D.w1y[i]]);
    }
    const evalLoss = () => {
      let s = 0;
      for (let i = 0; i < 10; i++) {
        const o = net.forward(vols[i]).w[0];
        s += (o - ys[i][0]) ** 2;
      }
      return s / 10;
    };
    const lossStart = evalLoss();
    let i = 0;
    const r = await measure(
      () => {
        for (let j = 0; j < W.W1.batch; j++) {
          const k = i++ % W.W1.nPoints;
          tr.train(vols[k], ys[k]);
        }
      },
      { unitSteps: 1, warmupMs: WARMUP_MS, measureMs: MEASURE_MS },
    );
    record(W.W1.name, 'Trainer.train (sgd)', r, {
      examplesPerSec: r.stepsPerSec * W.W1.batch,
      nParams: countParams(net),
      lossStart,
      lossEnd: evalLoss(),
    });
  }
  if (want('W2')) {
    const net = new convnetjs.Net();
    net.makeLayers([
      { type: 'input', out_sx: 1, out_sy: 1, out_depth: 784 },
      { type: 'fc', num_neurons: 128, activation: 'relu' },
      { type: 'fc', num_neurons: 64, activation: 'relu' },
      { type: 'softmax', num_classes: 10 },
    ]);
    const tr = new convnetjs.Trainer(net, {
      method: 'sgd',
      learning_rate: W.W2.lr,
      momentum: 0.0,
      batch_size: W.W2.batch,
      l2_decay: 0.0,
    });
    const n = W.W2.nExamples,
      vols = [];
    for (let i = 0; i < n; i++) vols.push(mkVol(D.w2x, 784 * i, 1, 1, 784));
    let i = 0;
    const r = await measure(
      () => {
        for (let j = 0; j < W.W2.batch; j++) {
          const k = i++ % n;
          tr.train(vols[k], D.w2lab[k]);
        }
      },
      { unitSteps: 1, warmupMs: WARMUP_MS, measureMs: MEASURE_MS_BIG },
    );
    record(W.W2.name, 'Trainer.train (sgd)', r, {
      examplesPerSec: r.stepsPerSec * W.W2.batch,
      nParams: countParams(net),
    });
  }
  if (want('W3')) {
    for (const method of ['sgd', 'adadelta']) {
      const net = new convnetjs.Net();
      net.makeLayers([
        { type: 'input', out_sx: 24, out_sy: 24, out_depth: 1 },
        { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 2, activation: 'relu' },
        { type: 'pool', sx: 2, stride: 2 },
        { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
        { type: 'pool', sx: 3, stride: 3 },
        { type: 'softmax', num_classes: 10 },
      ]);
      const opts =
        method === 'sgd'
          ? { method: 'sgd', learning_rate: W.W3.lr, momentum: 0.0, batch_size: W.W3.batch, l2_decay: 0.0 }
          : { method: 'adadelta', batch_size: W.W3.batch, l2_decay: 0.001 }; // the MNIST demo's trainer
      const tr = new convnetjs.Trainer(net, opts);
      const n = W.W3.nExamples,
        vols = [];
      for (let i = 0; i < n; i++) vols.push(mkVol(D.w3x, 576 * i, 24, 24, 1));
      let i = 0;
      const r = await measure(
        () => {
          for (let j = 0; j < W.W3.batch; j++) {
            const k = i++ % n;
            tr.train(vols[k], D.w3lab[k]);
          }
        },
        { unitSteps: 1, warmupMs: WARMUP_MS, measureMs: MEASURE_MS_BIG, minUnits: 2 },
      );
      record(
        W.W3.name,
        method === 'sgd' ? 'Trainer.train (sgd)' : 'Trainer.train (adadelta, l2 1e-3: demo config)',
        r,
        {
          examplesPerSec: r.stepsPerSec * W.W3.batch,
          nParams: countParams(net),
        },
      );
    }
  }
}

// ---------------------------------------------------------------- dlplay (ours)
// The same workloads through dlplay's public JavaScript API, exactly as a page or a user's
// script would call it: loadEngine() → session(spec) → train(k) / predict / weights / dispose.
// One unit of measurement = one session.train(k, {evaluate: false}) call: k mini-batch steps
// (forward + backward + SGD update), with k calibrated during warm-up so that one call takes
// >= DLPLAY_CALL_MS (per-call JS<->wasm overhead must not dominate the tiny W1 network); k is
// recorded as stepsPerCall.
const DLPLAY_CALL_MS = cfg.dlplayCallMs ?? 10;

// W3 trained data-parallel (docs/parallel.md): the spec with 8 parts, by this thread alone and by a
// team of 2 workers (this thread and a worker_threads helper); the same weights, another speed.
async function teamRows(dl, spec, k, extra, nParams) {
  const path = require('path');
  const { pathToFileURL } = require('url');
  const root = path.resolve(__dirname, '..', '..');
  const { createTeam } = await import(pathToFileURL(path.join(root, 'wasm', 'team.js')).href);
  const { spawnNodeHelper } = await import(pathToFileURL(path.join(root, 'wasm', 'team-node.js')).href);
  const sharded = { ...spec, shards: 8 };
  for (const workers of [1, 2]) {
    const s = dl.session(sharded);
    const team = await createTeam(s, { workers, spec: sharded, spawn: spawnNodeHelper });
    try {
      const r = await measure(() => team.train(k), {
        unitSteps: k,
        warmupMs: WARMUP_MS,
        measureMs: MEASURE_MS_BIG,
        minUnits: 2,
      });
      record(W.W3.name, `team of ${workers} worker${workers > 1 ? 's' : ''}, shards 8`, r, {
        ...extra(r),
        nParams,
        stepsPerCall: k,
      });
    } finally {
      team.close();
      s.dispose();
    }
  }
}

async function runDlplay() {
  const fs = require('fs');
  const path = require('path');
  const { pathToFileURL } = require('url');
  const root = path.resolve(__dirname, '..', '..');
  const tLoad = now();
  const api = await import(pathToFileURL(path.join(root, 'wasm', 'dlplay.js')).href);
  let dl;
  try {
    // cfg.engineDir (run.mjs --engine-dir): bench another build of the engine than build/wasm.
    dl = await api.loadEngine(
      cfg.engineDir
        ? { moduleUrl: pathToFileURL(path.join(path.resolve(cfg.engineDir), 'dlplay_engine.mjs')) }
        : {},
    );
  } catch (e) {
    meta.initError = 'loadEngine() failed: ' + String((e && e.stack) || e).slice(0, 600);
    return;
  }
  meta.loadEngineSeconds = (now() - tLoad) / 1000;
  // GEMM timing and heap figures: the testing entry's hooks (dlplay/testing), not the public Engine.
  const { testHooks } = await import(pathToFileURL(path.join(root, 'wasm', 'testing.js')).href);
  const hooks = testHooks(dl);
  meta.dlplaySimd = dl.simd;
  // The yardstick of "% of peak": the best of 5 runs of the SIMD multiply-add probe (~0.2 s each).
  if (typeof hooks.benchPeak === 'function') {
    let best = 0;
    hooks.benchPeak(1e6); // tier-up
    for (let i = 0; i < 5; i++) {
      const p = hooks.benchPeak(4e7);
      best = Math.max(best, p.flops / p.seconds / 1e9);
    }
    meta.simdPeakGflops = best;
  }
  for (const f of ['dlplay_engine.mjs', 'dlplay_engine.wasm']) {
    try {
      const st = fs.statSync(
        path.join(cfg.engineDir ? path.resolve(cfg.engineDir) : path.join(root, 'build', 'wasm'), f),
      );
      meta[f] = { bytes: st.size, mtime: st.mtime.toISOString() };
    } catch (e) {
      meta[f] = null;
    }
  }

  const D = makeData(1234);
  const rowsOf = (flat, k) => {
    const out = new Array(flat.length / k);
    for (let i = 0; i < out.length; i++) out[i] = Array.from(flat.subarray(i * k, (i + 1) * k));
    return out;
  };
  const specs = {
    // Built-in Playground "circle" set, 500 points (the peers use an equivalent mulberry32
    // circle in [-6, 6]²: speed does not depend on the values).
    W1: {
      input: [2],
      layers: [
        { type: 'dense', units: 8, activation: 'tanh' },
        { type: 'dense', units: 8, activation: 'tanh' },
        { type: 'dense', units: 1, activation: 'linear' },
      ],
      data: { name: 'circle', n: W.W1.nPoints },
      loss: 'mse',
      optimizer: { type: 'sgd', lr: W.W1.lr },
      batch: W.W1.batch,
      seed: 1,
    },
    // Exactly the peers' data (same generator, same seed), inline.
    W2: () => ({
      input: [784],
      layers: [
        { type: 'dense', units: 128, activation: 'relu' },
        { type: 'dense', units: 64, activation: 'relu' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
      data: { x: rowsOf(D.w2x, 784), y: Array.from(D.w2lab) },
      loss: 'cross_entropy',
      optimizer: { type: 'sgd', lr: W.W2.lr },
      batch: W.W2.batch,
      seed: 1,
    }),
    // ConvNetJS's MNIST CNN; examples given as flat rows of 576 values (the engine takes any
    // example with the right number of values).
    W5: w5.dlplaySpec, // the built-in text set, one-hot (w5.cjs)
    W3: () => ({
      input: [1, 24, 24],
      layers: [
        { type: 'conv2d', filters: 8, kernel: 5, padding: 2, activation: 'relu' },
        { type: 'maxpool2d', size: 2 },
        { type: 'conv2d', filters: 16, kernel: 5, padding: 2, activation: 'relu' },
        { type: 'maxpool2d', size: 3, stride: 3 },
        { type: 'flatten' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
      data: { x: rowsOf(D.w3x, 576), y: Array.from(D.w3lab) },
      loss: 'cross_entropy',
      optimizer: { type: 'sgd', lr: W.W3.lr },
      batch: W.W3.batch,
      seed: 1,
    }),
  };

  for (const wk of ['W1', 'W2', 'W3', 'W5']) {
    if (!want(wk)) continue;
    const task = W[wk].name;
    const batch = W[wk].batch;
    const measureMs = wk === 'W1' ? MEASURE_MS : MEASURE_MS_BIG;
    const minUnits = wk === 'W3' ? 2 : 3;
    const extra = (r) => ({
      examplesPerSec: r.stepsPerSec * batch,
    });
    let s = null;
    try {
      const spec = typeof specs[wk] === 'function' ? specs[wk]() : specs[wk];
      const tSpec = now();
      s = dl.session(spec);
      const sessionSeconds = (now() - tSpec) / 1000;
      const nParams = s.info().params;
      const loss = () => {
        const e = s.train(0);
        return e.trainLoss;
      }; // a pass over the data, no step
      // Calibrate k: grow it until one train(k) call takes >= DLPLAY_CALL_MS (fastest of 3 calls,
      // so that a pause caused by another process does not stop the search early; warm-up too).
      let k = 1,
        tCall = 0;
      const lossStart = loss();
      // The first calls after session() are slower (tier-up, fresh memory): warm up before calibrating.
      for (const t0 = now(); now() - t0 < WARMUP_MS / 2;) s.train(1, { evaluate: false });
      for (;;) {
        tCall = Infinity;
        for (let i = 0; i < 3; i++) {
          const t0 = now();
          s.train(k, { evaluate: false });
          tCall = Math.min(tCall, now() - t0);
        }
        if (tCall >= DLPLAY_CALL_MS || k >= 1 << 20) break;
        k = Math.max(k + 1, Math.ceil(k * Math.min(4, (1.25 * DLPLAY_CALL_MS) / Math.max(tCall, 1e-3))));
      }
      const paths = [['session.train(k) per call', k]];
      if (wk === 'W3') await teamRows(dl, spec, k, extra, nParams);
      // W1 also: one step per call, to show the per-call overhead (not used for the goals).
      if (wk === 'W1') paths.push(['session.train(1) per call (overhead shown)', 1]);
      for (const [label, kk] of paths) {
        const r = await measure(
          () => {
            s.train(kk, { evaluate: false });
          },
          { unitSteps: kk, warmupMs: WARMUP_MS, measureMs, minUnits, sync: () => s.weights(0) },
        );
        record(
          task,
          label,
          r,
          Object.assign(extra(r), {
            nParams,
            stepsPerCall: kk,
            calibrationCallMs: tCall,
            sessionSeconds,
            lossStart,
            lossEnd: loss(),
          }),
        );
      }
    } catch (e) {
      record(task, 'session.train(k) per call', { error: String((e && e.message) || e).slice(0, 300) });
    } finally {
      if (s) s.dispose();
    }
  }
  meta.engineMemoryAfterDispose = hooks.memory();

  // W4: GEMM through the testing hooks, if they expose it: hooks.benchGemm(n, reps) runs `reps`
  // products C = A·B (kernels::gemm, no transposes, beta 0) of fixed n×n float32 matrices
  // (allocated and filled once per call, untimed) and returns the seconds the products took.
  if (want('W4')) {
    for (const n of [128, 256, 512]) {
      const label = `benchGemm n=${n}`;
      if (typeof hooks.benchGemm !== 'function') {
        record('W4 gemm', label, {
          error: 'not exposed by dlplay/testing (needs testHooks(engine).benchGemm(n, reps) -> seconds)',
        });
        continue;
      }
      try {
        let reps = 1;
        for (;;) {
          // calibrate: one call >= DLPLAY_CALL_MS (fastest of 3)
          let t = Infinity;
          for (let i = 0; i < 3; i++) {
            const t0 = now();
            hooks.benchGemm(n, reps);
            t = Math.min(t, now() - t0);
          }
          if (t >= DLPLAY_CALL_MS || reps >= 1 << 16) break;
          reps *= 2;
        }
        let inner = 0,
          counting = false;
        const res = await measure(
          () => {
            const t = hooks.benchGemm(n, reps);
            if (counting) inner += t;
          },
          {
            unitSteps: reps,
            warmupMs: GEMM_WARMUP_MS,
            measureMs: GEMM_MEASURE_MS,
            minUnits: 5,
            counter: () => {
              counting = true;
              return 0;
            },
          },
        );
        delete res.tensorGrowthDuringMeasure;
        // GFLOP/s from the seconds benchGemm reports (the products only, not filling A and B);
        // gflopsWall from the JS clock around the calls, for reference.
        record('W4 gemm', label, res, {
          n,
          repsPerCall: reps,
          gemmSeconds: inner,
          gflops: (2 * n * n * n * res.steps) / inner / 1e9,
          gflopsWall: (2 * n * n * n * res.stepsPerSec) / 1e9,
        });
      } catch (e) {
        record('W4 gemm', label, { error: String((e && e.message) || e).slice(0, 300) });
      }
    }
  }
}

(async () => {
  const t0 = now();
  try {
    if (LIB.startsWith('tfjs')) await runTfjs();
    else if (LIB === 'convnetjs') await runConvnetjs();
    else if (LIB === 'dlplay-wasm') await runDlplay();
    else throw new Error('unknown lib ' + LIB);
  } catch (e) {
    meta.fatal = String((e && e.stack) || e).slice(0, 1000);
  }
  meta.wallSeconds = (now() - t0) / 1000;
  const cu = process.cpuUsage();
  meta.cpuSeconds = (cu.user + cu.system) / 1e6;
  process.stdout.write('RESULT_JSON ' + JSON.stringify({ meta, results }) + '\n');
  process.exit(0);
})();
