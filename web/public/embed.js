// dlplay's element for course pages (docs/embedding.md). A plain ES module with no imports, copied as
// it is to dist/embed.js; it finds embed.html beside itself, on the playground's origin.
//   <script type="module" src="https://your.host/dlplay/embed.js"></script>
//   <dl-playground view="playground" state="dataset=xor&network=4,2" hide="optimizer" lang="zh"></dl-playground>
// Attributes: view, state, hide, lock, controls, lang, height (px; otherwise the content's height),
// keep-training. Methods (Promises, queued until the frame is ready): play(), pause(), step(n),
// reset(), getState() → {state, metrics}, setState(hash). Events: dl-ready, dl-step, dl-change,
// dl-diverged (and dl-error when the frame cannot show the view), detail as the frame sent it.
// The frame is created only when the element nears the viewport; out of sight, the view is told to
// stop drawing (and training, unless keep-training is set).

const EMBED_URL = new URL('./embed.html', import.meta.url);
const ORIGIN = EMBED_URL.origin;
const EVENTS = { ready: 'dl-ready', step: 'dl-step', change: 'dl-change', diverged: 'dl-diverged' };
const FRAME_KEYS = ['lang', 'hide', 'lock', 'controls']; // attributes that go into the frame's hash
const RELOAD = new Set(['view', ...FRAME_KEYS]);
const DEFAULT_HEIGHT = 480; // px, until the frame reports its own
const MAX_HEIGHT = 20000;
const NEAR = '400px 0px'; // how close to the viewport the frame is created

const enc = (s) => encodeURIComponent(s).replace(/%2C/gi, ',');
const keyOf = (part) => {
  try {
    return decodeURIComponent(part.split('=')[0].replace(/\+/g, ' '));
  } catch {
    return '';
  }
};
const pixels = (v) => {
  const n = Number.parseFloat(v);
  return Number.isFinite(n) && n > 0 ? Math.min(Math.round(n), MAX_HEIGHT) : null;
};

let sheet = null;
function hostSheet() {
  if (sheet || typeof CSSStyleSheet !== 'function') return sheet;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(
      ':host { display: block; position: relative; } :host([hidden]) { display: none; }' +
        ' iframe { display: block; width: 100%; border: 0; }',
    );
  } catch {
    sheet = null;
  }
  return sheet;
}

class DlPlayground extends HTMLElement {
  static observedAttributes = [
    'view',
    'state',
    'hide',
    'lock',
    'controls',
    'lang',
    'height',
    'keep-training',
  ];

