// What the parts of the CNN page share: its state, the engine session and what it built, the
// views, and the one action every part may ask for, update() (main.js sets it). No logic here.
//   main.js        start, the URL state (kit hash) ⇄ the page, the language, update()
//   session.js     the engine: build, frames, progress, evaluation, play/pause/step, divergence
//   input.js       the shown input (a test image or the drawing pad) and its probabilities
//   maps.js        the feature maps of every layer and the learned filters
//   collection.js  the data sets, and the user's own drawings and images
//   save.js        saving and loading a model (JSON, .npy weights)
//   controls.js    the controls' options and wiring (the kit's selects and play button, Share)
//   embedding.js   the embed API for a course page (the kit's startEmbed) and the snapshot
export const app = {
  state: null, // the URL state (state.js)
  menus: null, // what the page takes from the engine's vocabulary (state.js menusOf)
  client: null, // EngineClient (../kit/engine.js)
  session: null, // RemoteSession of the current build
  built: null, // {info, layers, test, train, set}
  netError: null, // the engine's message for a network it refused
  pendingModel: null, // layers (with weights) of a loaded model, for the next build
  playing: false,
  diverged: false,
  source: { kind: 'test' }, // what the maps and probabilities show: a test image or the drawing
  latestDrawn: null, // the last frame drawn with activations
  progress: { step: 0, epoch: 0, examples: 0 }, // the engine's, from its last frame or step
  evaluation: null, // the engine's last evaluation of the splits ({test, train}), or null
  views: { pad: null, evaluation: null, saliency: null }, // DrawingPad, EvaluationView, SaliencyView
  notes: null, // the kit's notes
  cores: null, // the cores menu's count (cores.js; null until first read)
  workers: 1, // workers training the current session (its team's, once up)
  hash: null, // the kit's bindHash
  embed: null, // the kit's startEmbed
  /**
   * A change of the state → rebuild promise or undefined.
   * @type {(change: object, force?: boolean, userInitiated?: boolean) => any}
   */
  update: () => {},
};

// Read by the browser tests (window.dlplayCnn; main.js adds the accessors).
export const stats = {
  frames: 0,
  evaluations: 0,
  evaluating: false,
  speed: 0,
  testAccuracy: null,
  epoch: 0,
  drawMs: [],
};
