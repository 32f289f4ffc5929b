// The engine's vocabulary (dl.vocabulary(), docs/spec-format.md "Vocabulary"): layer types,
// activations, losses, optimizers, regularizations, input features, data sets and their ranges.
// Pages receive it once from the worker's init reply (EngineClient.ready) and read every list of
// engine names from here: none of them is written in web/.
let current = null;

/** Installs the engine's vocabulary (before any state is parsed). */
export function setVocabulary(vocabulary) {
  current = vocabulary;
}

/** The engine's vocabulary; throws when the engine has not sent it yet. */
export function vocabulary() {
  if (!current) throw new Error('the engine vocabulary is not loaded yet (await the engine first)');
  return current;
}

export const optimizerNames = () => vocabulary().optimizers.map((o) => o.type);
export const featureNames = () => vocabulary().features;
export const regularizationNames = () => vocabulary().regularizations;
export const activationNames = () => vocabulary().activations;
/** Built-in 2-D data sets for a task, 'classification' or 'regression'. */
export const datasetNames = (task) =>
  vocabulary()
    .datasets.filter((d) => d.task === task)
    .map((d) => d.name);