  #root;
  #box; // holds the place, then the frame
  #frame = null;
  #ready = false;
  #queue = []; // calls waiting for the frame
  #pending = new Map(); // id → {resolve, reject}, sent and not yet answered
  #nextId = 1;
  #visible = true;
  #near = null;
  #sight = null;
  #onMessage = (e) => this.#message(e);

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    const s = hostSheet();
    if (s) this.#root.adoptedStyleSheets = [s];
    this.#box = document.createElement('div');
    this.#box.style.height = `${this.#fixedHeight() ?? DEFAULT_HEIGHT}px`;
    this.#root.append(this.#box);
  }

  connectedCallback() {
    window.addEventListener('message', this.#onMessage);
    if (typeof IntersectionObserver !== 'function') {
      this.#ensureFrame();
      return;
    }
    this.#near = new IntersectionObserver(
      (entries) => entries.some((e) => e.isIntersecting) && this.#ensureFrame(),
      { rootMargin: NEAR },
    );
    this.#sight = new IntersectionObserver((entries) => {
      const visible = entries[entries.length - 1].isIntersecting;
      if (visible === this.#visible) return;
      this.#visible = visible;
      this.#sendVisibility();
    });
    this.#near.observe(this);
    this.#sight.observe(this);
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.#onMessage);
    this.#near?.disconnect();
    this.#sight?.disconnect();
    this.#near = this.#sight = null;
    this.#visible = true;
    this.#removeFrame('the element was removed from the page');
  }

  attributeChangedCallback(name, before, after) {
    if (before === after) return;
    if (name === 'height') return this.#applyHeight();
    if (!this.#frame) return; // the frame, when made, reads every attribute
    if (name === 'keep-training') return this.#sendVisibility();
    if (name === 'state' && this.#ready) {
      this.setState(after ?? '').catch(() => {});
      return;
    }
    if (RELOAD.has(name) || name === 'state') this.#reload();
  }

  // ---------- the API ----------
  play() {
    return this.#call('play', []);
  }
  pause() {
    return this.#call('pause', []);
  }
  step(n = 1) {
    if (!Number.isInteger(n) || n < 1 || n > 100000)
      return Promise.reject(new RangeError('step(n): n is a whole number from 1 to 100000'));
    return this.#call('step', [n]);
  }
  reset() {
    return this.#call('reset', []);
  }
  /** @returns {Promise<{state: string, metrics: object}>} */
  getState() {
    return this.#call('getState', []);
  }
  setState(hash) {
    return this.#call('setState', [String(hash ?? '').replace(/^#/, '')]);
  }
  /** The iframe (null until the element has neared the viewport). */
  get frame() {
    return this.#frame;
  }
  /** The address the frame opens, from the attributes. */
  get src() {
    const parts = [`view=${enc(this.getAttribute('view')?.trim() || 'playground')}`];
    const set = FRAME_KEYS.filter((k) => this.getAttribute(k)?.trim());
    const state = (this.getAttribute('state') ?? '').trim().replace(/^#/, '');
    // The attributes win over the same keys in state.
    for (const p of state.split('&')) if (p && keyOf(p) !== 'view' && !set.includes(keyOf(p))) parts.push(p);
    for (const k of set) parts.push(`${k}=${enc(this.getAttribute(k).trim())}`);
    return `${EMBED_URL.href}#${parts.join('&')}`;
  }

  // ---------- the frame ----------
  #fixedHeight() {
    return this.hasAttribute('height') ? pixels(this.getAttribute('height')) : null;
  }

  #applyHeight(reported) {
    const h = this.#fixedHeight() ?? reported ?? (this.#frame ? null : DEFAULT_HEIGHT);
    if (h === null) return;
    this.#box.style.height = this.#frame ? '' : `${h}px`;
    if (this.#frame) this.#frame.style.height = `${h}px`;
  }

  #ensureFrame() {
    if (this.#frame || !this.isConnected) return;
    this.#near?.disconnect();
    const frame = document.createElement('iframe');
    frame.title = this.getAttribute('title') || `dlplay · ${this.getAttribute('view') || 'playground'}`;
    frame.style.height = `${this.#fixedHeight() ?? DEFAULT_HEIGHT}px`;
    frame.src = this.src;
    this.#frame = frame;
    this.#box.style.height = '';
    this.#box.replaceChildren(frame);
  }

  #removeFrame(reason) {
    const error = new Error(reason);
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
    this.#ready = false;
    if (!this.#frame) return;
    this.#frame.remove();
    this.#frame = null;
    this.#box.style.height = `${this.#fixedHeight() ?? DEFAULT_HEIGHT}px`;
  }

  #reload() {
    this.#removeFrame('the frame was reloaded');
    this.#ensureFrame();
  }

  #call(method, args) {
    return new Promise((resolve, reject) => {
      this.#queue.push({ method, args, resolve, reject });
      this.#ensureFrame(); // a call loads the frame now, wherever the element is
      this.#flush();
    });
  }

  #flush() {
    const target = this.#frame?.contentWindow;
    if (!this.#ready || !target) return;
    for (const { method, args, resolve, reject } of this.#queue.splice(0)) {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject });
      try {
        target.postMessage({ dlplay: 1, id, method, args }, ORIGIN);
      } catch (e) {
        this.#pending.delete(id);
        reject(e);
      }
    }
  }

  #sendVisibility() {
    const target = this.#frame?.contentWindow;
    if (!this.#ready || !target) return;
    const args = [this.#visible, this.hasAttribute('keep-training')];
    target.postMessage({ dlplay: 1, method: 'visibility', args }, ORIGIN);
  }

  #message(event) {
    if (!this.#frame || event.source !== this.#frame.contentWindow || event.origin !== ORIGIN) return;
    const m = event.data;
    if (!m || typeof m !== 'object' || m.dlplay !== 1) return; // e.g. the lti.frameResize string
    if (m.id !== undefined && m.event === undefined) {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (typeof m.error === 'string') p.reject(new Error(m.error));
      else p.resolve(m.result);
      return;
    }
    if (m.event === 'resize') {
      const h = pixels(m.detail?.height);
      if (h !== null) this.#applyHeight(h);
      return;
    }
    if (m.event === 'ready') {
      // A new document in the frame: whatever the old one had not answered is lost.
      for (const p of this.#pending.values()) p.reject(new Error('the frame was reloaded'));
      this.#pending.clear();
      this.#ready = true;
      if (!this.#visible) this.#sendVisibility();
      this.#flush();
    }
    if (m.event === 'error') {
      const error = new Error(String(m.detail?.message ?? 'the frame cannot show this view'));
      for (const { reject } of this.#queue.splice(0)) reject(error);
      this.dispatchEvent(new CustomEvent('dl-error', { detail: m.detail, bubbles: true, composed: true }));
      return;
    }
    const name = Object.hasOwn(EVENTS, m.event) ? EVENTS[m.event] : null;
    if (name) this.dispatchEvent(new CustomEvent(name, { detail: m.detail, bubbles: true, composed: true }));
  }
}

if (typeof customElements === 'object' && !customElements.get('dl-playground'))
  customElements.define('dl-playground', DlPlayground);
