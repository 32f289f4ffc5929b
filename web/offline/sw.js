// The service worker of the built site (dist/sw.js, written by ./sw-plugin.mjs, which fills in the
// version and the file list): on install it caches every built file, so after one visit the pages,
// their scripts and styles, the engine worker and the .wasm all load offline.
//   pages (navigations): network first (a new version is seen at once), the cache when offline;
//   everything else: the cache first (file names carry content hashes), then the network.
/** @type {any} the service worker's global scope */
const sw = self;
// Replaced by the build (sw-plugin.mjs matches these two expressions as written).
const VERSION = self.__DLPLAY_VERSION__;
const FILES = self.__DLPLAY_FILES__;
const CACHE = `dlplay-${VERSION}`;
const NETWORK_TIMEOUT_MS = 4000;

sw.addEventListener('install', (/** @type {any} */ event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const scope = sw.registration.scope;
      await cache.addAll(FILES.map((f) => new Request(new URL(f, scope), { cache: 'reload' })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (/** @type {any} */ event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys())
        if (key.startsWith('dlplay-') && key !== CACHE) await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

async function fromNetwork(request) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), NETWORK_TIMEOUT_MS);
  try {
    return await fetch(request, { signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fromNetwork(request);
    if (response.ok) cache.put(request.url.replace(/[?#].*$/, ''), response.clone());
    return response;
  } catch (err) {
    const folder = new URL(request.url).pathname.endsWith('/');
    const hit =
      (await cache.match(request, { ignoreSearch: true })) ??
      (folder ? await cache.match(new URL('index.html', request.url)) : undefined);
    if (hit) return hit;
    throw err;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') cache.put(request, response.clone());
  return response;
}

sw.addEventListener('fetch', (/** @type {any} */ event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(request.mode === 'navigate' ? page(request) : asset(request));
});
