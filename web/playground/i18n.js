// UI text in English and Simplified Chinese. Elements carry data-i18n="key" (text) or
// data-i18n-attr="attr:key,attr:key"; apply() fills them. Values are plain text, set with textContent.

export const STRINGS = {
  en: {
    title: 'dlplay · neural network playground',
    subtitle: 'Train a neural network in your browser: WebAssembly SIMD in a worker.',
    language: 'Language',
    resetDefaults: 'Reset to defaults',
    toCnn: 'CNN playground',
    play: 'Play',
    pause: 'Pause',
    reset: 'Reset the network',
    step: 'Step one batch',
    epoch: 'Epoch',
    learningRate: 'Learning rate',
    activation: 'Activation',
    regularization: 'Regularization',
    regularizationRate: 'Regularization rate',
    problemType: 'Problem type',
    speed: 'Speed (epochs per frame)',
    speedMax: 'Max',
    optimizer: 'Optimizer',
    classification: 'Classification',
    regression: 'Regression',
    none: 'None',
    l1: 'L1',
    l2: 'L2',
    tanh: 'Tanh',
    relu: 'ReLU',
    leaky_relu: 'Leaky ReLU',
    sigmoid: 'Sigmoid',
    linear: 'Linear',
    sgd: 'SGD',
    adam: 'Adam',
    adagrad: 'Adagrad',
    rmsprop: 'RMSprop',
    data: 'Data',
    dataset: 'Which data set do you want to use?',
    circle: 'Circle',
    xor: 'Exclusive or',
    gaussian: 'Gaussian',
    spiral: 'Spiral',
    plane: 'Plane',
    multi_gaussian: 'Multi-Gaussian',
    custom: 'Your points',
    ratio: 'Ratio of training to test data',
    noise: 'Noise',
    batchSize: 'Batch size',
    regenerate: 'Regenerate',
    importCsv: 'Import CSV (x1, x2, label)',
    addPointsHint:
      'Click the output to add a point, shift-click for the other class, click a point to remove it.',
    clickAdds: 'A click adds',
    classPositive: 'blue (+1)',
    classNegative: 'orange (−1)',
    features: 'Features',
    featuresHint: 'Which properties do you want to feed in?',
    x1: 'X₁',
    x2: 'X₂',
    x1sq: 'X₁²',
    x2sq: 'X₂²',
    x1x2: 'X₁X₂',
    sinx1: 'sin(X₁)',
    sinx2: 'sin(X₂)',
    hiddenLayers: 'hidden layers',
    hiddenLayer: 'hidden layer',
    addLayer: 'Add a hidden layer',
    removeLayer: 'Remove a hidden layer',
    addNeuron: 'Add a neuron to layer {n}',
    removeNeuron: 'Remove a neuron from layer {n}',
    neurons: 'neurons',
    neuron: 'neuron',
    output: 'Output',
    trainingLoss: 'Training loss',
    testLoss: 'Test loss',
    showTestData: 'Show test data',
    discretize: 'Discretize output',
    colorsHint: 'Colours show data, neuron and weight values.',
    weight: 'Weight',
    weightFrom: 'Weight from {from} to {to}',
    bias: 'Bias',
    neuronName: 'layer {l}, neuron {n}',
    outputName: 'the output',
    neuronEdit: '{name}: bias and incoming weights',
    lossChart: 'Loss over epochs: training (grey) and test (black)',
    diverged: 'Training diverged: the loss is no longer a number. Try a smaller learning rate.',
    divergedReset: 'Reset with learning rate {lr}',
    urlProblems: 'Some values in the link were not valid and were replaced by defaults:',
    urlProblemInvalid: '{key} = “{value}”',
    urlProblemUnknown: 'unknown setting “{key}”',
    dismiss: 'Dismiss',
    engineLoading: 'Loading the engine…',
    engineError: 'The engine failed: {message}',
    csvError: 'Could not read the CSV file: {message}',
    csvLoaded: 'Loaded {n} points.',
    pointsLimit: 'At most {n} points.',
    editWeight: 'Edit the weight',
    layersCount: '{n} hidden layers',
    neuronsCount: '{n} neurons',
  },
  zh: {
    title: 'dlplay · 神经网络游乐场',
    subtitle: '在浏览器里训练神经网络：WebAssembly SIMD，运行在 Worker 中。',
    language: '语言',
    resetDefaults: '恢复默认设置',
    toCnn: '卷积网络游乐场',
    play: '播放',
    pause: '暂停',
    reset: '重置网络',
    step: '单步（一个批次）',
    epoch: '轮次',
    learningRate: '学习率',
    activation: '激活函数',
    regularization: '正则化',
    regularizationRate: '正则化率',
    problemType: '问题类型',
    speed: '速度（每帧轮次）',
    speedMax: '最快',
    optimizer: '优化器',
    classification: '分类',
    regression: '回归',
    none: '无',
    l1: 'L1',
    l2: 'L2',
    tanh: 'Tanh',
    relu: 'ReLU',
    leaky_relu: 'Leaky ReLU',
    sigmoid: 'Sigmoid',
    linear: '线性',
    sgd: 'SGD',
    adam: 'Adam',
    adagrad: 'Adagrad',
    rmsprop: 'RMSprop',
    data: '数据',
    dataset: '选择数据集',
    circle: '圆形',
    xor: '异或',
    gaussian: '高斯',
    spiral: '螺旋',
    plane: '平面',
    multi_gaussian: '多高斯',
    custom: '自定义数据点',
    ratio: '训练数据占比',
    noise: '噪声',
    batchSize: '批大小',
    regenerate: '重新生成',
    importCsv: '导入 CSV（x1, x2, 标签）',
    addPointsHint: '点击输出图添加数据点，按住 Shift 点击添加另一类，点击已有的点将其删除。',
    clickAdds: '点击添加',
    classPositive: '蓝色（+1）',
    classNegative: '橙色（−1）',
    features: '特征',
    featuresHint: '选择输入网络的特征',
    x1: 'X₁',
    x2: 'X₂',
    x1sq: 'X₁²',
    x2sq: 'X₂²',
    x1x2: 'X₁X₂',
    sinx1: 'sin(X₁)',
    sinx2: 'sin(X₂)',
    hiddenLayers: '个隐藏层',
    hiddenLayer: '个隐藏层',
    addLayer: '添加隐藏层',
    removeLayer: '删除隐藏层',
    addNeuron: '给第 {n} 层添加神经元',
    removeNeuron: '从第 {n} 层删除神经元',
    neurons: '个神经元',
    neuron: '个神经元',
    output: '输出',
    trainingLoss: '训练损失',
    testLoss: '测试损失',
    showTestData: '显示测试数据',
    discretize: '离散化输出',
    colorsHint: '颜色表示数据、神经元和权重的取值。',
    weight: '权重',
    weightFrom: '从 {from} 到 {to} 的权重',
    bias: '偏置',
    neuronName: '第 {l} 层第 {n} 个神经元',
    outputName: '输出',
    neuronEdit: '{name}：偏置和输入权重',
    lossChart: '损失随轮次变化：训练（灰色）与测试（黑色）',
    diverged: '训练发散：损失已不再是有限的数。请尝试更小的学习率。',
    divergedReset: '以学习率 {lr} 重置',
    urlProblems: '链接中的部分取值无效，已替换为默认值：',
    urlProblemInvalid: '{key} = “{value}”',
    urlProblemUnknown: '未知设置“{key}”',
    dismiss: '关闭',
    engineLoading: '正在加载引擎…',
    engineError: '引擎出错：{message}',
    csvError: '无法读取 CSV 文件：{message}',
    csvLoaded: '已载入 {n} 个数据点。',
    pointsLimit: '最多 {n} 个数据点。',
    editWeight: '编辑权重',
    layersCount: '{n} 个隐藏层',
    neuronsCount: '{n} 个神经元',
  },
};

export function detectLang(navigatorLanguages) {
  for (const l of navigatorLanguages ?? []) {
    const s = String(l).toLowerCase();
    if (s.startsWith('zh')) return 'zh';
    if (s.startsWith('en')) return 'en';
  }
  return 'en';
}

let current = 'en';

export function setLang(lang) {
  current = Object.hasOwn(STRINGS, lang) ? lang : 'en';
  return current;
}

export function getLang() {
  return current;
}

// t('addNeuron', {n: 2}); unknown keys return the key itself (tests make sure none are missing).
export function t(key, vars) {
  let s = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (Object.hasOwn(vars, k) ? String(vars[k]) : m));
  return s;
}

// Fills every [data-i18n] and [data-i18n-attr] element under root.
export function apply(root) {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr, t(key));
    }
  }
}
