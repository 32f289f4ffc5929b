// What the parts of the rnn page share (no logic here):
//   main.js       start, the URL state (kit hash) ⇄ the page, the language, update(), tabs
//   state.js      the hash keys, their checks, the two training specs
//   texts.js      the shipped texts and the own pasted text
//   engine.js     the requests to the engine (vocabulary, evaluation, samples, probabilities, states)
//   charmodel.js  the character model: build, play, curves, samples, the chosen position
//   parity.js     the parity toy: its own session, bits in, hidden states and predictions per step
//   draw.js       the text, the probability bars and the heatmaps
//   sample.js     the character model's samples, its excerpt and the chosen character's view
//   keep.js       nothing lost: both tabs' training kept across a reload (../kit/keep.js)
//   embedding.js  the embed API (the kit's startEmbed), the Share dialog's groups and snapshot
export const app = {
  state: null,
  client: null,
  notes: null,
  hash: null,
  embed: null,
  /** @type {any} */ keepText: null, // ../kit/keep.js's, for the character model
  /** @type {any} */ keepParity: null, // and for the parity toy
  /** @type {(change: object, force?: boolean, userInitiated?: boolean) => any} */
  update: () => {},
};

// Read by the browser tests (window.dlplayRnn).
export const stats = {
  builds: 0,
  evaluations: 0,
  samples: 0,
  sample: '',
  loss: null,
  perplexity: null,
  epoch: 0,
  parity: { builds: 0, accuracy: null, epoch: 0, loss: null },
};
