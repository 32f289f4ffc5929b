// The image-set file format of scripts/build-data.mjs (web/public/data/*.bin), read by the CNN page
// and the tests. One request per set: a 32-byte little-endian header, the images, the labels.
//   0  'DLDS'                  magic
//   4  u16 version (1), u16 header size (32)
//   8  u32 n                   examples
//  12  u16 channels, u16 height, u16 width, u16 classes
//  20  u32 max value           pixels are uint8 0..max (255 for MNIST, 16 for the 8×8 digits)
//  24  u32 FNV-1a 32 of everything after the header
//  28  u32 reserved (0)
//  32  n·c·h·w uint8 pixels (NCHW), then n uint8 labels
export const MAGIC = 'DLDS';
export const HEADER = 32;

export function fnv1a(bytes, hash = 0x811c9dc5) {
  let h = hash >>> 0;
  for (let i = 0; i < bytes.length; ++i) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Encodes {images: Uint8Array, labels: Uint8Array, shape: [c, h, w], classes, max} to the file's bytes. */
export function encodeDataset({ images, labels, shape, classes, max }) {
  const [c, h, w] = shape;
  const n = labels.length;
  if (images.length !== n * c * h * w) throw new Error(`images: expected ${n * c * h * w} bytes`);
  const out = new Uint8Array(HEADER + images.length + n);
  out.set(images, HEADER);
  out.set(labels, HEADER + images.length);
  const v = new DataView(out.buffer);
  for (let i = 0; i < 4; ++i) out[i] = MAGIC.charCodeAt(i);
  v.setUint16(4, 1, true);
  v.setUint16(6, HEADER, true);
  v.setUint32(8, n, true);
  v.setUint16(12, c, true);
  v.setUint16(14, h, true);
  v.setUint16(16, w, true);
  v.setUint16(18, classes, true);
  v.setUint32(20, max, true);
  v.setUint32(24, fnv1a(out.subarray(HEADER)), true);
  return out;
}

/** Reads the file's bytes: {n, shape: [c, h, w], classes, max, images (Uint8Array), labels (Uint8Array)}. */
export function decodeDataset(buffer, { verify = true } = {}) {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.length < HEADER || String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC)
    throw new Error('not a dlplay image set (bad magic)');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = v.getUint16(4, true);
  if (version !== 1) throw new Error(`unsupported image set version ${version}`);
  const header = v.getUint16(6, true);
  const n = v.getUint32(8, true);
  const shape = [v.getUint16(12, true), v.getUint16(14, true), v.getUint16(16, true)];
  const classes = v.getUint16(18, true);
  const max = v.getUint32(20, true);
  const size = shape[0] * shape[1] * shape[2];
  if (bytes.length !== header + n * size + n) throw new Error('image set: truncated or wrong size');
  if (verify && fnv1a(bytes.subarray(header)) !== v.getUint32(24, true))
    throw new Error('image set: checksum mismatch');
  const images = bytes.subarray(header, header + n * size);
  const labels = bytes.subarray(header + n * size);
  return { n, shape, classes, max, images, labels, checksum: v.getUint32(24, true) };
}
