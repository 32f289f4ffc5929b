// What the pages read from the user's files, and how much: every limit in one table, and the readers
// that enforce them before the work or the memory is spent (docs/robustness.md).
//   const text = await readText(file, LIMITS.modelBytes, 'modelTooBig');  // File.size first, then text
//   await checkImage(blobOrBytes, name);                // byte size, then the header's width × height
//   for await (const e of zipEntries(file, { accept })) // the central directory's sizes first, then
//     …                                                 //   each entry inflated in slices, never past them
// A refusal is a LimitError: `message` in English, `key` and `params` for the kit's strings
// (limitText(err, t)); the params are already formatted ("100.0 MB", "20,000").
import { Inflate } from 'fflate';
import { KIT_STRINGS } from './strings.js';

export const MB = 2 ** 20;

export const LIMITS = Object.freeze({
  /** MLP page, Import CSV: the file, its lines (blank and comment lines count). */
  csvBytes: 2 * MB,
  csvLines: 20_000,
  /** Model JSON, both pages' Load model (a 50-million-parameter layer is over the engine's limit anyway). */
  modelBytes: 32 * MB,
  /** CNN page, Add images: one image file, its width and height (each), its pixels. */
  imageBytes: 20 * MB,
  imageSide: 8192,
  imagePixels: 40_000_000,
  /** CNN page: images read from one upload (files, a folder, zips together). */
  images: 5000,
  /** CNN page: a zip file, the files in its directory, the bytes its images unpack to (together). */
  zipBytes: 100 * MB,
  zipEntries: 10_000,
  zipUnpacked: 200 * MB,
});

const number = (n) => Math.round(n).toLocaleString('en-US');

/** "1.5 KB", "100.0 MB" (1 MB = 2²⁰ bytes), "20 bytes". */
export function formatBytes(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < MB) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * MB) return `${(n / MB).toFixed(1)} MB`;
  return `${(n / 1024 / MB).toFixed(1)} GB`;
}

export class LimitError extends Error {
  /** @param {string} key @param {Record<string, string|number>} params */
  constructor(key, params) {
    super(KIT_STRINGS.en[key].replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m)));
    this.name = 'LimitError';
    this.key = key;
    this.params = params;
  }
}

/** The refusal in the page's language (its t has the keys above), or any other error's message. */
export const limitText = (err, t) => (err instanceof LimitError ? t(err.key, err.params) : err.message);

/** Throws LimitError(key) when the file (or Blob) is over `limit` bytes; nothing is read. */
export function checkSize(file, limit, key, name = file.name ?? '') {
  if (file.size > limit)
    throw new LimitError(key, { name, size: formatBytes(file.size), limit: formatBytes(limit) });
}

/** The file's text, refused by its size before a byte is read. */
export async function readText(file, limit, key) {
  checkSize(file, limit, key);
  return file.text();
}

// ---------- yielding, so that no task on the main thread runs long ----------
let sliceStart = 0;
let channel = null; // a page's (in Node an open port would keep the process alive: timers there)
const waiting = [];
const nextTask = () =>
  new Promise((resolve) => {
    if (typeof MessageChannel !== 'function' || typeof document === 'undefined')
      return setTimeout(resolve, 0);
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });

/** Lets the page run (input, frames) when the current task has run for `budget` ms. */
export async function breathe(budget = 20) {
  const now = performance.now();
  if (now - sliceStart < budget) return;
  await nextTask();
  sliceStart = performance.now();
}

// ---------- images: the size from the header, before any decoding ----------
const u16le = (b, i) => b[i] | (b[i + 1] << 8);
const u16be = (b, i) => (b[i] << 8) | b[i + 1];
const u32le = (b, i) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
const u32be = (b, i) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
const ascii = (b, i, n) => String.fromCharCode(...b.subarray(i, i + n));

/**
 * {type, width, height} from the first bytes of a PNG, GIF, BMP, WebP or JPEG (for a JPEG, as far
 * as its first frame header), or null when they are not one of those or end too soon.
 * @param {Uint8Array} b
 */
