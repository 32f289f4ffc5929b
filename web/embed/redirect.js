// embed.html#view=<id>&<the view's hash keys>: the stable address a course page embeds. It sends the
// frame on to the view's page in embed mode, <page>?embed=1#<the rest of the hash>, keeping every key
// but view (the view's own keys, lang, and the kit's hide=, lock=, controls=). The views are those of
// ../views.js. An unknown view gets a short message in English and Chinese, never an error.
import { VIEWS as ALL } from '../views.js';

export const VIEWS = Object.fromEntries(ALL.map((v) => [v.id, `./${v.page}`]));

const keyOf = (part) => {
  try {
    return decodeURIComponent(part.split('=')[0].replace(/\+/g, ' '));
  } catch {
    return '';
  }
};

/** {page, rest} for a hash, or {unknown: '<the view asked for>'} when no page has that id. */
export function route(hash) {
  const parts = String(hash ?? '')
    .replace(/^#/, '')
    .split('&')
    .filter(Boolean);
  const view = new URLSearchParams(parts.find((p) => keyOf(p) === 'view') ?? '').get('view') ?? '';
  if (!Object.hasOwn(VIEWS, view)) return { unknown: view };
  return { page: VIEWS[view], rest: parts.filter((p) => keyOf(p) !== 'view').join('&') };
}

function showUnknown(view) {
  const known = Object.keys(VIEWS).join(', ');
  const name = view.length > 60 ? `${view.slice(0, 60)}…` : view;
  const box = document.getElementById('message');
  const en = document.createElement('p');
  en.lang = 'en';
  en.textContent = name
    ? `dlplay has no view “${name}”. Known views: ${known}.`
    : `No view given: add #view=<id> to the address. Known views: ${known}.`;
  const zh = document.createElement('p');
  zh.lang = 'zh-CN';
  zh.textContent = name
    ? `dlplay 没有名为“${name}”的视图。可用的视图：${known}。`
    : `没有指定视图：请在地址后加上 #view=<id>。可用的视图：${known}。`;
  box.replaceChildren(en, zh);
  // The host page learns of it (its queued calls fail) and sizes the frame to the message.
  if (window.parent !== window) {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    const message = `${en.textContent} ${zh.textContent}`;
    window.parent.postMessage({ dlplay: 1, event: 'error', detail: { message } }, '*');
    window.parent.postMessage({ dlplay: 1, event: 'resize', detail: { height } }, '*');
  }
}

if (typeof location === 'object' && typeof document === 'object') {
  const r = route(location.hash);
  if (r.page) location.replace(`${r.page}?embed=1${r.rest ? `#${r.rest}` : ''}`);
  else showUnknown(r.unknown);
}
