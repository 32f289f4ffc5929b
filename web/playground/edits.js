// What the network diagram lets a user change: features, layers, neurons, each layer's activation
// and dropout, and any weight or bias typed in. ctx: {state(), update(change), relayout(),
// params(): the drawn frame's per-layer parameters or null, dense(): the spec index of each dense
// layer, setWeight(layer, index, value, bias)}.
import { features as featureList, MAX_LAYERS, MAX_NEURONS } from './state.js';
import { editedWeights } from './spec.js';

export function networkHandlers(ctx) {
  const { update } = ctx;
  const resize = (l, d) => ctx.state().network.map((u, i) => (i === l ? u + d : u));
  // New layers take the last one's activation, and no dropout.
  const layers = (network) => {
    const { activation, dropout } = ctx.state();
    return {
      network,
      activation: network.map((_, i) => activation[Math.min(i, activation.length - 1)] ?? 'tanh'),
      dropout: network.map((_, i) => dropout[i] ?? 0),
    };
  };
  const per = (key, l, v) => ({ [key]: ctx.state()[key].map((x, i) => (i === l ? v : x)) });
  return {
    toggleFeature(f, on) {
      const current = ctx.state().features;
      const features = on ? [...current, f] : current.filter((x) => x !== f);
      if (!features.length) return ctx.relayout();
      update({ features: featureList().filter((x) => features.includes(x)) });
    },
    addLayer: () => ctx.state().network.length < MAX_LAYERS && update(layers([...ctx.state().network, 2])),
    removeLayer: () => ctx.state().network.length > 0 && update(layers(ctx.state().network.slice(0, -1))),
    addNeuron: (l) => ctx.state().network[l] < MAX_NEURONS && update({ network: resize(l, 1) }),
    removeNeuron: (l) => ctx.state().network[l] > 1 && update({ network: resize(l, -1) }),
    setActivation: (l, a) => update(per('activation', l, a)),
    setDropout: (l, r) => update(per('dropout', l, r)),
    // A weight or bias typed in: the engine's at once, the URL's as the whole network.
    editWeight({ layer, index, bias, value }) {
      const params = ctx.params();
      if (!params) return;
      const i = ctx.dense()[layer];
      ctx.setWeight(i, index, value, bias);
      const edited = params.map((p) => p && { ...p, weights: p.weights.slice(), bias: p.bias.slice() });
      edited[i][bias ? 'bias' : 'weights'][index] = value;
      update({ weights: editedWeights(ctx.state(), edited) });
    },
  };
}
