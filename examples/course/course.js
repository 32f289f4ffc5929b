// The example course page's script: loads dlplay's element from the playground's site, drives the
// first view with the buttons and logs every view's events. The site is ?dlplay=<url> (e.g.
// ?dlplay=http://127.0.0.1:8765/), by default the built site beside this repository's examples
// (../../dist/). A course page of your own needs only the two lines of docs/embedding.md.
const param = new URLSearchParams(location.search).get('dlplay');
let site = new URL('../../dist/', location.href);
try {
  const given = param ? new URL(param, location.href) : null;
  if (given && /^https?:$/.test(given.protocol)) site = given;
} catch {
  // a malformed ?dlplay= keeps the default
}
if (!site.pathname.endsWith('/')) site.pathname += '/';
const script = document.createElement('script');
script.type = 'module';
script.src = new URL('embed.js', site).href;
document.head.append(script);

const $ = (id) => document.getElementById(id);
const log = (text) => {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  $('log').append(li);
  while ($('log').children.length > 200) $('log').firstElementChild.remove();
  $('log').scrollTop = $('log').scrollHeight;
};
const num = (v, d = 4) => (typeof v === 'number' ? v.toFixed(d) : '–');
const fail = (e) => log(`error: ${e.message}`);

await customElements.whenDefined('dl-playground');
const xor = $('xor');
$('play').onclick = () => xor.play().catch(fail);
$('pause').onclick = () => xor.pause().catch(fail);
$('get-state').onclick = async () => {
  try {
    $('state').textContent = JSON.stringify(await xor.getState(), null, 2);
  } catch (e) {
    fail(e);
  }
};

for (const el of document.querySelectorAll('dl-playground')) {
  let lastLogged = 0;
  el.addEventListener('dl-ready', (e) => log(`${el.id} · ready (${e.detail?.view})`));
  el.addEventListener('dl-change', (e) => log(`${el.id} · change: ${e.detail.state || '(defaults)'}`));
  el.addEventListener('dl-diverged', (e) => log(`${el.id} · diverged at step ${e.detail.step}`));
  el.addEventListener('dl-error', (e) => log(`${el.id} · error: ${e.detail?.message}`));
  el.addEventListener('dl-step', (e) => {
    const m = e.detail;
    if (el === xor) $('last-step').textContent = `epoch ${m.epoch} · test loss ${num(m.testLoss)}`;
    // One line a second in the log, not one a frame.
    if (performance.now() - lastLogged < 1000) return;
    lastLogged = performance.now();
    log(`${el.id} · step ${m.step}, epoch ${m.epoch}, train loss ${num(m.trainLoss)}`);
  });
}
