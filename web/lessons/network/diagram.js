// The 2-2-2-2 network drawn: links on a canvas, coloured and sized by weight; every node's value in
// an <output> named for what it is ("x1", "layer 1 neuron 2", "y1"), positioned over its circle.
const W = 520;
const H = 230;
const R = 24;
const colX = (c) => 50 + c * ((W - 100) / 3);
const rowY = (i) => 65 + i * 100;

function outputs(root) {
  if (root.querySelector('output')) return [...root.querySelectorAll('output')];
  const made = [];
  for (let c = 0; c < 4; ++c)
    for (let i = 0; i < 2; ++i) {
      const o = document.createElement('output');
      o.className = `node-value col-${c}`;
      o.style.left = `${colX(c) - R}px`;
      o.style.top = `${rowY(i) - 10}px`;
      o.dataset.col = String(c);
      o.dataset.row = String(i);
      root.append(o);
      made.push(o);
    }
  return made;
}

function names(t, c, i) {
  if (c === 0) return t('inputName', { i: i + 1 });
  if (c === 3) return t('outputName', { i: i + 1 });
  return t('layerNeuron', { l: c, i: i + 1 });
}

// Draws links and nodes into the canvas (also used for Save image, with the values).
export function paint(ctx, { x, values, weights, fmt }, withText) {
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  weights.forEach((rows, l) =>
    rows.forEach((row, i) =>
      row.slice(0, 2).forEach((w, j) => {
        ctx.strokeStyle = w >= 0 ? '#0877bd' : '#e06a2c';
        ctx.lineWidth = Math.min(1 + Math.abs(w) * 1.2, 8);
        ctx.beginPath();
        ctx.moveTo(colX(l) + R, rowY(j));
        ctx.lineTo(colX(l + 1) - R, rowY(i));
        ctx.stroke();
      }),
    ),
  );
  const all = [x, ...values];
  all.forEach((col, c) =>
    col.forEach((v, i) => {
      ctx.beginPath();
      ctx.arc(colX(c), rowY(i), R, 0, 2 * Math.PI);
      ctx.fillStyle = c === 0 ? '#f3f3f3' : `rgba(8, 119, 189, ${0.15 + 0.6 * Math.min(1, Math.max(0, v))})`;
      ctx.fill();
      ctx.strokeStyle = '#555';
      ctx.lineWidth = 1;
      ctx.stroke();
      if (withText) {
        ctx.fillStyle = '#111';
        ctx.font = '14px system-ui';
        ctx.textAlign = 'center';
        ctx.fillText(fmt(v), colX(c), rowY(i) + 5);
      }
    }),
  );
}

export function drawNetwork(root, state) {
  const { x, values, t, fmt } = state;
  let canvas = root.querySelector('canvas');
  if (!canvas) {
    canvas = document.createElement('canvas');
    const dpr = window.devicePixelRatio || 1;
    canvas.width = W * dpr;
    canvas.height = H * dpr;
    canvas.style.width = `${W}px`;
    canvas.style.height = `${H}px`;
    canvas.getContext('2d').setTransform(dpr, 0, 0, dpr, 0, 0);
    canvas.setAttribute('aria-hidden', 'true');
    root.append(canvas);
  }
  root.setAttribute('aria-label', t('diagram'));
  paint(canvas.getContext('2d'), state, false);
  const all = [x, ...values];
  for (const o of outputs(root)) {
    const c = +o.dataset.col;
    const i = +o.dataset.row;
    o.textContent = fmt(all[c][i]);
    o.setAttribute('aria-label', names(t, c, i));
    o.title = names(t, c, i);
  }
}

export const SIZE = { W, H };
