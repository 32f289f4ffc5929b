// Controls from a schema: selects filled from a list of values with labels, and the play button.

/** Fills a <select> with `values`, labelled by `label(value)`, keeping its current value. */
export function fillSelect(select, values, label) {
  const v = select.value;
  select.replaceChildren(
    ...values.map((x) => {
      const o = document.createElement('option');
      o.value = String(x);
      o.textContent = label(x);
      return o;
    }),
  );
  if (v) select.value = v;
}

/**
 * Builds the selects of a schema and wires their changes:
 *   bindSelects({ lr: { el, values: () => [...], label: String, parse: Number } }, onChange)
 * onChange({lr: 0.1}) runs on a user's change; refresh() refills the options (a language change)
 * and sync(state) shows a state's values.
 */
export function bindSelects(schema, onChange) {
  for (const [key, c] of Object.entries(schema))
    c.el.onchange = (e) => onChange({ [key]: (c.parse ?? String)(e.target.value) });
  return {
    refresh() {
      for (const c of Object.values(schema)) fillSelect(c.el, c.values(), c.label);
    },
    sync(state) {
      for (const [key, c] of Object.entries(schema)) c.el.value = String(state[key]);
    },
  };
}

/** The play/pause toggle: its state, label and icon. */
export function setPlayButton(button, playing, t) {
  button.classList.toggle('playing', playing);
  button.setAttribute('aria-label', t(playing ? 'pause' : 'play'));
  button.title = t(playing ? 'pause' : 'play');
}

/** A seed in 1 … 2³¹ − 1 other than `old` (Reset's fresh weights, Regenerate's fresh data). */
export function newSeed(old) {
  const a = new Uint32Array(1);
  do crypto.getRandomValues(a);
  while ((a[0] & 0x7fffffff) === old || (a[0] & 0x7fffffff) === 0);
  return a[0] & 0x7fffffff;
}
