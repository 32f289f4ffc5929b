// URL hash state for every view: "#a=1&b=2" read through one parser per key, in both directions.
// A value that a parser rejects (it returns undefined) keeps the default and is reported, as
// given, so the view can show it as text; unknown keys are reported too; a repeated key keeps its
// first value. The kit's own keys (embedding: view, hide, lock, controls) belong to no view: they
// are skipped when reading and kept when writing.

export const KIT_KEYS = ['view', 'hide', 'lock', 'controls'];

/** Parsers for hash values: a number in [lo, hi], an integer in [lo, hi], one of a list, a flag. */
export const num = (lo, hi) => (s) => {
  const v = Number(s);
  return s !== '' && Number.isFinite(v) && v >= lo && v <= hi ? v : undefined;
};
export const int = (lo, hi) => (s) => (/^-?\d+$/.test(s) && +s >= lo && +s <= hi ? +s : undefined);
export const oneOf = (list) => (s) => (list().includes(s) ? s : undefined);
export const flag = (s) => (s === '1' ? true : s === '0' ? false : undefined);

/** Reads `hash` onto `state` (changed in place) with `parsers`; returns the problems. */
export function readParams(hash, parsers, state) {
  const problems = [];
  const text = String(hash ?? '').replace(/^#/, '');
  let params;
  try {
    params = new URLSearchParams(text);
  } catch {
    return [{ key: '', value: text.slice(0, 80), reason: 'unreadable' }];
  }
  const seen = new Set();
  for (const [key, value] of params) {
    if (KIT_KEYS.includes(key)) continue;
    if (!Object.hasOwn(parsers, key)) {
      problems.push({ key, value, reason: 'unknown' });
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    const v = parsers[key](value);
    if (v === undefined) problems.push({ key, value, reason: 'invalid' });
    else state[key] = v;
  }
  return problems;
}

/** The kit keys of a hash, as "hide=a,b&lock=c" (empty when there are none). */
export function kitParams(hash) {
  const out = new URLSearchParams();
  try {
    for (const [k, v] of new URLSearchParams(String(hash ?? '').replace(/^#/, '')))
      if (KIT_KEYS.includes(k) && k !== 'view' && !out.has(k)) out.set(k, v);
  } catch {
    // an unreadable hash has no kit keys
  }
  return out.toString();
}

/**
 * Keeps a view's state and the URL hash in step, both ways.
 *   const hash = bindHash({ toHash: (state) => '#…', onExternal: (hash) => apply(hash) });
 *   hash.write(state, { push: true });   // a user's change: a history entry (Back undoes it)
 *   hash.write(state);                   // anything else: the current entry is replaced
 * onExternal runs when the hash changes from outside: a pasted link, Back/Forward, a host page.
 * @param {{toHash: (state: any) => string, onExternal: (hash: string) => void}} options
 */
export function bindHash({ toHash, onExternal }) {
  const kit = kitParams(location.hash);
  const full = (state) => {
    const own = toHash(state).replace(/^#/, '');
    const joined = [own, kit].filter(Boolean).join('&');
    return joined ? `#${joined}` : '';
  };
  let last = location.hash;
  const changed = () => {
    if (location.hash === last) return;
    last = location.hash;
    onExternal(location.hash);
  };
  window.addEventListener('hashchange', changed);
  window.addEventListener('popstate', changed);
  return {
    write(state, { push = false } = {}) {
      const h = full(state);
      if (h === location.hash || (h === '' && location.hash === '')) return;
      const url = h || location.pathname + location.search;
      if (push) history.pushState(null, '', url);
      else history.replaceState(null, '', url);
      last = location.hash;
    },
    /** The hash this state would have (with the kit keys). */
    hashOf: full,
  };
}
