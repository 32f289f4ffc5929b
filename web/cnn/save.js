// Saving a trained model: dlplay model JSON (the engine's toJSON, weights included), and the weights
// as NumPy .npy files in a zip (fflate), one per parameter: layer{i}_{type}_{weights|bias}.npy, with
// the shapes of docs/spec-format.md (dense [units][inputs], conv [filters][in][kh][kw], as PyTorch).
// Loading a model JSON back: its layers become blocks of the editor, its weights the next build's.
import { zipSync, strToU8 } from 'fflate';
import { app } from './app.js';
import { t } from './i18n.js';
import { DATASETS, MAX_BLOCKS, blockOf } from './state.js';
import { showMessage } from './session.js';
import { download } from '../kit/download.js';
import { LIMITS, limitText, readText } from '../kit/limits.js';

/** A float32 array as the bytes of a .npy file (format 1.0, little-endian '<f4', C order). */
export function npy(values, shape) {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + values.length * 4);
  out.set([0x93, ...strToU8('NUMPY'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(strToU8(header), 10);
  const body = new Float32Array(values); // a copy, aligned
  out.set(new Uint8Array(body.buffer), 10 + header.length);
  return out;
}

/** The zip's bytes: model.json plus every layer's parameters as .npy. */
export function weightsZip(model, params) {
  const files = { 'model.json': strToU8(JSON.stringify(model, null, 1)) };
  params.forEach((p, i) => {
    if (!p?.weights?.length) return;
    const type = model.layers[i]?.type ?? 'layer';
    files[`layer${i}_${type}_weights.npy`] = npy(p.weights, p.shape);
    if (p.bias?.length) files[`layer${i}_${type}_bias.npy`] = npy(p.bias, p.biasShape);
  });
  return zipSync(files, { level: 6 });
}

// ---------- the page's Save and Load buttons ----------
// (the engine refuses to write NaN weights; the page says so in its own language)
const checkSavable = () => {
  if (app.diverged) throw new Error(t('saveDiverged'));
};

export async function saveJson() {
  const { session, state } = app;
  if (!session) return;
  checkSavable();
  const model = await session.evaluate('toJSON');
  download(JSON.stringify(model), `dlplay-cnn-${state.dataset}.json`, 'application/json');
}

export async function saveZip() {
  const { session, state, built } = app;
  if (!session) return;
  checkSavable();
  const model = await session.evaluate('toJSON');
  const params = [];
  for (let i = 0; i < built.layers.length; ++i) params.push(await session.evaluate('weights', i));
  download(weightsZip(model, params), `dlplay-cnn-${state.dataset}-weights.zip`, 'application/zip');
}

/** The blocks and data set of a dlplay model JSON, with its layers (weights) for the next build. */
export function modelToState(model) {
  if (model?.format !== 'dlplay-model' || !Array.isArray(model.layers))
    throw new Error('not a dlplay model JSON');
  const dataset = Object.keys(DATASETS).find(
    (d) => DATASETS[d].file && JSON.stringify(DATASETS[d].shape) === JSON.stringify(model.input),
  );
  if (!dataset) throw new Error(`input ${JSON.stringify(model.input)} matches no data set here`);
  const net = [];
  const layers = [];
  for (const l of model.layers) {
    if (!l || typeof l !== 'object') throw new Error(`a layer is ${JSON.stringify(l)}, not an object`);
    const b = blockOf(l);
    if (b === undefined) throw new Error(`layer type ${JSON.stringify(l.type)} has no block here`);
    if (b === null) {
      if (!app.menus.activations.includes(l.type)) continue; // a flatten: the blocks flatten as needed
      // An activation layer on its own: fold it into the previous block when it has none.
      const prev = net[net.length - 1];
      if (prev && 'activation' in prev && prev.activation === 'linear') prev.activation = l.type;
      else throw new Error(`activation layer ${l.type} after a block that has one`);
      continue;
    }
    net.push(b);
    layers.push(l);
  }
  if (net.length > MAX_BLOCKS) throw new Error(`more than ${MAX_BLOCKS} blocks`);
  return { dataset, net, layers };
}

export async function loadModel(ev) {
  const file = ev.target.files?.[0];
  ev.target.value = '';
  if (!file) return;
  try {
    const text = await readText(file, LIMITS.modelBytes, 'modelTooBig'); // refused by its size, unread
    const { dataset, net, layers } = modelToState(JSON.parse(text));
    app.pendingModel = layers;
    await app.update({ dataset, net }, true);
    if (app.built) showMessage(t('loaded', { name: file.name }), 'info');
  } catch (err) {
    showMessage(t('loadError', { message: limitText(err, t) }));
  }
}
