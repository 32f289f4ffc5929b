// Properties of the CNN page's saved files (web/cnn/save.js) and what reads them back: .npy
// weights and the weights zip round-trip to the last bit; the zip reader (web/kit/limits.js
// zipEntries, which the page's uploads go through) and the model loader (modelToState) refuse any
// bytes or JSON with an Error, never anything else.
import { describe, test, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { unzipSync, strFromU8 } from 'fflate';
import { loadEngine } from 'dlplay';
import { setVocabulary } from '../../web/kit/vocabulary.js';
import { npy, weightsZip, modelToState } from '../../web/cnn/save.js';
import { app } from '../../web/cnn/app.js';
import { DATASETS, MAX_BLOCKS, menusOf } from '../../web/cnn/state.js';
import { LimitError, zipEntries } from '../../web/kit/limits.js';

beforeAll(async () => {
  setVocabulary((await loadEngine()).vocabulary());
  app.menus = menusOf(); // as the page sets it before a model is loaded
}, 30000);

// FC_RUNS=20000 runs each property longer (the default keeps npm test quick).
const RUNS = { numRuns: Number(process.env.FC_RUNS) || 300 };
const TIMEOUT = 600_000;

// A reader of .npy 1.0 files as NumPy writes them (format.py): magic, version, header length,
// a Python dict literal padded with spaces to a multiple of 64 bytes and ended by a newline.
function readNpy(bytes) {
  const magic = String.fromCharCode(...bytes.subarray(1, 6));
  expect(bytes[0]).toBe(0x93);
  expect(magic).toBe('NUMPY');
  expect([bytes[6], bytes[7]]).toEqual([1, 0]);
  const length = bytes[8] | (bytes[9] << 8);
  expect((10 + length) % 64).toBe(0);
  const header = String.fromCharCode(...bytes.subarray(10, 10 + length));
  const m = /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(([0-9, ]*)\), \} *\n$/.exec(header);
  expect(m, header).not.toBeNull();
  const shape = m[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.length === 1) expect(m[1]).toBe(`${shape[0]},`); // a 1-tuple keeps its comma
  const body = bytes.slice(10 + length);
  expect(body.length % 4).toBe(0);
  return { shape, values: new Float32Array(body.buffer) };
}

const bits = (f) => Array.from(new Uint32Array(Float32Array.from(f).buffer));
const tensor = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }).chain((shape) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.float32Array({ minLength: n, maxLength: n }).map((values) => ({ shape, values }));
});

// A model as the page saves it (its layers, parameters as the worker sends them).
const saved = fc.array(tensor, { minLength: 1, maxLength: 4 }).map((tensors) => {
  const layers = tensors.map((_, i) => ({ type: i === tensors.length - 1 ? 'dense' : 'conv2d', units: 3 }));
  const params = tensors.map((t, i) =>
    i % 2
      ? { weights: t.values, shape: t.shape, bias: [] }
      : {
          weights: t.values,
          shape: t.shape,
          bias: t.values.slice(0, 2),
          biasShape: [Math.min(2, t.values.length)],
        },
  );
  return { model: { format: 'dlplay-model', version: 1, input: [1, 8, 8], layers }, params };
});

const fileOf = (bytes, name = 'upload.zip') => new File([bytes], name);
async function readZip(bytes) {
  const out = [];
  for await (const e of zipEntries(fileOf(bytes), { accept: () => true })) out.push(e);
  return out;
}

