// Explanations on hover, focus and tap: one small tooltip (role="tooltip") shared by every element
// attached to it. It shows on mouseenter, focus or a touch (pointerdown from a finger or pen),
// hides on mouseleave, blur, Escape or a tap elsewhere, and while it shows, it asks its element's
// text function again every 250 ms, so figures that change while training change in it too. The
// text is plain text (textContent, never markup). It stays inside the viewport (position: fixed),
// beside the pointer for a mouse or a finger, below (or above) the element for the keyboard.
//
//   const explainer = createExplainer(document.body, 'en');
//   explainer.attach(el, () => featureHelp('x1', lang));   // returns a function that detaches
//   explainer.setLang('zh'); explainer.hide();

const REFRESH_MS = 250;
const MARGIN = 8; // px from the viewport's edges and from the element or the pointer
const TOUCH_GRACE_MS = 800; // mouse events a browser makes up after a touch are not a hover
let serial = 0;

const focusVisible = (element) => {
  try {
    return element.matches(':focus-visible');
  } catch {
    return true; // a browser without :focus-visible
  }
};

/**
 * @param {HTMLElement} root where the tooltip element goes (document.body; not inside a
 *   transformed element, which would move position: fixed)
 * @param {string} [lang] passed to every text function as its argument
 */
export function createExplainer(root, lang = 'en') {
  const doc = root.ownerDocument;
  const win = doc.defaultView;
  const tip = doc.createElement('div');
  tip.className = 'explain-tip';
  tip.id = `explain-tip-${++serial}`;
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  root.appendChild(tip);

  let current = null; // {element, textFn, via: 'mouse' | 'focus' | 'touch', dx, dy}
  let timer = 0;
  let lastTouch = -Infinity;

  const describedBy = (element, on) => {
    const ids = (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter((id) => id && id !== tip.id);
    if (on) ids.push(tip.id);
    if (ids.length) element.setAttribute('aria-describedby', ids.join(' '));
    else element.removeAttribute('aria-describedby');
  };

  const textOf = (textFn) => {
    try {
      const s = textFn(lang);
      return s === null || s === undefined ? '' : String(s);
    } catch {
      return '';
    }
  };

  // Beside the pointer (at dx, dy from the element's corner, so it follows when the page scrolls)
  // or below the element, above it when there is no room below; always inside the viewport.
  function place() {
    const { element, via, dx, dy } = current;
    const r = element.getBoundingClientRect();
    const vw = doc.documentElement.clientWidth || win.innerWidth;
    const vh = doc.documentElement.clientHeight || win.innerHeight;
    tip.style.maxWidth = `${Math.max(120, Math.min(300, vw - 2 * MARGIN))}px`;
    tip.style.left = '0px';
    tip.style.top = '0px';
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    let ax, top, bottom; // the anchor: its x, and the span [top, bottom] the tooltip must not cover
    if (via === 'focus') {
      ax = r.left + r.width / 2;
      top = r.top;
      bottom = r.bottom;
    } else {
      ax = r.left + dx;
      top = r.top + dy - (via === 'touch' ? 24 : 4); // a finger hides more than a cursor
      bottom = r.top + dy + (via === 'touch' ? 24 : 18);
    }
    let y = bottom + MARGIN;
    if (y + h > vh - MARGIN && top - MARGIN - h >= MARGIN) y = top - MARGIN - h;
    y = Math.max(MARGIN, Math.min(y, vh - MARGIN - h));
    const x = Math.max(MARGIN, Math.min(ax - w / 2, vw - MARGIN - w));
    tip.style.left = `${Math.round(x)}px`;
    tip.style.top = `${Math.round(y)}px`;
  }

  function refresh() {
    if (!current) return;
    if (!current.element.isConnected) return hide(); // its element was replaced (a new layout)
    const text = textOf(current.textFn);
    if (!text) return hide();
    if (tip.textContent !== text) tip.textContent = text;
    place();
  }

  function show(element, textFn, via, ev) {
    const previous = current?.element;
    if (previous && previous !== element) describedBy(previous, false);
    const r = element.getBoundingClientRect();
    const dx = ev && 'clientX' in ev ? ev.clientX - r.left : r.width / 2;
    const dy = ev && 'clientY' in ev ? ev.clientY - r.top : r.height / 2;
    current = { element, textFn, via, dx, dy };
    const text = textOf(textFn);
    if (!text) return hide();
    tip.textContent = text;
    tip.hidden = false;
    tip.classList.toggle('touch', via === 'touch');
    describedBy(element, true);
    place();
    if (!timer) timer = win.setInterval(refresh, REFRESH_MS);
  }

  function hide() {
    if (timer) win.clearInterval(timer);
    timer = 0;
    if (current) describedBy(current.element, false);
    current = null;
    tip.hidden = true;
  }

  // A tap anywhere but on the element shown (or the tooltip) hides it; Escape hides it.
  doc.addEventListener(
    'pointerdown',
    (ev) => {
      if (ev.pointerType !== 'mouse') lastTouch = Date.now();
      if (current && !current.element.contains(/** @type {Node} */ (ev.target)) && ev.target !== tip) hide();
    },
    true,
  );
  doc.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && current) hide();
  });

  /**
   * Explains element with the text textFn(lang) returns (plain text; empty: nothing shown).
   * @param {Element} element
   * @param {(lang: string) => string} textFn
   * @returns {() => void} detaches it
   */
  function attach(element, textFn) {
    const touching = () => Date.now() - lastTouch < TOUCH_GRACE_MS;
    const mine = () => current?.element === element;
    const on = {
      mouseenter: (ev) => !touching() && !mine() && show(element, textFn, 'mouse', ev),
      mouseleave: () => !touching() && mine() && current.via === 'mouse' && hide(),
      // From the keyboard only: a click or a tap that focuses the element has shown it already.
      focus: () => !mine() && focusVisible(element) && show(element, textFn, 'focus'),
      blur: () => current?.element === element && current.via === 'focus' && hide(),
      pointerdown: (ev) => {
        if (ev.pointerType === 'mouse') return;
        lastTouch = Date.now();
        show(element, textFn, 'touch', ev);
      },
    };
    for (const [type, fn] of Object.entries(on)) element.addEventListener(type, fn);
    return () => {
      for (const [type, fn] of Object.entries(on)) element.removeEventListener(type, fn);
      if (current?.element === element) hide();
    };
  }

  return {
    attach,
    /** @param {string} l */
    setLang(l) {
      lang = l;
      refresh();
    },
    hide,
    /** The tooltip element (for tests). */
    element: tip,
  };
}
