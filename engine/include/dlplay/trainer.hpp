// Training: shuffled mini-batches over the train split, metrics and evaluations over both splits.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "dlplay/data.hpp"
#include "dlplay/model.hpp"
#include "dlplay/optim.hpp"
#include "dlplay/spec.hpp"

namespace dlplay {

struct Metrics {
  std::size_t step = 0;
  double epoch = 0;          // examples seen / train size
  std::size_t examples = 0;  // examples seen
  bool evaluated = false;    // false: only step, epoch, examples and diverged are set
  bool has_test = false;     // false when the spec asked for no test split: test_* are not measured
  double train_loss = 0, test_loss = 0;
  double train_accuracy = -1, test_accuracy = -1;  // -1 when not a classification problem (or no test split)
  bool diverged = false;                           // a loss or a weight is NaN/Inf
  // The root mean square of every parameter's gradient (weights and biases, all layers) from the
  // last training step: the data loss's, as the layers hold it. Near 0 for many steps: the network
  // is saturated (or the loss is at a minimum). 0 before any step.
  double gradient_rms = 0;
  bool sequence = false;  // one class per step: accuracy is per step, and perplexity is reported
  // Sequences: e^loss per step (character), the perplexity of each split; −1 otherwise.
  double train_perplexity = -1, test_perplexity = -1;
  Json to_json() const;
};

enum class SplitKind { train, test };

// A split's examples through the model: everything a page draws about them.
struct Evaluation {
  std::size_t count = 0;                 // examples evaluated (the split's first `count`)
  std::size_t classes = 0;               // K; 0 for regression
  double loss = 0;                       // the session's loss, mean over the examples
  double accuracy = -1;                  // −1 when not classifying or `count` is 0
  std::vector<std::uint32_t> indices;    // each example's index in the data set
  std::vector<std::int32_t> labels;      // its true class (classification)
  std::vector<std::int32_t> predicted;   // its predicted class (classification)
  Tensor outputs;                        // [count, outputs]: the model's outputs
  Tensor probabilities;                  // [count, K]: each class's probability (classification)
  std::vector<std::uint32_t> confusion;  // K×K, row = true class, column = predicted class
};

// Predicted classes (and, with `full`, outputs and class probabilities) of the model's outputs
// `out` into rows at.. of `e`, whose vectors and tensors are sized already (evaluation.cpp).
// `softmaxed`: the outputs are a softmax's; `loss` tells how one output is read.
// With `steps` > 1 (a sequence, one class per step) each example has that many rows of outputs,
// and the vectors and tensors of `e` have a row per step.
void describe_outputs(const Tensor& out, std::size_t classes, LossKind loss, bool softmaxed, std::size_t at,
                      Evaluation& e, bool full, std::size_t steps = 1);

// Labels (the label rule's y, see data.hpp) in the form the loss wants for a model with `outputs`
// outputs: class indices for cross-entropy over several outputs; for one output 0/1
// (cross-entropy) or −1/+1 (mse, as in TensorFlow Playground); one-hot rows for mse over several
// outputs; target rows as given.
Tensor loss_targets(const Tensor& y, std::size_t classes, std::size_t outputs, LossKind loss);
// The class count for a model with `outputs` outputs (its outputs when several, else 2); throws
// Error naming `field` when the labels do not fit the model.
std::size_t model_classes(std::size_t label_classes, std::size_t outputs, const std::string& field);

class Trainer {
 public:
  // Trains `model` in place on `data` (the model's inputs, labels by the label rule) with the
  // spec's loss, hyper-parameters, split and seed. `data` is shared, never copied.
  Trainer(Model& model, std::shared_ptr<const Dataset> data, const TrainSpec& spec);
  Trainer(Model& model, Dataset data, const TrainSpec& spec)
      : Trainer(model, std::make_shared<const Dataset>(std::move(data)), spec) {}

  double step();                    // one mini-batch update; returns the batch loss
  double train(std::size_t steps);  // returns the last batch loss
  Metrics evaluate();               // loss and accuracy over the train and test splits
  Metrics progress() const;         // step, epoch, examples, diverged, gradient_rms: no pass over the data
  double evaluate_loss();           // the loss over the train split alone, as evaluate() computes it
  Metrics record();                 // evaluate() and append to history()
  // The first `limit` examples (0: all) of a split, with every output, prediction and the
  // confusion matrix; loss and accuracy are computed exactly as evaluate() computes them.
  Evaluation inspect(SplitKind split, std::size_t limit = 0);
  const std::vector<Metrics>& history() const { return history_; }
  std::size_t steps_done() const { return step_; }
  bool diverged() const { return diverged_; }
  void set(const Hyperparameters& hyper);  // while training (same data and split)
  const TrainSpec& spec() const { return spec_; }
  std::size_t classes() const { return classes_; }
  // Steps of a sequence with one class per step (labels [N, T], outputs [T, K]); 1 otherwise.
  std::size_t steps() const { return steps_; }