describe('.npy and the weights zip', () => {
  test(
    'npy(values, shape) reads back as the same shape and the same bits',
    () => {
      fc.assert(
        fc.property(tensor, ({ shape, values }) => {
          const r = readNpy(npy(values, shape));
          expect(r.shape).toEqual(shape);
          expect(bits(r.values)).toEqual(bits(values));
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  test(
    'weightsZip unzips to model.json and one .npy per parameter, bit for bit',
    () => {
      fc.assert(
        fc.property(saved, ({ model, params }) => {
          const files = unzipSync(weightsZip(model, params));
          expect(JSON.parse(strFromU8(files['model.json']))).toEqual(model);
          params.forEach((p, i) => {
            const type = model.layers[i].type;
            const w = readNpy(files[`layer${i}_${type}_weights.npy`]);
            expect(w.shape).toEqual(p.shape);
            expect(bits(w.values)).toEqual(bits(p.weights));
            const b = files[`layer${i}_${type}_bias.npy`];
            if (p.bias.length) expect(bits(readNpy(b).values)).toEqual(bits(p.bias));
            else expect(b).toBeUndefined();
          });
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  test(
    "the page's zip reader gives the weights zip's files back as they were",
    async () => {
      await fc.assert(
        fc.asyncProperty(saved, async ({ model, params }) => {
          const zip = weightsZip(model, params);
          const files = unzipSync(zip);
          const entries = await readZip(zip);
          expect(entries.map((e) => e.name).sort()).toEqual(Object.keys(files).sort());
          for (const e of entries) expect(Array.from(e.bytes)).toEqual(Array.from(files[e.name]));
        }),
        { ...RUNS, numRuns: Math.ceil(RUNS.numRuns / 3) },
      );
    },
    TIMEOUT,
  );
});

// What an upload may be: any bytes, or a real zip with bytes changed, cut or appended.
const hostileZip = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc
    .tuple(
      saved,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.nat(),
      fc.boolean(),
    )
    .map(([{ model, params }, edits, cut, shorten]) => {
      const z = weightsZip(model, params).slice();
      for (const [at, v] of edits) z[at % z.length] = v;
      return shorten ? z.subarray(cut % z.length) : z;
    }),
);

describe('reading back hostile files', () => {
  test(
    'zipEntries: every refusal is a LimitError; what it yields is {name, bytes} or {name, error}',
    async () => {
      await fc.assert(
        fc.asyncProperty(hostileZip, async (bytes) => {
          try {
            for (const e of await readZip(bytes)) {
              expect(typeof e.name).toBe('string');
              if (e.error) expect(e.error).toBeInstanceOf(LimitError);
              else expect(e.bytes).toBeInstanceOf(Uint8Array);
            }
          } catch (err) {
            expect(err, String(err?.stack ?? err)).toBeInstanceOf(LimitError);
            expect(err.message.length).toBeGreaterThan(0);
          }
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  const anyModel = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        format: fc.oneof(fc.constant('dlplay-model'), fc.jsonValue()),
        input: fc.oneof(fc.constantFrom([1, 8, 8], [1, 28, 28], [2]), fc.jsonValue()),
        layers: fc.oneof(
          fc.array(
            fc.oneof(
              fc.record(
                {
                  type: fc.oneof(
                    fc.constantFrom('conv2d', 'maxpool2d', 'avgpool2d', 'dense', 'dropout', 'flatten'),
                    fc.constantFrom('relu', 'softmax', 'tanh', 'lstm'),
                    fc.jsonValue(),
                  ),
                  units: fc.jsonValue(),
                  filters: fc.jsonValue(),
                  kernel: fc.jsonValue(),
                  activation: fc.oneof(fc.constantFrom('relu', 'linear'), fc.jsonValue()),
                },
                { requiredKeys: ['type'] },
              ),
              fc.jsonValue(),
            ),
            { maxLength: 20 },
          ),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    ),
  );

  test(
    'modelToState: any JSON value is an Error or a state of at most MAX_BLOCKS blocks',
    () => {
      fc.assert(
        fc.property(anyModel, (model) => {
          let r;
          try {
            r = modelToState(model);
          } catch (err) {
            expect(err).toBeInstanceOf(Error);
            expect(typeof err.message).toBe('string');
            return;
          }
          expect(DATASETS[r.dataset]?.file).toBeTruthy();
          expect(r.net.length).toBeLessThanOrEqual(MAX_BLOCKS);
          expect(r.layers).toHaveLength(r.net.length);
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );
});
