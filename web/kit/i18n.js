// UI text in English and Simplified Chinese, for every view. A view's table maps keys to plain
// text, or to plural forms {one, other} chosen by Intl.PluralRules for `count`:
//   hiddenLayers: { one: '{count} hidden layer', other: '{count} hidden layers' }
//   t('hiddenLayers', { count: 1 }) → "1 hidden layer"
// Elements carry data-i18n="key" (text) or data-i18n-attr="attr:key,attr:key"; apply() fills them.
// Values are set with textContent, never as markup.
import { KIT_STRINGS } from './strings.js';

export const LANGS = ['en', 'zh'];

/** 'zh' or 'en' from a list of browser languages (navigator.languages). */
export function detectLang(navigatorLanguages) {
  for (const l of navigatorLanguages ?? []) {
    const s = String(l).toLowerCase();
    if (s.startsWith('zh')) return 'zh';
    if (s.startsWith('en')) return 'en';
  }
  return 'en';
}

/**
 * The translator for a view: its strings merged over the kit's (Share dialog, notes, play bar).
 * @param {{en: Record<string, any>, zh: Record<string, any>}} strings
 */
export function createI18n(strings) {
  const tables = {
    en: { ...KIT_STRINGS.en, ...strings.en },
    zh: { ...KIT_STRINGS.zh, ...strings.zh },
  };
  let current = 'en';
  const plurals = new Map();
  const rules = (lang) => {
    if (!plurals.has(lang)) plurals.set(lang, new Intl.PluralRules(lang === 'zh' ? 'zh-CN' : 'en'));
    return plurals.get(lang);
  };
  const i18n = {
    strings: tables,
    setLang(lang) {
      current = LANGS.includes(lang) ? lang : 'en';
      return current;
    },
    getLang: () => current,
    /** t('key', {name: 'x', count: 2}); an unknown key gives the key itself (tests find none). */
    t(key, vars) {
      let s = tables[current][key] ?? tables.en[key] ?? key;
      if (s && typeof s === 'object') {
        const form = rules(current).select(Number(vars?.count ?? 0));
        s = s[form] ?? s.other;
      }
      s = String(s);
      if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (Object.hasOwn(vars, k) ? String(vars[k]) : m));
      return s;
    },
    /**
     * Fills every [data-i18n] and [data-i18n-attr] element under root.
     * @param {ParentNode} [root]
     */
    apply(root = document) {
      document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
      for (const el of root.querySelectorAll('[data-i18n]'))
        el.textContent = i18n.t(/** @type {HTMLElement} */ (el).dataset.i18n);
      for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-i18n-attr]'))) {
        for (const pair of el.dataset.i18nAttr.split(',')) {
          const [attr, key] = pair.split(':');
          el.setAttribute(attr, i18n.t(key));
        }
      }
    },
  };
  return i18n;
}
