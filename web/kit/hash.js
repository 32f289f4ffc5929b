// URL hash state shared by the pages: "#a=1&b=2" read through one parser per key. A value that a
// parser rejects (it returns undefined) keeps the default and is reported, as given, so the page
// can show it as text; unknown keys are reported too; a repeated key keeps its first value.

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
