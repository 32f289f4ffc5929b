// The texts the character model learns: the two shipped with the site (scripts/build-data.mjs
// writes them from npm packages; web/public/data/LICENSES.md) and the student's own pasted text,
// which stays in this browser (localStorage), never in the link.
import { MAX_OWN_TEXT, MIN_OWN_TEXT } from './state.js';

export const FILES = { lincoln: 'data/lincoln.txt', tang: 'data/tang5.txt' };
const OWN_KEY = 'dlplay-rnn-own-text';
const cache = new Map();
let memory = null; // the own text of this page's life (when localStorage refuses it)

/** The text of a source: a shipped file (fetched once) or the own text. */
export async function loadText(name) {
  if (name === 'own') {
    const own = ownText();
    if (own.length < MIN_OWN_TEXT) throw Object.assign(new Error('own text too short'), { code: 'short' });
    return own;
  }
  if (!cache.has(name))
    cache.set(
      name,
      fetch(new URL(FILES[name], location.href)).then(async (r) => {
        if (!r.ok) throw new Error(`${FILES[name]}: HTTP ${r.status}`);
        return r.text();
      }),
    );
  try {
    return await cache.get(name);
  } catch (err) {
    cache.delete(name);
    throw err;
  }
}

/** The own text kept in this browser ('' when none). */
export function ownText() {
  if (memory !== null) return memory;
  try {
    return localStorage.getItem(OWN_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Keeps an own text (cut to MAX_OWN_TEXT characters, line ends made \n); returns it. */
export function setOwnText(text) {
  const clean = [...String(text).replace(/\r\n?/g, '\n')].slice(0, MAX_OWN_TEXT).join('');
  memory = clean;
  try {
    localStorage.setItem(OWN_KEY, clean);
  } catch {
    // private mode or full: the text is used for this build only
  }
  return clean;
}

/** A default prefix for a text: its first word or character. */
export function defaultPrefix(name, text) {
  if (name === 'lincoln') return 'The ';
  if (name === 'tang') return '春';
  return [...text][0] ?? '';
}
