#include "dlplay/model.hpp"

#include <algorithm>

namespace dlplay {

std::size_t batch_size_of(const Tensor& x, const Shape& shape, const std::string& what) {
  if (x.dimension() < 1 || x.shape()[0] == 0) throw Error(what + ": expected at least one example");
  const std::size_t n = x.shape()[0];
  if (x.size() != n * shape_size(shape))
    throw Error(what + ": each example must have shape " + shape_string(shape) + " (" +
                std::to_string(shape_size(shape)) + " values), got " + std::to_string(x.size() / n) +
                " values");
  return n;
}

Model::Model(const ModelSpec& spec) : spec_(spec) {
  Rng rng(spec.seed);
  Shape shape = spec.input;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    layers_.push_back(make_layer(spec.layers[i], shape, spec.init, rng, i));
    shape = layers_.back()->output_shape();
    if (shape_size(shape) == 0) throw Error("layers[" + std::to_string(i) + "]: produces an empty output");
  }
  outputs_.resize(layers_.size());
  grads_.resize(layers_.size());
}

const Shape& Model::output_shape() const { return layers_.back()->output_shape(); }

std::size_t Model::param_count() {
  std::size_t n = 0;
  for (auto& l : layers_) n += l->param_count();
  return n;
}

std::vector<float> Model::parameter_vector() {
  std::vector<float> all;
  all.reserve(param_count());
  for (const Param& p : params()) all.insert(all.end(), p.value->begin(), p.value->end());
  return all;
}

void Model::set_parameter_vector(const float* values, std::size_t n) {
  if (n != param_count())
    throw Error("parameters: expected " + std::to_string(param_count()) + " values, got " +
                std::to_string(n));
  for (const Param& p : params()) {
    std::copy_n(values, p.value->size(), p.value->data());
    values += p.value->size();
  }
}

Tensor& Model::input(std::size_t n) {
  ensure_batch(input_, n, spec_.input);  // at every training step: no shape built, no memcmp
  return input_;
}

const Tensor& Model::forward(const Tensor& x, bool training) {
  const std::size_t n = batch_size_of(x, spec_.input, "input");
  std::copy(x.data(), x.data() + x.size(), input(n).data());
  return forward_input(training);
}

const Tensor& Model::forward_input(bool training) {
  const Tensor* in = &input_;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->forward(*in, outputs_[i], training);
    in = &outputs_[i];
  }
  return outputs_.back();
}

const Tensor* Model::output_logits() const { return layers_.back()->logits(); }

void Model::backward(const Tensor& d_output, bool from_logits, Tensor* d_input) {
  Tensor& d = grads_.back();
  ensure_shape(d, outputs_.back().shape());
  if (d_output.size() != d.size()) throw Error("backward: gradient does not match the output's shape");
  std::copy(d_output.data(), d_output.data() + d_output.size(), d.data());
  backward_filled(from_logits, d_input);
}

void Model::backward_filled(bool from_logits, Tensor* d_input) {
  const std::size_t last = layers_.size() - 1;
  if (grads_[last].size() != outputs_[last].size())
    throw Error("backward: gradient does not match the output's shape");
  for (std::size_t i = last + 1; i-- > 0;) {
    const Tensor& in = i ? outputs_[i - 1] : input_;
    layers_[i]->backward(in, outputs_[i], grads_[i], i ? &grads_[i - 1] : d_input, from_logits && i == last);
  }
}

std::vector<Param> Model::params() {
  std::vector<Param> all;
  for (auto& l : layers_)
    for (const Param& p : l->params()) all.push_back(p);
  return all;
}

Json Model::to_json() {
  Json j = {{"format", "dlplay-model"}, {"version", 1}, {"input", spec_.input}};
  if (!spec_.init.empty()) j["init"] = spec_.init;
  j["seed"] = spec_.seed;
  Json layers = Json::array();
  for (auto& l : layers_) layers.push_back(l->to_json());
  j["layers"] = std::move(layers);
  return j;
}

}  // namespace dlplay
