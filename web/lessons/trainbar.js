// The play bar of the lessons that train (3a approximation, 3b depth, 4 training): Play/Pause, Step
// and Reset as labelled buttons in data-group="play" (the group the kit keeps with controls=none).
//   const bar = trainBar(t, { play, pause, step, reset }, { steps: 50 });
//   parent.append(bar.el); bar.setPlaying(true);
// Its strings (TRAINBAR_STRINGS) are merged into each lesson's own.
export const TRAINBAR_STRINGS = {
  en: {
    group_play: 'Play, pause, step, reset',
    stepButton: 'Step ×{n}',
    stepLabel: 'Train {n} steps',
    resetButton: 'Reset',
    resetLabel: 'Reset the weights to their start',
  },
  zh: {
    group_play: '播放、暂停、单步、重置',
    stepButton: '单步 ×{n}',
    stepLabel: '训练 {n} 步',
    resetButton: '重置',
    resetLabel: '把权重重置为初始值',
  },
};

export function trainBar(t, actions, { steps = 10 } = {}) {
  const el = document.createElement('div');
  el.className = 'trainbar';
  el.dataset.group = 'play';
  const make = (cls) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = cls;
    el.append(b);
    return b;
  };
  const playButton = make('play');
  const stepButton = make('step');
  const resetButton = make('reset');
  let playing = false;
  const label = () => {
    playButton.textContent = t(playing ? 'pause' : 'play');
    playButton.classList.toggle('playing', playing);
    stepButton.textContent = t('stepButton', { n: steps });
    stepButton.setAttribute('aria-label', t('stepLabel', { n: steps }));
    resetButton.textContent = t('resetButton');
    resetButton.setAttribute('aria-label', t('resetLabel'));
  };
  playButton.onclick = () => (playing ? actions.pause() : actions.play());
  stepButton.onclick = () => actions.step(steps);
  resetButton.onclick = () => actions.reset();
  label();
  return {
    el,
    setPlaying(on) {
      playing = on;
      label();
    },
    /** After a language change. */
    relabel: label,
  };
}