export function imageSize(b) {
  if (b.length >= 24 && u32be(b, 0) === 0x89504e47 && ascii(b, 12, 4) === 'IHDR')
    return { type: 'png', width: u32be(b, 16), height: u32be(b, 20) };
  if (b.length >= 10 && /^GIF8[79]a$/.test(ascii(b, 0, 6)))
    return { type: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') {
    const core = u32le(b, 14) === 12;
    const w = core ? u16le(b, 18) : u32le(b, 18) | 0;
    const h = core ? u16le(b, 20) : u32le(b, 22) | 0;
    return { type: 'bmp', width: Math.abs(w), height: Math.abs(h) };
  }
  if (b.length >= 30 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
    const chunk = ascii(b, 12, 4);
    if (chunk === 'VP8 ')
      return { type: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = u32le(b, 21);
      return { type: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8X')
      return {
        type: 'webp',
        width: (b[24] | (b[25] << 8) | (b[26] << 16)) + 1,
        height: (b[27] | (b[28] << 8) | (b[29] << 16)) + 1,
      };
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 <= b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1];
      if (marker === 0xff) {
        i++; // fill byte
        continue;
      }
      // Start of frame: every SOFn but DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { type: 'jpeg', width: u16be(b, i + 7), height: u16be(b, i + 5) };
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        i += 2;
        continue;
      }
      if (marker === 0xd9 || marker === 0xda) return null; // end, or scan data before a frame header
      i += 2 + u16be(b, i + 2);
    }
  }
  return null;
}

const HEADER_BYTES = 1 * MB; // enough for a JPEG's frame header behind its EXIF and thumbnails

/**
 * Throws LimitError when the image (a Blob, or bytes from a zip) is over the byte limit, is not an
 * image whose size its header gives, or is wider, taller or larger than the limits; decodes nothing.
 * @param {Blob | Uint8Array} image
 * @param {string} name
 */
export async function checkImage(image, name) {
  const size = image instanceof Uint8Array ? image.length : image.size;
  if (size > LIMITS.imageBytes)
    throw new LimitError('imageTooBig', {
      name,
      size: formatBytes(size),
      limit: formatBytes(LIMITS.imageBytes),
    });
  const head =
    image instanceof Uint8Array
      ? image.subarray(0, HEADER_BYTES)
      : new Uint8Array(await image.slice(0, HEADER_BYTES).arrayBuffer());
  const dims = imageSize(head);
  if (!dims || !dims.width || !dims.height) throw new LimitError('imageUnknown', { name });
  const { width, height } = dims;
  if (width > LIMITS.imageSide || height > LIMITS.imageSide || width * height > LIMITS.imagePixels)
    throw new LimitError('imageTooLarge', {
      name,
      width: number(width),
      height: number(height),
      side: number(LIMITS.imageSide),
      pixels: number(LIMITS.imagePixels),
    });
  return dims;
}

// ---------- zips: the central directory first, then each entry inflated in slices ----------
const SLICE = 4096; // compressed bytes per inflate step: at most ~4 MB out (deflate's 1032:1)

/**
 * The entries of a zip file whose names `accept` takes, as {name, bytes} or {name, error} (a
 * LimitError for that entry alone), at most `max` of them (then `capped` is set on the last call's
 * result object `info`). Before inflating anything it throws LimitError when the file, its number
 * of entries or the total its accepted entries unpack to (as its central directory says) is over
 * the limits, or when it is not a zip this reads (ZIP64, encrypted, broken); while inflating, an
 * entry that unpacks to more than the directory said stops everything (zipLies).
 * @param {File} file
 * @param {{accept?: (name: string) => boolean, max?: number, info?: {capped?: boolean, entries?: number}}} [options]
 * @returns {AsyncGenerator<{name: string, bytes?: Uint8Array, error?: LimitError}>}
 */
