// What a session's frame carries (web/engine/worker.js): its metrics, and what the page asked for
// (grids, parameters, gradients, class probabilities, confusion, one input's activations).

function metricsOf(s) {
  const m = s.trainable ? s.session.train(0, { evaluate: s.frame.evaluate !== false }) : {};
  if (s.lastLoss !== undefined) m.loss = s.lastLoss;
  if (s.stopped) m.stopped = s.stopped;
  s.stopped = undefined;
  return m;
}

// The points of an n×n grid over [−e, e]², in the order of session.grid's values.
const gridPoints = new Map();
function pointsOf(n, e) {
  const key = `${n}:${e}`;
  if (!gridPoints.has(key)) {
    const p = new Float32Array(n * n * 2);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) {
        p[2 * (r * n + c)] = -e + (2 * e * c) / (n - 1);
        p[2 * (r * n + c) + 1] = -e + (2 * e * r) / (n - 1);
      }
    gridPoints.set(key, p);
  }
  return gridPoints.get(key);
}

function classesOf(s, grid) {
  const n = grid?.outN ?? grid?.n ?? 50;
  const points = pointsOf(n, grid?.extent ?? 6);
  const c = s.session.classify(points);
  return c.probabilities ? { probabilities: c.probabilities, classes: c.classes, n } : null;
}

function confusionOf(s) {
  const info = s.info ?? s.session.info();
  const split = info.testSize > 0 ? 'test' : 'train';
  const e = s.session.evaluate(split);
  return e.confusion ? { matrix: e.confusion, classes: e.classes, split } : null;
}

export function frameOf(s) {
  const f = { id: s.id, build: s.build, metrics: metricsOf(s) };
  const layers = s.session.layers().length;
  const { grid, params, gradients, activations } = s.frame;
  if (grid) {
    const e = grid.extent ?? 6;
    const which =
      grid.layers === 'output'
        ? [layers - 1]
        : Array.isArray(grid.layers)
          ? grid.layers
          : [...Array(layers).keys()];
    f.grids = which.map((i) => {
      const n = i === layers - 1 ? (grid.outN ?? grid.n ?? 50) : (grid.n ?? 24);
      return s.session.grid(i, [-e, e], [-e, e], n);
    });
    f.gridLayers = which;
  }
  if (params) f.params = [...Array(layers).keys()].map((i) => s.session.weights(i));
  if (s.frame.classes && s.trainable) f.classes = classesOf(s, grid);
  if (s.frame.confusion && s.trainable) f.confusion = confusionOf(s);
  if (gradients) f.gradients = [...Array(layers).keys()].map((i) => s.session.gradients(i));
  if (activations?.input) {
    f.activations = s.session.activationsAll(activations.input);
    f.classified = s.session.classify(activations.input);
    // Saliency: ∂L/∂x towards the predicted class (which input values push the answer there).
    const predicted = f.classified.predicted?.[0];
    if (activations.saliency && predicted !== undefined)
      f.saliency = s.session.inputGradients(activations.input, [predicted]);
  }
  return f;
}
