// What the rnn page asks of the engine (all in the worker, docs/worker-protocol.md): a text's
// vocabulary, a split's loss and perplexity, a sample, and for a window of characters the
// next-character probabilities and the recurrent layer's hidden states. Every number comes from
// the engine; these only shape the requests and pick the rows out of the replies.

/** The engine's vocabulary of a text: its distinct characters, sorted by code point. */
export const textVocabulary = (client, text) => client.request({ cmd: 'textVocabulary', text });

/**
 * The engine's metrics over both splits now (nothing trained): {step, epoch, trainLoss, testLoss,
 * trainAccuracy, testAccuracy (per character), trainPerplexity, testPerplexity}.
 */
export const metricsOf = (client, session) => client.request({ cmd: 'metrics', id: session.id });

/** The engine's sample: {text, ids}. temperature 0 is greedy. */
export const sample = (session, { prefix, length, temperature, seed }) =>
  session.evaluate('sample', { prefix, length, temperature, seed });

/** The engine's ids of a text (an Error names the first character not in the vocabulary). */
export const encode = (session, text) => session.evaluate('encode', text);

/**
 * For `ids` (at least T of them) and a position in them: the window of T ids that ends at that
 * position (or the first T), the engine's probabilities [T][V] over it and the hidden states
 * [T][H] of layer `layer`. Returns {start, step, probs, states}.
 */
export async function inspect(session, ids, pos, T, layer) {
  const start = Math.max(0, Math.min(pos - T + 1, ids.length - T));
  const window = ids.slice(start, start + T);
  const [probs, states] = await Promise.all([
    session.evaluate('predict', [window]),
    session.evaluate('activations', layer, [window]),
  ]);
  return { start, step: pos - start, probs: rows(probs, T), states: rows(states, T) };
}

// The first example of a reply as T rows: nested arrays, or a flat typed array of T × n values.
function rows(value, T) {
  let v = value;
  if (Array.isArray(v) && v.length === 1 && (Array.isArray(v[0]) || ArrayBuffer.isView(v[0])) && T !== 1)
    v = v[0];
  if (Array.isArray(v) && v.length === T) return v.map((r) => Array.from(r));
  const flat = ArrayBuffer.isView(v) ? v : Float32Array.from(v.flat(Infinity));
  const n = flat.length / T;
  return Array.from({ length: T }, (_, s) => Array.from(flat.subarray(s * n, (s + 1) * n)));
}
