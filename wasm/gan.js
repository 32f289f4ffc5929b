// dlplay's 2-D GAN in JavaScript (docs/gan.md, docs/js-api.md "GAN"): reached by engine.gan(spec).
//
//   const gan = dl.gan({ real: 'ring', noise_dims: 1, k: 1 });
//   const trace = gan.step(10);   // one record per step: {dLoss, gLoss, logDReal, logOneMinusFake, value}
//   gan.generated();              // Float32Array, x0 y0 x1 y1 … of G(z) for the fixed z shown
//   gan.dispose();
//
// Marshalling only: every number comes from the engine (engine/include/dlplay/gan.hpp).

import { check, Handle } from './values.js';

// Five numbers per step, end to end (gan_bindings.cpp) → records.
function records(flat) {
  const out = [];
  for (let i = 0; i + 4 < flat.length; i += 5) {
    out.push({
      dLoss: flat[i],
      gLoss: flat[i + 1],
      logDReal: flat[i + 2],
      logOneMinusFake: flat[i + 3],
      value: flat[i + 4],
    });
  }
  return out;
}

export class Gan {
  #handle;

  constructor(module, spec) {
    let text = spec ?? {};
    if (typeof text !== 'string') {
      if (text === null || typeof text !== 'object' || Array.isArray(text))
        throw new TypeError('gan: expected a GAN spec (an object or a JSON string)');
      text = JSON.stringify(text);
    }
    this.#handle = new Handle(this, new module.Gan(), 'gan', (h) => check(h.load(text)));
  }

  #h() {
    return this.#handle.get();
  }

  /** The spec as the engine read it: settings, steps, diverged, both networks (model JSON). */
  info() {
    return JSON.parse(check(this.#h().info()));
  }

  /** Changes k, batch, generator_optimizer or discriminator_optimizer while training (all or nothing). */
  configure(settings) {
    check(this.#h().configure(typeof settings === 'string' ? settings : JSON.stringify(settings)));
  }

  /** Up to n training steps (fewer once diverged); the losses of each step's batches. */
  step(n = 1) {
    return records(check(this.#h().step(n)));
  }

  /** The losses and the two terms of V(D, G) on the whole real set and the points shown. */
  metrics() {
    return records(check(this.#h().metrics()))[0];
  }

  /** Training steps taken. */
  get steps() {
    return check(this.#h().progress())[0];
  }

  /** A loss or a weight became NaN or infinite: training stopped. */
  get diverged() {
    return check(this.#h().progress())[1] === 1;
  }

  /**
   * Everything training continues from (both networks, both optimizers, the random generator, the
   * steps, the settings), as plain data; restore() takes it into a GAN of the same spec.
   */
  checkpoint() {
    return JSON.parse(check(this.#h().checkpoint()));
  }

  /** A checkpoint of a GAN of the same spec (else an Error naming the field); all or nothing. */
  restore(checkpoint) {
    check(this.#h().restore(typeof checkpoint === 'string' ? checkpoint : JSON.stringify(checkpoint)));
  }

  /** The real samples: Float32Array x0 y0 x1 y1 … */
  real() {
    return check(this.#h().real());
  }

  /** The fixed noise of the points shown: Float32Array, noise_dims values per point. */
  noise() {
    return check(this.#h().noise());
  }

  /** G(z) of noise(): Float32Array x0 y0 x1 y1 … */
  generated() {
    return check(this.#h().generated());
  }

  /** Where G's loss pushes each generated point (−∂(−log D)/∂G(z)): Float32Array dx0 dy0 … */
  gradients() {
    return check(this.#h().gradients());
  }

  /** D over a res × res grid of [−1, 1]², row 0 at the top (y = 1): Float32Array of res·res. */
  discriminator(res) {
    return check(this.#h().grid(res));
  }

  get disposed() {
    return this.#handle.disposed;
  }

  /** Frees the engine's memory for this GAN. Calling it again does nothing. */
  dispose() {
    this.#handle.dispose();
  }
}
