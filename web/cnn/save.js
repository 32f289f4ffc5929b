// Saving a trained model: dlplay model JSON (the engine's toJSON, weights included), and the weights
// as NumPy .npy files in a zip (fflate), one per parameter: layer{i}_{type}_{weights|bias}.npy, with
// the shapes of docs/spec-format.md (dense [units][inputs], conv [filters][in][kh][kw], as PyTorch).
import { zipSync, strToU8 } from 'fflate';

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

export function download(bytesOrText, name, type) {
  const blob = new Blob([bytesOrText], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