export async function* zipEntries(file, { accept = () => true, max = LIMITS.images, info = {} } = {}) {
  const name = file.name ?? '';
  checkSize(file, LIMITS.zipBytes, 'zipTooBig', name);
  const d = new Uint8Array(await file.arrayBuffer());
  const broken = (reason) => new LimitError('zipBroken', { name, reason });
  // The end of central directory record: in the last 22 … 22 + 65535 bytes.
  let e = d.length - 22;
  const lowest = Math.max(0, d.length - 22 - 0xffff);
  while (e >= lowest && u32le(d, e) !== 0x06054b50) e--;
  if (e < lowest) throw broken('no central directory');
  const count = u16le(d, e + 10);
  const dirSize = u32le(d, e + 12);
  const dirStart = u32le(d, e + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirStart === 0xffffffff) throw broken('ZIP64');
  if (count > LIMITS.zipEntries)
    throw new LimitError('zipTooManyEntries', {
      name,
      count: number(count),
      limit: number(LIMITS.zipEntries),
    });
  if (dirStart + dirSize > e) throw broken('central directory out of the file');
  const utf8 = new TextDecoder();
  const entries = [];
  let total = 0;
  for (let i = 0, p = dirStart; i < count; i++) {
    if (p + 46 > e || u32le(d, p) !== 0x02014b50) throw broken('central directory entry');
    const flags = u16le(d, p + 8);
    const method = u16le(d, p + 10);
    const packed = u32le(d, p + 20);
    const unpacked = u32le(d, p + 24);
    const nameLength = u16le(d, p + 28);
    const entry = utf8.decode(d.subarray(p + 46, p + 46 + nameLength));
    const local = u32le(d, p + 42);
    p += 46 + nameLength + u16le(d, p + 30) + u16le(d, p + 32);
    if (entry.endsWith('/') || !accept(entry)) continue;
    if (packed === 0xffffffff || unpacked === 0xffffffff || local === 0xffffffff) throw broken('ZIP64');
    if (entries.length >= max) {
      info.capped = true;
      continue;
    }
    if (flags & 1) throw broken('encrypted');
    entries.push({ entry, method, packed, unpacked, local });
    total += unpacked;
  }
  if (total > LIMITS.zipUnpacked)
    throw new LimitError('zipTooLarge', {
      name,
      size: formatBytes(total),
      limit: formatBytes(LIMITS.zipUnpacked),
    });
  info.entries = entries.length;
  for (const { entry, method, packed, unpacked, local } of entries) {
    await breathe();
    const label = `${name}/${entry}`;
    if (unpacked > LIMITS.imageBytes) {
      yield {
        name: entry,
        error: new LimitError('imageTooBig', {
          name: label,
          size: formatBytes(unpacked),
          limit: formatBytes(LIMITS.imageBytes),
        }),
      };
      continue;
    }
    if (local + 30 > d.length || u32le(d, local) !== 0x04034b50) throw broken(`local header of ${entry}`);
    const start = local + 30 + u16le(d, local + 26) + u16le(d, local + 28);
    if (start + packed > d.length) throw broken(`${entry} runs past the end`);
    const src = d.subarray(start, start + packed);
    const lies = () => new LimitError('zipLies', { name, entry, size: formatBytes(unpacked) });
    if (method === 0) {
      if (packed !== unpacked) throw lies();
      yield { name: entry, bytes: src.slice() };
      continue;
    }
    if (method !== 8) throw broken(`${entry}: compression method ${method}`);
    if (!packed) throw broken(`${entry} has no data`);
    const out = new Uint8Array(unpacked);
    let n = 0;
    const inflate = new Inflate((chunk) => {
      if (n + chunk.length > unpacked) throw lies();
      out.set(chunk, n);
      n += chunk.length;
    });
    try {
      for (let k = 0; k < packed; k += SLICE) {
        inflate.push(src.subarray(k, k + SLICE), k + SLICE >= packed);
        await breathe();
      }
    } catch (err) {
      if (err instanceof LimitError) throw err;
      throw broken(`${entry}: ${err.message}`);
    }
    if (n !== unpacked) throw broken(`${entry} unpacks to ${formatBytes(n)}, not ${formatBytes(unpacked)}`);
    yield { name: entry, bytes: out };
  }
}
