// The playground's DOM helper, and the size the network draws a neuron at.

export const NODE = 34; // px, a neuron's heatmap

/** An element with attributes (text, className), appended to `parent` when given. */
export function el(tag, attrs = {}, parent) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k === 'className') e.className = v;
    else e.setAttribute(k, v);
  }
  parent?.appendChild(e);
  return e;
}
