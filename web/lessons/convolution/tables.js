// The lesson's tables: a kernel's weights (number fields), its 9 products at the patch with their
// sum, and a feature map (one cell per value, the current one marked). Numbers come in from the
// engine; these only lay them out.

/** A number as the lesson shows it: whole numbers plain, others to 2 decimals, never "-0". */
export function fmt(v) {
  if (!Number.isFinite(v)) return '–';
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

function caption(table, text) {
  const c = table.createCaption();
  c.textContent = text;
  return c;
}

/** A 3×3 table of number fields for kernel q (1-based); onEdit(index 0…8, value). */
export function kernelTable(q, t, onEdit) {
  const table = document.createElement('table');
  table.className = 'values kernel';
  table.dataset.group = 'kernels';
  caption(table, t(`kernelName${q}`));
  const body = table.createTBody();
  for (let r = 0; r < 3; ++r) {
    const tr = body.insertRow();
    for (let c = 0; c < 3; ++c) {
      const input = document.createElement('input');
      input.type = 'number';
      input.step = '1';
      input.min = '-10';
      input.max = '10';
      input.setAttribute('aria-label', t('weight', { q, r: r + 1, c: c + 1 }));
      input.oninput = () => {
        const v = +input.value;
        if (input.value !== '' && Number.isFinite(v) && Math.abs(v) <= 10) onEdit(r * 3 + c, v);
      };
      tr.insertCell().append(input);
    }
  }
  return table;
}

/** Shows the weights (9 numbers) in a kernel table, leaving alone the field being typed in. */
export function showKernel(table, weights) {
  table.querySelectorAll('input').forEach((input, i) => {
    if (document.activeElement !== input || +input.value !== weights[i]) input.value = String(weights[i]);
  });
}

function output(name) {
  const o = document.createElement('output');
  o.setAttribute('aria-live', 'off');
  o.setAttribute('aria-label', name);
  o.title = name;
  return o;
}

/** Kernel q's 9 products (a 3×3 table of outputs) and their sum. */
export function productsBlock(q, t) {
  const wrap = document.createElement('div');
  wrap.className = 'products-block';
  const table = document.createElement('table');
  table.className = 'values products';
  caption(table, t('productsShort'));
  table.setAttribute('aria-label', t('products', { q }));
  const body = table.createTBody();
  for (let r = 0; r < 3; ++r) {
    const tr = body.insertRow();
    for (let c = 0; c < 3; ++c) tr.insertCell().append(output(t('productCell', { q, r: r + 1, c: c + 1 })));
  }
  const sum = document.createElement('p');
  sum.className = 'sum';
  sum.append(`${t('sumLabel')} = `, output(t('sum', { q })));
  wrap.append(table, sum);
  return wrap;
}

/** Fills a products block: products (9 numbers) and their sum. */
export function showProducts(block, products, sum) {
  const outs = block.querySelectorAll('output');
  products.forEach((v, i) => {
    outs[i].textContent = fmt(v);
    outs[i].classList.toggle('zero', v === 0);
  });
  outs[9].textContent = fmt(sum);
}

/**
 * Feature map q as a table ("feature map q"), rows × cols values row by row; the cell at `current`
 * is marked; onPick(index) when a cell is clicked.
 */
export function mapTable(q, t, { rows, cols, values, current, onPick }) {
  const table = document.createElement('table');
  table.className = 'values feature-map';
  caption(table, t('featureMap', { q }));
  const body = table.createTBody();
  for (let r = 0; r < rows; ++r) {
    const tr = body.insertRow();
    for (let c = 0; c < cols; ++c) {
      const i = r * cols + c;
      const td = tr.insertCell();
      td.textContent = fmt(values[i]);
      td.title = t('mapCell', { q, r: r + 1, c: c + 1 });
      if (values[i] > 0) td.classList.add('pos');
      else if (values[i] < 0) td.classList.add('neg');
      if (i === current) {
        td.classList.add('current');
        td.setAttribute('aria-current', 'true');
      }
      td.onclick = () => onPick(i);
    }
  }
  return table;
}
