// Registers the service worker (dist/sw.js, see ./sw.js) in the built site only: the Vite dev server
// serves no sw.js, and a worker there would only get in the way of hot reloading. (import.meta.hot
// is set on the dev server alone; import.meta.env.PROD would also depend on NODE_ENV at build time.)
export function registerServiceWorker() {
  if (import.meta.hot || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  const url = new URL('./sw.js', document.baseURI);
  const go = () => navigator.serviceWorker.register(url).catch((err) => console.warn('service worker:', err));
  if (document.readyState === 'complete') go();
  else window.addEventListener('load', go, { once: true });
}
