// A dlplay model JSON (what Save writes, what `dlplay eval` reads) as a change of the playground's
// state: its features, hidden layers (units, activation, dropout), output and weights. The engine
// has already accepted the model (it is built before this runs); what this checks is whether the
// page can show it. Throws Error with a message for the user.
import {
  activations,
  datasets,
  classRange,
  features as featureNames,
  DROPOUT_RATES,
  MAX_LAYERS,
  MAX_NEURONS,
  MAX_CLASSES,
} from './state.js';
import { classCount } from './spec.js';

const flat = (w) => (Array.isArray(w) ? w.flat(Infinity) : []);

/** @returns {{change: object, summary: {features: number, layers: number[], classes: number}}} */
export function stateFromModel(model, state) {
  const features =
    model.features ?? (model.input?.length === 1 && model.input[0] === 2 ? ['x1', 'x2'] : null);
  if (!features || !features.every((f) => featureNames().includes(f)))
    throw new Error('the playground takes models of 2-D points (input [2], or "features")');
  const layers = model.layers ?? [];
  const network = [];
  const activation = [];
  const dropout = [];
  const weights = [];
  layers.forEach((l, i) => {
    const last = i === layers.length - 1;
    if (l.type === 'dropout') {
      if (!network.length || dropout[network.length - 1] > 0 || last)
        throw new Error(`layers[${i}]: dropout must follow a hidden dense layer`);
      if (!DROPOUT_RATES.includes(l.rate))
        throw new Error(
          `layers[${i}]: dropout rate ${l.rate} (the playground has ${DROPOUT_RATES.join(', ')})`,
        );
      dropout[network.length - 1] = l.rate;
      return;
    }
    if (l.type !== 'dense')
      throw new Error(`layers[${i}]: a ${l.type} layer (the playground has dense and dropout)`);
    weights.push({ weights: flat(l.weights), bias: flat(l.bias) });
    if (last) return;
    if (!activations().includes(l.activation ?? 'linear'))
      throw new Error(`layers[${i}]: activation ${l.activation} is not for hidden layers`);
    if (l.units > MAX_NEURONS) throw new Error(`layers[${i}]: ${l.units} units (at most ${MAX_NEURONS})`);
    network.push(l.units);
    activation.push(l.activation ?? 'linear');
    dropout.push(0);
  });
  if (network.length > MAX_LAYERS) throw new Error(`${network.length} hidden layers (at most ${MAX_LAYERS})`);
  const out = layers.at(-1);
  if (out?.type !== 'dense') throw new Error('the last layer must be dense');
  const { problem, classes, loss } = outputOf(out, model.loss);
  const change = { features: [...features], network, activation, dropout, problem, loss, init: null };
  // The data: kept when it fits the model, else a built-in set that does.
  const fits = problem === state.problem && classCount({ ...state, classes }) === classes;
  if (!fits) {
    if (classes > 2) {
      Object.assign(change, { dataset: classRange(state.dataset) ? state.dataset : 'gaussian', classes });
    } else Object.assign(change, { dataset: datasets(problem)[0], classes: 2 });
    change.points = null;
  }
  change.weights = weights.every((w) => w.weights.length) ? weights : null;
  return { change, summary: { features: features.length, layers: network, classes } };
}

function outputOf(out, loss) {
  const act = out.activation ?? 'linear';
  if (out.units > 2 && out.units <= MAX_CLASSES && act === 'softmax')
    return { problem: 'classification', classes: out.units, loss: loss ?? 'cross_entropy' };
  if (out.units === 1 && act === 'tanh') return { problem: 'classification', classes: 2, loss: 'mse' };
  if (out.units === 1 && act === 'sigmoid')
    return { problem: 'classification', classes: 2, loss: 'cross_entropy' };
  if (out.units === 1 && act === 'linear') return { problem: 'regression', classes: 0, loss: 'mse' };
  throw new Error(
    `an output of ${out.units} ${act} units (the playground has 1 tanh, sigmoid or linear unit, or 3–${MAX_CLASSES} softmax units)`,
  );
}
