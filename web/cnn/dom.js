// Small DOM helpers of the CNN page.

/** @type {(id: string) => any} */
export const $ = (id) => document.getElementById(id);

/** An element with properties (class, text, aria-*, role, for as attributes) and children. */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('aria-') || k === 'role' || k === 'for') e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children);
  return e;
}
