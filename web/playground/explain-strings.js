// The playground's explanations, shown by ./explain.js on hover, focus and tap: what a feature,
// a neuron, a weight, the output and the map's colours mean, in English and Simplified Chinese.
// Every function returns plain text (the tooltip sets it with textContent) and takes lang 'en' or
// 'zh' (anything else reads as English). Numbers are given as they are now, so a tooltip that
// calls these again while training runs shows them changing.

const pick = (lang) => (lang === 'zh' ? 'zh' : 'en');
const langOf = (arg) => (typeof arg === 'string' ? arg : arg?.lang);

/** A number as the page shows it: three decimals, a real minus sign. */
export function formatNumber(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'NaN';
  const s = Math.abs(v).toFixed(3);
  return v < 0 && Number(s) !== 0 ? `\u2212${s}` : s;
}

// The texts the legend (dataplot.js renderLegend) asks the page's translator for, besides
// className ('Class {k}' / '类别 {k}'). For web/playground/i18n.js.
export const LEGEND_STRINGS = {
  en: {
    legendConfidence: 'Lighter: less sure',
    legendValue: 'Predicted value',
  },
  zh: {
    legendConfidence: '颜色越浅，越不确定',
    legendValue: '预测值',
  },
};

const COLOURS = {
  en: 'Orange: negative, blue: positive, white: near 0.',
  zh: '橙色为负，蓝色为正，接近 0 为白色。',
};

const FEATURES = {
  en: {
    x1: 'X₁: the point’s horizontal position, from −6 at the left to 6 at the right.',
    x2: 'X₂: the point’s vertical position, from −6 at the bottom to 6 at the top.',
    x1sq: 'X₁²: the horizontal position squared. It is 0 on the vertical centre line and grows towards the left and right edges; it is never negative, so its picture has no orange.',
    x2sq: 'X₂²: the vertical position squared. It is 0 on the horizontal centre line and grows towards the top and bottom; it is never negative, so its picture has no orange.',
    x1x2: 'X₁·X₂: the two positions multiplied. Positive (blue) in the top-right and bottom-left quarters, negative (orange) in the other two. Handy for the exclusive-or data.',
    sinx1:
      'sin(X₁): a wave along the horizontal position, so the picture has upright stripes, blue and orange in turn (each about 3.14 wide).',
    sinx2:
      'sin(X₂): a wave along the vertical position, so the picture has flat stripes, blue and orange in turn (each about 3.14 high).',
  },
  zh: {
    x1: 'X₁：点的横坐标，从左边的 −6 到右边的 6。',
    x2: 'X₂：点的纵坐标，从底部的 −6 到顶部的 6。',
    x1sq: 'X₁²：横坐标的平方。在竖直中线上为 0，越靠近左右两边越大；它不会是负数，所以图中没有橙色。',
    x2sq: 'X₂²：纵坐标的平方。在水平中线上为 0，越靠近上下两边越大；它不会是负数，所以图中没有橙色。',
    x1x2: 'X₁·X₂：两个坐标相乘。在右上和左下两个象限为正（蓝色），另外两个象限为负（橙色）。适合“异或”数据。',
    sinx1: 'sin(X₁)：沿横坐标起伏的波，所以图中是竖直的条纹，蓝橙交替（每条宽约 3.14）。',
    sinx2: 'sin(X₂)：沿纵坐标起伏的波，所以图中是水平的条纹，蓝橙交替（每条高约 3.14）。',
  },
};

/**
 * An input feature (x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2): what it is, what its picture's
 * colours mean, what its checkbox does.
 * @param {string} name
 * @param {string} [lang]
 */
export function featureHelp(name, lang) {
  const l = pick(lang);
  const what = FEATURES[l][name] ?? (l === 'zh' ? `输入特征 ${name}。` : `The input feature ${name}.`);
  return l === 'zh'
    ? `${what}缩略图显示它在平面上每一处的值：${COLOURS.zh}勾选后它才会输入网络。`
    : `${what} The picture shows its value at every spot of the plane. ${COLOURS.en} Tick it to feed it to the network.`;
}

