// Shared by the API's classes (session.js, gan.js): engine errors turned into thrown Errors, the
// handles' finalizer, and JavaScript values converted to and from the engine's flat Float32Arrays.

// A handle the caller forgot to dispose() is deleted once it is garbage-collected.
export const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => {
        if (!handle.isDeleted()) handle.delete();
      })
    : null;

// An engine object's handle (a Session's, a Gan's), owned by `owner`: `load(handle)` fills it or
// it is deleted at once; then it is deleted by dispose() or, if the owner never calls it, once the
// owner is garbage-collected. `what` names the owner in the use-after-dispose error.
export class Handle {
  #handle;
  #what;

  constructor(owner, handle, what, load) {
    try {
      load(handle);
    } catch (e) {
      handle.delete();
      throw e;
    }
    this.#handle = handle;
    this.#what = what;
    registry?.register(owner, handle, this);
  }

  get() {
    if (!this.#handle) throw new Error(`${this.#what}: used after dispose()`);
    return this.#handle;
  }

  get disposed() {
    return !this.#handle;
  }

  dispose() {
    if (!this.#handle) return;
    registry?.unregister(this);
    this.#handle.delete();
    this.#handle = null;
  }
}

// The bindings return engine errors as Error values (throwing through wasm frames would skip their
// destructors and leak); they are thrown here, from the caller's stack.
export function check(result) {
  if (result instanceof Error) throw new Error(result.message);
  return result;
}

export const product = (shape) => shape.reduce((a, b) => a * b, 1);

export function flattenInto(value, out, offset, what) {
  if (typeof value === 'number') {
    out[offset] = value;
    return offset + 1;
  }
  if (ArrayBuffer.isView(value)) {
    if (offset + value.length > out.length) throw new Error(`${what}: too many values`);
    out.set(value, offset);
    return offset + value.length;
  }
  if (!Array.isArray(value))
    throw new Error(`${what}: expected numbers, got ${value === null ? 'null' : typeof value}`);
  for (const v of value) {
    if (offset >= out.length && typeof v === 'number') throw new Error(`${what}: too many values`);
    offset = flattenInto(v, out, offset, what);
  }
  return offset;
}

export function countValues(value) {
  if (typeof value === 'number') return 1;
  if (ArrayBuffer.isView(value)) return value.length;
  if (!Array.isArray(value)) return NaN;
  let n = 0;
  for (const v of value) n += countValues(v);
  return n;
}

export function toFloat32(values, expected, what) {
  if (values instanceof Float32Array) return values;
  if (ArrayBuffer.isView(values)) return Float32Array.from(values);
  const n = countValues(values);
  if (expected !== undefined && n !== expected)
    throw new Error(`${what}: expected ${expected} values, got ${n}`);
  const out = new Float32Array(n);
  flattenInto(values, out, 0, what);
  return out;
}

// The arguments of the binding's loadData for session(spec, {x, y, scale, testRatio}).
export function dataArgs(data) {
  if (data === null || typeof data !== 'object')
    throw new TypeError('session: data must be an object {x, y, scale?, testRatio?}');
  const { x, y, scale, testRatio, targets } = data;
  const bytes = x instanceof Uint8Array || x instanceof Uint8ClampedArray;
  if (!bytes && !(x instanceof Float32Array))
    throw new TypeError('data.x: expected a Uint8Array or a Float32Array of the examples end to end');
  if (!(ArrayBuffer.isView(y) || Array.isArray(y)))
    throw new TypeError('data.y: expected the labels as a typed array or an array of numbers');
  const s = scale ?? (bytes ? 1 / 255 : 1);
  if (!(typeof s === 'number' && Number.isFinite(s) && s > 0))
    throw new Error(`data.scale: expected a positive number, got ${s}`);
  if (testRatio !== undefined && !(typeof testRatio === 'number' && testRatio >= 0 && testRatio <= 0.9))
    throw new Error(`data.testRatio: expected a number from 0 to 0.9, got ${testRatio}`);
  if (targets !== undefined && !(Number.isInteger(targets) && targets >= 1))
    throw new Error(`data.targets: expected a whole number >= 1 (values per example), got ${targets}`);
  const labels = y instanceof Float32Array ? y : Float32Array.from(y);
  return [x, bytes, s, labels, targets ?? 0, testRatio ?? -1];
}

export function depth(value) {
  let d = 0;
  for (let v = value; Array.isArray(v) || ArrayBuffer.isView(v); v = v[0]) ++d;
  return d;
}

export function rows(flat, n) {
  const k = flat.length / n;
  const out = new Array(n);
  for (let i = 0; i < n; ++i) out[i] = Array.from(flat.subarray(i * k, (i + 1) * k));
  return out;
}
