// The engine's results as JavaScript objects, and JavaScript's flat typed arrays as the engine's
// shapes: conversion only (bindings.cpp).
#pragma once

#include <emscripten/val.h>

#include <algorithm>
#include <string>

#include "convert.hpp"
#include "dlplay/dlplay.hpp"

namespace dlplay::js {

// A parameter's name in JavaScript: recurrent_weights → recurrentWeights.
inline std::string js_name(const std::string& name) {
  std::string s;
  for (std::size_t i = 0; i < name.size(); ++i)
    s += name[i] == '_' && i + 1 < name.size() ? static_cast<char>(name[++i] - 'a' + 'A') : name[i];
  return s;
}

// train()'s result: the last batch's loss and the metrics (docs/js-api.md "Training").
inline val metrics_to_js(double loss, const Metrics& m) {
  val r = val::object();
  r.set("loss", val(loss));
  r.set("step", val(static_cast<double>(m.step)));
  r.set("epoch", val(m.epoch));
  r.set("examples", val(static_cast<double>(m.examples)));
  if (m.evaluated) {
    r.set("trainLoss", val(m.train_loss));
    r.set("testLoss", m.has_test ? val(m.test_loss) : val::null());
    r.set("trainAccuracy", m.train_accuracy >= 0 ? val(m.train_accuracy) : val::null());
    r.set("testAccuracy", m.test_accuracy >= 0 ? val(m.test_accuracy) : val::null());
    if (m.sequence) {
      r.set("trainPerplexity", val(m.train_perplexity));
      r.set("testPerplexity", m.has_test ? val(m.test_perplexity) : val::null());
    }
  }
  r.set("gradientRms", val(m.gradient_rms));
  r.set("diverged", val(m.diverged));
  return r;
}

// classify(): predictions, outputs, class probabilities.
inline val classification_to_js(const Evaluation& e) {
  val r = val::object();
  r.set("count", val(static_cast<double>(e.count)));
  r.set("classes", val(static_cast<double>(e.classes)));
  r.set("predicted", e.classes ? int32_copy(e.predicted) : val::null());
  r.set("outputs", float32_copy(e.outputs.data(), e.outputs.size()));
  r.set("probabilities",
        e.classes ? float32_copy(e.probabilities.data(), e.probabilities.size()) : val::null());
  return r;
}

// evaluate(): classify()'s fields, and the loss, accuracy, indices, labels and confusion matrix.
inline val evaluation_to_js(const Evaluation& e) {
  const bool classify = e.classes > 0;
  val r = classification_to_js(e);
  r.set("loss", val(e.loss));
  r.set("accuracy", e.accuracy >= 0 ? val(e.accuracy) : val::null());
  r.set("indices", uint32_copy(e.indices));
  r.set("labels", classify ? int32_copy(e.labels) : val::null());
  r.set("confusion", classify && e.count ? uint32_copy(e.confusion) : val::null());
  return r;
}

// The flat typed arrays as the session's shapes: x as examples of the model's input, y as one
// class index per example or rows of `targets`.
inline void shape_examples(const Json& spec, dlplay::Dataset& d, unsigned targets) {
  dlplay::Shape example;
  if (spec.is_object() && spec.contains("input")) example = dlplay::parse_model_input(spec["input"]);
  const std::size_t size = dlplay::shape_size(example);
  const std::size_t x_length = d.x.size(), y_length = d.y.size();
  if (x_length == 0 || x_length % size != 0)
    throw Error("data.x: " + std::to_string(x_length) + " values are not whole examples of shape " +
                dlplay::shape_string(example) + " (" + std::to_string(size) + " values each)");
  const std::size_t n = x_length / size;
  const std::size_t per = targets ? targets : y_length / std::max<std::size_t>(n, 1);
  if (y_length == 0 || y_length != n * per)
    throw Error("data.y: expected " +
                (targets ? std::to_string(targets) + " target values" : std::string("one label")) +
                " per example (" + std::to_string(n) + "), got " + std::to_string(y_length) + " values");
  d.x.reshape(dlplay::batch_shape(n, example));
  if (targets || per > 1) d.y.reshape({n, per});
}

}  // namespace dlplay::js