// What each activation does to the neuron's sum z, and what that means for its picture.
const ACTIVATIONS = {
  en: {
    tanh: 'tanh squeezes z into −1…1',
    relu: 'ReLU keeps z when it is positive and gives 0 otherwise, so the picture is never orange',
    leaky_relu: 'Leaky ReLU keeps z when it is positive and shrinks it to a small fraction otherwise',
    sigmoid: 'sigmoid squeezes z into 0…1, so the picture is never orange',
    linear: 'linear leaves z as it is',
    softmax: 'softmax turns the outputs’ sums into probabilities that add up to 1',
  },
  zh: {
    tanh: 'tanh 把 z 压缩到 −1 到 1 之间',
    relu: 'ReLU 在 z 为正时保留 z，否则输出 0，所以图中不会出现橙色',
    leaky_relu: 'Leaky ReLU 在 z 为正时保留 z，否则把它缩小为很小的一部分',
    sigmoid: 'sigmoid 把 z 压缩到 0 到 1 之间，所以图中不会出现橙色',
    linear: '线性函数让 z 保持不变',
    softmax: 'softmax 把各输出的和变成加起来为 1 的概率',
  },
};
const ACT_NAMES = {
  tanh: 'tanh',
  relu: 'ReLU',
  leaky_relu: 'LeakyReLU',
  sigmoid: 'sigmoid',
  linear: 'linear',
};

/**
 * A hidden neuron: what it computes, act(Σ w·x + b), and what its picture shows.
 * @param {{layer: number, index: number, activation: string, bias?: number, lang?: string}} o
 *   layer and index count from 0 (hidden layer 0 is the first); bias: its current value
 */
export function neuronHelp({ layer, index, activation, bias, lang }) {
  const l = pick(lang);
  const act = ACT_NAMES[activation] ?? activation ?? 'act';
  const does = ACTIVATIONS[l][activation];
  const b = bias === undefined ? '' : formatNumber(bias);
  if (l === 'zh')
    return (
      `第 ${layer + 1} 层第 ${index + 1} 个神经元计算 ${act}(Σ w·x + b)：把每个输入 x 乘以它的权重 w（连进来的线），` +
      `加起来再加上偏置 b${b ? `（现在是 ${b}）` : ''}，得到 z；${does ? `${does}。` : `再经过激活函数。`}` +
      `它的图是它在平面上每一处的输出：${COLOURS.zh}点击可查看或修改它的权重。`
    );
  return (
    `Layer ${layer + 1}, neuron ${index + 1} computes ${act}(Σ w·x + b): it multiplies each input x by its weight w (the lines coming in), ` +
    `adds them up with its bias b${b ? ` (now ${b})` : ''} to get z; ${does ? `${does}.` : 'then applies its activation.'} ` +
    `Its picture is its output at every spot of the plane. ${COLOURS.en} Click it to see or change its weights.`
  );
}

/**
 * A neuron's bias (the small square at its corner).
 * @param {{bias: number, lang?: string}} o
 */
export function biasHelp({ bias, lang }) {
  return pick(lang) === 'zh'
    ? `偏置 b = ${formatNumber(bias)}：在经过激活函数之前加到神经元的和上，让它的输出整体偏向正或负。方块的颜色就是它的符号：橙色为负，蓝色为正。`
    : `Bias b = ${formatNumber(bias)}: added to the neuron’s sum before its activation, it shifts the output up or down everywhere. The square’s colour is its sign: orange negative, blue positive.`;
}

/**
 * The output: one neuron (two classes, regression) or one per class. index: that output neuron
 * (for K ≥ 3, the one of class index); without it, the output layer as a whole.
 * @param {{classes: number, index?: number, lang?: string}} o classes: K, 0 for regression
 */
export function outputHelp({ classes, index, lang }) {
  const l = pick(lang);
  const zh = l === 'zh';
  if (!(classes >= 2))
    return zh
      ? '输出神经元的值就是网络的预测：橙色 −1，白色 0，蓝色 +1。右边的大图显示它在平面上每一处的预测，训练会让它接近每个点的真实值。'
      : 'The output neuron’s value is the network’s prediction: orange −1, white 0, blue +1. The big map shows it at every spot of the plane; training pulls it towards each point’s true value.';
  if (classes === 2)
    return zh
      ? '输出神经元表示网络有多确定一个位置属于哪一类：偏橙色是类别 0，偏蓝色是类别 1，白色表示分不清。右边的大图是同一个输出，画在数据点后面。'
      : 'The output neuron says how sure the network is about each spot: towards orange for class 0, towards blue for class 1, white where it cannot tell. The big map is the same output, drawn behind the data.';
  if (index !== undefined && index >= 0)
    return zh
      ? `类别 ${index} 的输出：一个点属于类别 ${index} 的概率（softmax 之后）。白色为 0，类别 ${index} 的颜色为 1。所有 ${classes} 个输出在每一处加起来都是 1。`
      : `The output of class ${index}: the probability, after softmax, that a point belongs to class ${index}. White is 0, class ${index}’s colour is 1. At every spot the ${classes} outputs add up to 1.`;
  return zh
    ? `每个类别一个输出神经元，共 ${classes} 个；softmax 把它们变成加起来为 1 的概率。每个输出的图显示它那一类的概率（白色 0，该类颜色 1）。大图在每一处涂上最可能的类别的颜色。`
    : `One output neuron per class, ${classes} in all; softmax turns them into probabilities that add up to 1. Each output’s picture shows its class’s probability (white 0, the class colour 1). The big map paints each spot with its most likely class.`;
}

