// A sequential model: forward keeps every layer's output, backward every parameter's gradient.
#pragma once

#include <memory>
#include <vector>

#include "dlplay/layers.hpp"
#include "dlplay/spec.hpp"

namespace dlplay {

class Model {
 public:
  explicit Model(const ModelSpec& spec);  // throws Error naming the bad field

  const ModelSpec& spec() const { return spec_; }
  const Shape& input_shape() const { return spec_.input; }
  const Shape& output_shape() const;
  std::size_t size() const { return layers_.size(); }
  Layer& layer(std::size_t i) { return *layers_.at(i); }
  const Layer& layer(std::size_t i) const { return *layers_.at(i); }
  std::size_t param_count();

  // x: [N, ...input]. Returns the last layer's output; activation(i) is layer i's.
  const Tensor& forward(const Tensor& x, bool training = false);
  // The model's own input batch, sized for n examples: a caller that fills it (the trainer) then
  // calls forward_input() and no batch is copied twice.
  Tensor& input(std::size_t n);
  const Tensor& last_input() const { return input_; }  // the input of the last forward
  const Tensor& forward_input(bool training);
  const Tensor& output() const { return outputs_.back(); }
  const Tensor& activation(std::size_t i) const { return outputs_.at(i); }
  // Pre-softmax values of the output when the network ends in a softmax, else null.
  const Tensor* output_logits() const;
  // From dL/d(output) of the last forward, fills every parameter gradient, and dL/d(input) into
  // `d_input` when given. With `from_logits`, d is dL/d(logits) and the final softmax is skipped.
  void backward(const Tensor& d_output, bool from_logits = false, Tensor* d_input = nullptr);
  // The buffer backward() copies d_output into: a caller that writes dL/d(output) (the loss
  // gradient, shaped like output()) straight into it calls backward_filled(), and nothing is copied.
  Tensor& output_gradient() { return grads_.back(); }
  void backward_filled(bool from_logits = false, Tensor* d_input = nullptr);

  std::vector<Param> params();
  // Every parameter's values end to end, in params() order (a replica's weights: docs/parallel.md),
  // and back from param_count() values (else an Error naming both counts).
  std::vector<float> parameter_vector();
  void set_parameter_vector(const float* values, std::size_t n);
  Json to_json();  // dlplay-model JSON with every weight

 private:
  ModelSpec spec_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<Tensor> outputs_, grads_;
  Tensor input_;
};

// Checks that x holds whole examples of `shape` and returns the batch size; the error names `what`.
std::size_t batch_size_of(const Tensor& x, const Shape& shape, const std::string& what);

}  // namespace dlplay
