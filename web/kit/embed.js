// The frame side of embedding (docs/embedding.md): a view page opened as embed.html#view=<id>&…,
// which redirects to <page>?embed=1#…, inside a teacher's course page on any origin.
//   const embed = startEmbed({ id: 'playground', api: { play, pause, step, reset, getState, setState, snapshot } });
//   embed.emit('step', metrics);                     // at most once per animation frame while training
//   embed.emit('change', { state, userInitiated });  // after a state change
//   embed.emit('diverged', { step });
//   embed.ready();                                   // once the view is live
//   embed.onVisibility((visible, keepTraining) => …) // the host scrolled the frame out of (or into) sight
// In embed mode the page gets class "embed" on <html>, answers the postMessage API, posts its events and
// its height to the parent. The kit keys of the hash (hide=, lock=, controls=none) hide or lock the
// elements marked data-group="<name>", now and later added ones; they apply on a plain page too, so a
// shared link with hide= shows the view the same way.

export const METHODS = ['play', 'pause', 'step', 'reset', 'getState', 'setState'];
export const EVENTS = ['step', 'change', 'diverged'];
export const METRICS = ['step', 'epoch', 'trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy'];
const MAX_STEPS = 100_000;
const MAX_STATE = 200_000; // characters (the playground's own points can be long)
const CONTROLS = 'input, select, textarea, button';

// Read when the module is first imported: before a view parses (and rewrites) its hash.
const initial = readKit(globalThis.location);

function groupList(value) {
  return String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[\w-]{1,40}$/.test(s))
    .slice(0, 64);
}

/** The kit's reading of a page address: {embedded, hide: Set, lock: Set, controlsNone}. */
export function readKit(loc) {
  const kit = { embedded: false, hide: new Set(), lock: new Set(), controlsNone: false };
  if (!loc) return kit;
  try {
    kit.embedded = new URLSearchParams(loc.search).get('embed') === '1';
    const params = new URLSearchParams(String(loc.hash ?? '').replace(/^#/, ''));
    kit.hide = new Set(groupList(params.get('hide')));
    kit.lock = new Set(groupList(params.get('lock')));
    kit.controlsNone = params.get('controls') === 'none';
  } catch {
    // an unreadable address: no kit keys
  }
  return kit;
}

/** The metrics a view reports, as numbers or null (nothing else is ever sent). */
export function cleanMetrics(m) {
  const out = {};
  for (const k of METRICS) out[k] = typeof m?.[k] === 'number' ? m[k] : null;
  return out;
}

const cleanHash = (s) => (typeof s === 'string' ? s.replace(/^#/, '').slice(0, MAX_STATE) : '');

// A request's arguments, checked; null for a malformed request (it is ignored).
function checkArgs(method, args) {
  const a = args === undefined ? [] : args;
  if (!Array.isArray(a)) return null;
  if (method === 'step') {
    if (a.length === 0) return [1];
    const n = a[0];
    return a.length === 1 && Number.isInteger(n) && n >= 1 && n <= MAX_STEPS ? [n] : null;
  }
  if (method === 'setState')
    return a.length === 1 && typeof a[0] === 'string' && a[0].length <= MAX_STATE
      ? [a[0].replace(/^#/, '')]
      : null;
  return a.length === 0 ? [] : null;
}

function resultOf(method, r) {
  if (method === 'getState') return { state: cleanHash(r?.state), metrics: cleanMetrics(r?.metrics) };
  if (method === 'step' && r && typeof r === 'object') return cleanMetrics(r);
  return null;
}

// ---------- hide and lock: elements marked data-group ----------
function groupsControl(kit) {
  const hidden = (name) => kit.hide.has(name) || (kit.controlsNone && name !== 'play');
  const lockedAncestor = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement)
      if (a.dataset?.group && kit.lock.has(a.dataset.group)) return true;
    return false;
  };
  const lockControl = (c) => {
    c.setAttribute('data-embed-locked', '');
    if (!c.disabled) c.disabled = true;
    if ((c.tagName === 'INPUT' || c.tagName === 'TEXTAREA') && !c.readOnly) c.readOnly = true;
  };
  const lockAll = (el) => {
    if (el.matches(CONTROLS)) lockControl(el);
    for (const c of el.querySelectorAll(CONTROLS)) lockControl(c);
    // Canvases take no input while locked (drawing, clicking points in).
    for (const c of el.querySelectorAll('canvas')) c.style.setProperty('pointer-events', 'none');
  };
  const applyGroup = (el) => {
    const name = el.dataset.group;
    if (hidden(name)) {
      el.hidden = true;
      el.setAttribute('data-embed-hidden', '');
      // CSSOM, which a strict CSP allows (an inline style attribute it would not).
      el.style.setProperty('display', 'none', 'important');
    }
    if (kit.lock.has(name)) {
      el.setAttribute('data-locked', '');
      lockAll(el);
    }
  };
  const applyWithin = (node) => {
    if (node.nodeType !== 1) return;
    if (node.hasAttribute('data-group')) applyGroup(node);
    for (const el of node.querySelectorAll('[data-group]')) applyGroup(el);
    if (kit.lock.size && lockedAncestor(node)) lockAll(node);
  };
  const active = kit.hide.size > 0 || kit.lock.size > 0 || kit.controlsNone;
  return {
    active,
    isHidden: (name) => hidden(name),
    isLocked: (name) => kit.lock.has(name),
    start() {
      if (!active || typeof document === 'undefined') return;
      applyWithin(document.documentElement);
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'childList') for (const n of r.addedNodes) applyWithin(n);
          else if (r.attributeName === 'data-group') applyWithin(r.target);
          else if (
            r.attributeName === 'disabled' &&
            /** @type {Element} */ (r.target).hasAttribute('data-embed-locked')
          )
            lockControl(r.target); // a view re-enabled a locked control
        }
      }).observe(document.documentElement, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['data-group', 'disabled'],
      });
    },
  };
}

