// The lessons index: the course, lesson by lesson (../views.js), in Chinese and English, each with
// its page and how to embed it.
import '../kit/kit.css';
import './lesson.css';
import { createI18n, detectLang, LANGS } from '../kit/i18n.js';
import { VIEWS } from '../views.js';

const i18n = createI18n({
  en: {
    title: 'The course, live',
    intro:
      'An introductory deep-learning course as live views: each lesson opens in the browser with nothing to install, and a teacher can embed any of them in a course page (its Share button gives the snippet).',
    lessonNumber: 'Lesson {n}',
    open: 'Open',
    toPlayground: 'Playground',
    language: 'Language',
    embedAs: 'Embed as',
  },
  zh: {
    title: '在线课程',
    intro:
      '一门深度学习入门课程的在线视图：每一课都在浏览器中直接打开，无需安装；教师可以把任何一课嵌入课程页面（“分享”按钮给出代码）。',
    lessonNumber: '第 {n} 课',
    open: '打开',
    toPlayground: '游乐场',
    language: '语言',
    embedAs: '嵌入方式',
  },
});
const { t } = i18n;

function render() {
  const lang = i18n.getLang();
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${t('title')} · dlplay`;
  const page = document.createElement('div');
  page.className = 'lesson';
  const header = document.createElement('header');
  header.className = 'site';
  const nav = document.createElement('nav');
  const home = document.createElement('a');
  home.href = '../index.html';
  home.textContent = t('toPlayground');
  nav.append(home);
  const tools = document.createElement('div');
  tools.className = 'site-tools';
  const label = document.createElement('label');
  label.htmlFor = 'lang';
  label.textContent = t('language');
  const select = document.createElement('select');
  select.id = 'lang';
  for (const [value, name] of [
    ['en', 'English'],
    ['zh', '中文'],
  ])
    select.append(new Option(name, value, false, value === lang));
  select.onchange = () => {
    history.replaceState(null, '', `#lang=${select.value}`);
    i18n.setLang(select.value);
    render();
  };
  tools.append(label, select);
  header.append(nav, tools);
  const main = document.createElement('main');
  const h1 = document.createElement('h1');
  h1.textContent = t('title');
  const intro = document.createElement('p');
  intro.className = 'intro';
  intro.textContent = t('intro');
  const list = document.createElement('ol');
  list.className = 'lessons';
  for (const v of VIEWS.filter((x) => x.lesson).sort((a, b) => a.lesson - b.lesson)) {
    const li = document.createElement('li');
    li.value = v.lesson;
    const a = document.createElement('a');
    a.href = `../${v.page}${lang === 'zh' ? '#lang=zh' : ''}`;
    a.textContent = `${t('lessonNumber', { n: v.lesson })} · ${v.title[lang]}`;
    const other = document.createElement('span');
    other.className = 'other-lang';
    other.lang = lang === 'zh' ? 'en' : 'zh-CN';
    other.textContent = ` — ${v.title[lang === 'zh' ? 'en' : 'zh']}`;
    const code = document.createElement('code');
    code.textContent = `<dl-playground view="${v.id}"></dl-playground>`;
    const embed = document.createElement('div');
    embed.className = 'embed-as';
    embed.append(`${t('embedAs')}: `, code);
    li.append(a, other, embed);
    list.append(li);
  }
  main.append(h1, intro, list);
  page.append(header, main);
  document.body.replaceChildren(page);
}

const fromHash = new URLSearchParams(location.hash.slice(1)).get('lang');
i18n.setLang(LANGS.includes(fromHash) ? fromHash : detectLang(navigator.languages ?? [navigator.language]));
render();
