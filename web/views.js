// Every view of the site, defined once: its id (embed.html#view=<id>, <dl-playground view="…">), its
// page (relative to the site's root), its title, and for lessons their number in the course
// (docs/lessons.md). The embed redirect, the Vite build's inputs, the Share dialog and the lessons
// index all read this table.
export const VIEWS = [
  {
    id: 'playground',
    page: 'index.html',
    title: { en: 'Neural network playground', zh: '神经网络游乐场' },
  },
  { id: 'cnn', page: 'cnn.html', title: { en: 'A CNN learns to see', zh: '卷积神经网络' }, lesson: 7 },
  {
    id: 'rnn',
    page: 'rnn.html',
    title: { en: 'Recurrent networks learn sequences', zh: '循环神经网络' },
    lesson: 8,
  },
  { id: 'neuron', page: 'lessons/neuron.html', title: { en: 'The neuron', zh: '神经元' }, lesson: 1 },
  {
    id: 'network',
    page: 'lessons/network.html',
    title: { en: 'A network is a function', zh: '神经网络是一个函数' },
    lesson: 2,
  },
  {
    id: 'approximation',
    page: 'lessons/approximation.html',
    title: { en: 'One hidden layer approximates any curve', zh: '万能近似：一个隐藏层' },
    lesson: 3,
  },
  {
    id: 'depth',
    page: 'lessons/depth.html',
    title: { en: 'Deeper, not fatter', zh: '为什么是深度网络' },
    lesson: 3,
  },
  { id: 'training', page: 'lessons/training.html', title: { en: 'Training', zh: '网络训练' }, lesson: 4 },
  {
    id: 'convolution',
    page: 'lessons/convolution.html',
    title: { en: 'Convolution', zh: '卷积' },
    lesson: 5,
  },
  {
    id: 'parameters',
    page: 'lessons/parameters.html',
    title: { en: 'Convolution vs fully connected', zh: '卷积网络与全连接网络' },
    lesson: 6,
  },
  {
    id: 'gan',
    page: 'gan.html',
    title: { en: 'A GAN learns a distribution', zh: '生成对抗网络' },
    lesson: 8,
  },
];

/** The view with this id, or undefined. */
export const viewById = (id) => VIEWS.find((v) => v.id === id);