const noop = () => {};

/**
 * @typedef {object} EmbedApi What a view answers; methods may return values or promises.
 * @property {() => any} [play]
 * @property {() => any} [pause]
 * @property {(n?: number) => any} [step]
 * @property {() => any} [reset]
 * @property {() => any} [getState] {state: '<hash without #>', metrics: {step, epoch, trainLoss, …}}
 * @property {(hash: string) => any} [setState]
 * @property {() => HTMLCanvasElement} [snapshot]
 */
/**
 * Starts the frame side for a view. `api` methods may return values or promises; getState() returns
 * {state: '<hash without #>', metrics: {step, epoch, trainLoss, testLoss, trainAccuracy, testAccuracy}}.
 * @param {{id: string, api?: EmbedApi}} options
 */
export function startEmbed({ id, api = {} }) {
  const kit = initial;
  const groups = groupsControl(kit);
  const framed = typeof window !== 'undefined' && window.parent && window.parent !== window;
  const live = kit.embedded && framed; // posts to a parent and answers it
  const listeners = new Set();
  let isReady = false;
  let visible = true;
  let keepTraining = false;
  let queue = []; // requests that came before ready()
  let lastStepAt = -Infinity;
  let pausedByKit = false;

  if (typeof document !== 'undefined') {
    if (kit.embedded) document.documentElement.classList.add('embed');
    groups.start();
  }

  const post = (message) => {
    if (!live) return;
    try {
      window.parent.postMessage(message, '*'); // only what the view shows anyway
    } catch {
      // a parent that went away
    }
  };

  // ---------- requests ----------
  function run({ source, origin, id: requestId, method, args }) {
    const reply = (body) => {
      try {
        source.postMessage({ dlplay: 1, id: requestId, ...body }, origin === 'null' ? '*' : origin);
      } catch {
        // the requester went away
      }
    };
    Promise.resolve()
      .then(() => {
        const fn = api[method];
        if (typeof fn !== 'function') throw new Error(`${method} is not supported by the view ${id}`);
        return fn.apply(api, args);
      })
      .then(
        (r) => reply({ result: resultOf(method, r) }),
        (e) => reply({ error: String(e?.message ?? e).slice(0, 500) }),
      );
  }

  function setVisibility(args) {
    if (!Array.isArray(args) || typeof args[0] !== 'boolean') return;
    const v = args[0];
    const keep = args[1] === true;
    if (v === visible && keep === keepTraining) return;
    visible = v;
    keepTraining = keep;
    for (const fn of listeners) {
      try {
        fn(visible, keepTraining);
      } catch (e) {
        setTimeout(() => {
          throw e;
        });
      }
    }
    // Every view: the kit pauses it while hidden when it was training, and plays it again when it
    // comes back into sight (listeners only see to their drawing).
    if (!visible && !keepTraining && performance.now() - lastStepAt < 1000 && api.pause) {
      pausedByKit = true;
      Promise.resolve()
        .then(() => api.pause())
        .catch(noop);
    } else if (visible && pausedByKit && api.play) {
      pausedByKit = false;
      Promise.resolve()
        .then(() => api.play())
        .catch(noop);
    }
  }

  function onMessage(event) {
    try {
      if (event.source !== window.parent) return;
      const m = event.data;
      if (!m || typeof m !== 'object' || Array.isArray(m) || m.dlplay !== 1) return;
      const method = m.method;
      if (method === 'visibility') return setVisibility(m.args);
      if (typeof method !== 'string' || !METHODS.includes(method)) return;
      const requestId = m.id;
      const okId = (typeof requestId === 'string' && requestId.length <= 200) || Number.isFinite(requestId);
      if (!okId) return;
      const args = checkArgs(method, m.args);
      if (!args) return;
      const request = { source: event.source, origin: event.origin, id: requestId, method, args };
      if (isReady) run(request);
      else if (queue.length < 100) queue.push(request);
    } catch {
      // never thrown: a malformed message is ignored
    }
  }

  // ---------- height ----------
  let lastHeight = -1;
  function postHeight(force = false) {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (!force && height === lastHeight) return;
    lastHeight = height;
    post({ dlplay: 1, event: 'resize', detail: { height } });
    post(JSON.stringify({ subject: 'lti.frameResize', height })); // Canvas LMS
  }

  // ---------- step events: one per animation frame ----------
  // A timer stands in when frames stop (a browser stops them in a frame out of sight, where a view
  // with keep-training still trains).
  let pendingStep = null;
  let stepFrame = 0;
  let stepTimer = 0;
  function flushStep() {
    cancelAnimationFrame(stepFrame);
    clearTimeout(stepTimer);
    const detail = pendingStep;
    pendingStep = null;
    if (detail) post({ dlplay: 1, event: 'step', detail });
  }

  if (live) {
    window.addEventListener('message', onMessage);
    if (typeof ResizeObserver === 'function') {
      const ro = new ResizeObserver(() => postHeight());
      ro.observe(document.documentElement);
      if (document.body) ro.observe(document.body);
    }
    // A link that leaves the view opens beside the course page, not inside the frame.
    document.addEventListener('click', (e) => {
      /** @type {HTMLAnchorElement | null} */
      const a = e.target instanceof Element ? e.target.closest('a[href]') : null;
      if (!a || a.target || a.hasAttribute('download')) return;
      const url = new URL(a.href, location.href);
      if (url.origin === location.origin && url.pathname === location.pathname) return;
      a.target = '_blank';
      a.rel = 'noopener';
    });
  }

  const embed = {
    id,
    get embedded() {
      return kit.embedded;
    },
    get visible() {
      return visible;
    },
    get keepTraining() {
      return keepTraining;
    },
    /** Whether a control group is hidden or locked by the kit keys (for a view's own inputs, e.g. canvases). */
    isHidden: groups.isHidden,
    isLocked: groups.isLocked,
    onVisibility(fn) {
      if (typeof fn === 'function') listeners.add(fn);
      return () => listeners.delete(fn);
    },
    emit(event, detail = {}) {
      if (!live || !EVENTS.includes(event)) return;
      if (event === 'step') {
        lastStepAt = performance.now();
        const first = pendingStep === null;
        pendingStep = cleanMetrics(detail);
        if (first) {
          stepFrame = requestAnimationFrame(flushStep);
          stepTimer = setTimeout(flushStep, 250);
        }
      } else if (event === 'change') {
        post({
          dlplay: 1,
          event,
          detail: { state: cleanHash(detail?.state), userInitiated: detail?.userInitiated === true },
        });
      } else {
        const step = detail?.step;
        post({ dlplay: 1, event, detail: { step: typeof step === 'number' ? step : null } });
      }
    },
    ready() {
      if (isReady) return;
      isReady = true;
      post({ dlplay: 1, event: 'ready', detail: { view: String(id) } });
      if (live) postHeight(true);
      const waiting = queue;
      queue = [];
      for (const r of waiting) run(r);
    },
    /** The view's main picture (an HTMLCanvasElement), or null. */
    snapshot() {
      try {
        return api.snapshot?.() ?? null;
      } catch {
        return null;
      }
    },
  };
  if (kit.embedded && typeof window !== 'undefined') window.dlplayEmbed = embed;
  return embed;
}
