// The image as a grid: the 6×6 pixels as toggle buttons ("pixel R,C", 1-based, row first; pressed
// = 1), the zero padding around them, and the patch under the kernel. One pixel is in the tab order
// at a time; the arrow keys move between pixels (Home/End: the row's ends).
export const SIZE = 6;

/** Cell size in CSS pixels for a padded side of n cells (smaller in an embedded view). */
export const cellPx = (n) =>
  document.documentElement.classList.contains('embed')
    ? Math.min(28, Math.floor(220 / n))
    : Math.min(34, Math.floor(264 / n));

export function createImageGrid(root, { t, onToggle }) {
  let built = null; // "padding|lang" the cells were built for
  let focusIndex = 0;
  const grid = document.createElement('div');
  grid.className = 'pixels';
  const patch = document.createElement('div');
  patch.className = 'patch';
  patch.setAttribute('aria-hidden', 'true');
  root.append(grid);
  const pixels = () => /** @type {HTMLButtonElement[]} */ ([...grid.querySelectorAll('button.px')]);

  grid.addEventListener('keydown', (e) => {
    const i = pixels().indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
    if (i < 0) return;
    const r = Math.floor(i / SIZE);
    const c = i % SIZE;
    const to = {
      ArrowLeft: [r, c - 1],
      ArrowRight: [r, c + 1],
      ArrowUp: [r - 1, c],
      ArrowDown: [r + 1, c],
      Home: [r, 0],
      End: [r, SIZE - 1],
    }[e.key];
    if (!to) return;
    e.preventDefault();
    const [nr, nc] = [Math.max(0, Math.min(SIZE - 1, to[0])), Math.max(0, Math.min(SIZE - 1, to[1]))];
    focusIndex = nr * SIZE + nc;
    pixels().forEach((b, j) => (b.tabIndex = j === focusIndex ? 0 : -1));
    pixels()[focusIndex].focus();
  });

  function build(p, lang) {
    const n = SIZE + 2 * p;
    const cell = cellPx(n);
    grid.replaceChildren();
    grid.style.setProperty('--cell', `${cell}px`);
    grid.style.setProperty('--n', String(n));
    for (let pr = 0; pr < n; ++pr)
      for (let pc = 0; pc < n; ++pc) {
        const r = pr - p;
        const c = pc - p;
        if (r < 0 || c < 0 || r >= SIZE || c >= SIZE) {
          const pad = document.createElement('span');
          pad.className = 'pad';
          pad.textContent = '0';
          pad.title = t('padCell');
          pad.setAttribute('aria-hidden', 'true');
          grid.append(pad);
          continue;
        }
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'px';
        const name = t('pixel', { r: r + 1, c: c + 1 });
        b.setAttribute('aria-label', name);
        b.title = name;
        b.tabIndex = r * SIZE + c === focusIndex ? 0 : -1;
        b.onclick = () => {
          focusIndex = r * SIZE + c;
          onToggle(r, c);
        };
        grid.append(b);
      }
    grid.append(patch);
    built = `${p}|${lang}`;
  }

  return {
    /** img: 36 values 0/1 row by row; the patch's top-left in padded cells: (pr, pc). */
    render({ img, p, pr, pc, lang }) {
      if (built !== `${p}|${lang}`) {
        const had = grid.contains(document.activeElement);
        build(p, lang);
        if (had) pixels()[focusIndex]?.focus();
      }
      pixels().forEach((b, i) => {
        const on = img[i] === 1;
        b.textContent = on ? '1' : '0';
        b.classList.toggle('on', on);
        b.setAttribute('aria-pressed', String(on));
      });
      const cell = cellPx(SIZE + 2 * p);
      patch.style.setProperty('left', `${pc * cell}px`);
      patch.style.setProperty('top', `${pr * cell}px`);
      patch.style.setProperty('width', `${3 * cell}px`);
      patch.style.setProperty('height', `${3 * cell}px`);
    },
  };
}