  const Dataset& data() const { return *data_; }
  const std::vector<std::size_t>& train_indices() const { return split_.train; }
  const std::vector<std::size_t>& test_indices() const { return split_.test; }

  // What training continues from besides the model's parameters and the optimizer, for
  // checkpoints (checkpoint.hpp). The split is not in it: it follows from the data and the seed.
  struct State {
    std::size_t step = 0, examples = 0;
    std::vector<std::size_t> order;  // the epoch's shuffled train_indices()
    std::size_t cursor = 0;          // the next batch's first position in `order`
    Rng::State rng;                  // the shuffles'
    bool diverged = false;
  };
  State state() const;
  // Takes `s` as the trainer's own; throws Error (fields named "<field>.order", …) unless `order`
  // is a permutation of train_indices(), cursor ≤ its size and examples ≥ step.
  void restore(State s, const std::string& field);
  // Data-parallel training (trainer_shards.cpp, docs/parallel.md). With hyper.shards = S > 1 a step
  // cuts its batch into S parts, computes each part's gradient of the batch's mean loss on its own,
  // and sums them in part order before the update: step() is plan(), shard_gradient() of every
  // part, apply(). Any trainer of the same spec and data whose model has the step's weights (a
  // replica in another worker) computes a part's gradient to the same bits, so the result depends
  // on S alone, never on how many workers shared the parts.
  struct Plan {
    std::vector<std::size_t> batch;  // the step's examples, in order
    std::size_t shards = 1;
    std::vector<Rng::State> rngs;  // each random layer's generator (dropout) at the step's start
    std::size_t begin(std::size_t part) const { return part * batch.size() / shards; }  // part ≤ shards
    std::size_t size(std::size_t part) const { return begin(part + 1) - begin(part); }
  };
  Plan plan();  // the next step's batch: takes it from the epoch's order as step() does
  std::size_t gradient_size() const { return gradient_size_; }  // every parameter, in params() order
  // Part `part` of the plan: its share of the gradient of the batch's mean loss, flat, into `grad`
  // (gradient_size() values); returns the sum of its examples' losses (0 for an empty part).
  double shard_gradient(const Plan& plan, std::size_t part, float* grad);
  // The update of a planned step from every part's gradient (`grads`: plan.shards rows of
  // gradient_size()) and loss sum, summed in part order; returns the batch loss.
  double apply(const Plan& plan, const float* grads, const double* losses);
  Optimizer& optimizer() { return optimizer_; }
  const Optimizer& optimizer() const { return optimizer_; }

 private:
  void gather(const std::size_t* idx, std::size_t n, Tensor& x, Tensor& t) const;
  // Loss (mean) and correct count over idx[0..n), chunk by chunk; fills `detail` when given.
  double pass(const std::size_t* idx, std::size_t n, std::size_t& correct, Evaluation* detail);
  bool classifying() const { return classes_ > 0; }
  double gradient_rms() const;  // over params_, from their last backward; 0 before any step
  const std::size_t* take_batch(std::size_t b);
  double backprop(const std::size_t* idx, std::size_t n, std::size_t batch);
  double update(std::size_t b, double loss);
  double sharded_step();
  void plan_into(Plan& p);
  void set_layer_rngs(const Plan& plan, std::size_t position);  // as after `position` examples

  Model& model_;
  std::shared_ptr<const Dataset> data_;
  std::size_t classes_ = 0, steps_ = 1;
  Tensor targets_;      // per example, in the form the loss wants (loss_targets)
  Shape target_shape_;  // one example's: {} for class indices, {values} for rows
  TrainSpec spec_;
  Optimizer optimizer_;
  Rng rng_;
  data::Split split_;
  std::vector<std::size_t> order_;
  std::size_t cursor_ = 0, step_ = 0, seen_ = 0;
  bool diverged_ = false;
  std::vector<Param> params_;
  std::size_t gradient_size_ = 0;
  Tensor bt_, eval_x_, eval_t_;
  Plan step_plan_;  // sharded_step()'s, reused
  std::vector<float> shard_grads_;
  std::vector<double> shard_losses_;
  std::vector<Metrics> history_;
};

}  // namespace dlplay
