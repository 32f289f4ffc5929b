// The Share dialog every view has: the link, the <dl-playground> element snippet and the iframe
// snippet for the current state and the controls the teacher chooses to hide (copy buttons), and
// Save image (a PNG of the view's main picture).
//   const share = createShare({ viewId: 'playground', t, groups: ['data', …] (labelled t('group_<name>')), getHash, snapshot });
//   share.open();
// getHash(): the view's own hash string (no '#', no kit keys); snapshot(): an HTMLCanvasElement.

import './kit.css';
import { viewById } from '../views.js';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The site's root (where embed.js, embed.html and every view's page are). */
export function siteBase() {
  // This module sits one folder below the root, in web/kit/ and in the built site's assets/ alike.
  return new URL('../', import.meta.url).href;
}

/** The three ways to share a view's state with some groups hidden. */
export function shareTexts({ viewId, hash, hide = [], lang, page = viewById(viewId)?.page ?? '' }) {
  const base = siteBase();
  const params = new URLSearchParams(hash);
  params.delete('lang');
  const state = params.toString();
  const kit = [hide.length ? `hide=${hide.join(',')}` : ''].filter(Boolean);
  const link = `${base}${page || ''}${hash || hide.length ? '#' : ''}${[hash, ...kit].filter(Boolean).join('&')}`;
  const attrs = [`view="${esc(viewId)}"`];
  if (state) attrs.push(`state="${esc(state)}"`);
  if (hide.length) attrs.push(`hide="${esc(hide.join(','))}"`);
  if (lang) attrs.push(`lang="${esc(lang)}"`);
  const element = `<script type="module" src="${esc(`${base}embed.js`)}"></script>\n<dl-playground ${attrs.join(' ')}></dl-playground>`;
  const frameHash = [`view=${viewId}`, state, lang ? `lang=${lang}` : '', ...kit].filter(Boolean).join('&');
  const iframe = `<iframe src="${esc(`${base}embed.html#${frameHash}`)}" width="700" height="480" style="border:0" loading="lazy" title="dlplay ${esc(viewId)}"></iframe>`;
  return { link, element, iframe };
}

async function copy(text, button, t) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  button.textContent = t('copied');
  setTimeout(() => (button.textContent = t('copy')), 1500);
}

export function createShare({ viewId, t, groups, getHash, getLang, snapshot }) {
  const dialog = document.createElement('dialog');
  dialog.className = 'share';
  dialog.setAttribute('aria-labelledby', `share-title-${viewId}`);
  document.body.appendChild(dialog);
  const hidden = new Set();

  function field(name, label, value, rows) {
    const id = `share-${name}`;
    const wrap = document.createElement('div');
    wrap.className = 'share-field';
    const l = document.createElement('label');
    l.htmlFor = id;
    l.textContent = label;
    const area = document.createElement('textarea');
    area.id = id;
    area.readOnly = true;
    area.rows = rows;
    area.value = value;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'text-button';
    b.textContent = t('copy');
    b.setAttribute('aria-label', `${t('copy')}: ${label}`);
    b.onclick = () => copy(area.value, b, t);
    wrap.append(l, area, b);
    return wrap;
  }

  function render() {
    const texts = shareTexts({ viewId, hash: getHash(), hide: [...hidden], lang: getLang() });
    dialog.replaceChildren();
    const h = document.createElement('h2');
    h.id = `share-title-${viewId}`;
    h.textContent = t('shareTitle');
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.textContent = t('shareHint');
    const box = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = t('shareHide');
    box.appendChild(legend);
    for (const name of groups) {
      const g = { name, label: t(`group_${name}`) }; // in the language of this moment
      const label = document.createElement('label');
      label.className = 'check';
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.name = 'share-hide';
      input.value = g.name;
      input.checked = hidden.has(g.name);
      input.onchange = () => {
        if (input.checked) hidden.add(g.name);
        else hidden.delete(g.name);
        render();
        /** @type {HTMLInputElement | null} */ (dialog.querySelector(`input[value="${g.name}"]`))?.focus();
      };
      label.append(input, ` ${g.label}`);
      box.appendChild(label);
    }
    const save = document.createElement('button');
    save.type = 'button';
    save.id = 'share-save-image';
    save.textContent = t('saveImage');
    save.onclick = () => saveImage(snapshot(), `dlplay-${viewId}.png`);
    const close = document.createElement('button');
    close.type = 'button';
    close.id = 'share-close';
    close.textContent = t('close');
    close.onclick = () => dialog.close();
    const actions = document.createElement('div');
    actions.className = 'share-actions';
    actions.append(save, close);
    dialog.append(
      h,
      hint,
      box,
      field('link', t('shareLink'), texts.link, 2),
      field('element', t('shareElement'), texts.element, 3),
      field('iframe', t('shareIframe'), texts.iframe, 3),
      actions,
    );
  }

  return {
    open() {
      render();
      dialog.showModal();
    },
    close: () => dialog.close(),
    element: dialog,
  };
}

/** Downloads a canvas as a PNG file. */
export function saveImage(canvas, name) {
  canvas.toBlob((blob) => {
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, 'image/png');
}