/**
 * A weight (a link): its colour is its sign, its thickness its size; its current value.
 * @param {{from: string, to: string, weight: number, lang?: string}} o from, to: the nodes' names
 */
export function linkHelp({ from, to, weight, lang }) {
  return pick(lang) === 'zh'
    ? `从 ${from} 到 ${to} 的权重：${formatNumber(weight)}。${to} 把来自 ${from} 的值乘以它。线的颜色是符号（橙色为负，蓝色为正），越粗表示绝对值越大。点击可以修改它。`
    : `Weight from ${from} to ${to}: ${formatNumber(weight)}. ${to} multiplies what comes from ${from} by it. The line’s colour is its sign (orange negative, blue positive); the thicker, the larger its size. Click it to change it.`;
}

/**
 * The map and its legend: what the colours and their lightness mean, what the points' outlines mean.
 * @param {{classes: number, lang?: string}} o classes: K, 0 for regression
 */
export function legendHelp({ classes, lang }) {
  const zh = pick(lang) === 'zh';
  const points = zh
    ? '圆点是数据：白色描边是训练数据，黑色描边是测试数据（勾选“显示测试数据”才会出现）。'
    : 'The dots are the data: a white outline marks a training point, a black one a test point (shown with “Show test data”).';
  if (!(classes >= 2))
    return zh
      ? `大图显示网络在每一处的预测：橙色 −1，白色 0，蓝色 +1。圆点按真实值着色。${points}`
      : `The map shows the network’s prediction at every spot: orange −1, white 0, blue +1. The dots are coloured by their true value. ${points}`;
  return zh
    ? `每种颜色代表一个类别。大图把每一处涂成网络认为最可能的类别的颜色；颜色越浅，网络越不确定（白色：各类别可能性相同）。“离散化输出”只显示最可能的类别。${points}`
    : `Each colour is a class. The map paints every spot with the class the network finds most likely there; the lighter, the less sure it is (white: every class equally likely). “Discretize output” shows only the most likely class. ${points}`;
}

/**
 * The training or test loss, in one line.
 * @param {{split?: 'train' | 'test', lang?: string} | string} [o] or just the language
 */
export function lossHelp(o) {
  const zh = pick(langOf(o)) === 'zh';
  const split = typeof o === 'object' ? o?.split : undefined;
  if (split === 'test')
    return zh
      ? '测试损失：在训练时从未见过的测试数据上的平均误差，越低越好；它说明网络在新数据上表现如何。'
      : 'Test loss: the average error on the test points, which training never sees; lower is better. It tells how well the network does on new data.';
  if (split === 'train')
    return zh
      ? '训练损失：网络在训练数据上的平均误差，越低越好；训练就是让它变小。'
      : 'Training loss: how wrong the network is on the training points, on average; lower is better. Training is what makes it smaller.';
  return zh
    ? '损失：网络的平均误差，越低越好。'
    : 'Loss: how wrong the network is, on average; lower is better.';
}

/**
 * The training or test accuracy, in one line.
 * @param {{split?: 'train' | 'test', lang?: string} | string} [o] or just the language
 */
export function accuracyHelp(o) {
  const zh = pick(langOf(o)) === 'zh';
  const split = typeof o === 'object' ? o?.split : undefined;
  if (zh) {
    const which = split === 'test' ? '测试' : split === 'train' ? '训练' : '';
    return `${which}准确率：${which}数据中被网络判对（最可能的类别就是真实类别）的点所占的比例。`;
  }
  if (split === 'test')
    return 'Test accuracy: the share of test points whose most likely class is their true class.';
  if (split === 'train')
    return 'Training accuracy: the share of training points whose most likely class is their true class.';
  return 'Accuracy: the share of points whose most likely class is their true class.';
}
