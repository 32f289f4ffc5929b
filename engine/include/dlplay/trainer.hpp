// Training: shuffled mini-batches over the train split, metrics over both splits, history.
#pragma once

#include <vector>

#include "dlplay/data.hpp"
#include "dlplay/model.hpp"
#include "dlplay/optim.hpp"
#include "dlplay/spec.hpp"

namespace dlplay {

struct Metrics {
  std::size_t step = 0;
  double epoch = 0;       // examples seen / train size
  bool has_test = false;  // false when the spec asked for no test split: test_* are not measured
  double train_loss = 0, test_loss = 0;
  double train_accuracy = -1, test_accuracy = -1;  // -1 when not a classification problem (or no test split)
  bool diverged = false;                           // a loss or a weight is NaN/Inf
  Json to_json() const;
};

class Trainer {
 public:
  // Takes the spec's loss, optimiser, batch, split and seed; the model is trained in place.
  Trainer(Model& model, Dataset data, const TrainSpec& spec);

  double step();                    // one mini-batch update; returns the batch loss
  double train(std::size_t steps);  // returns the last batch loss
  Metrics evaluate();               // loss and accuracy over the train and test splits
  Metrics record();                 // evaluate() and append to history()
  const std::vector<Metrics>& history() const { return history_; }
  std::size_t steps_done() const { return step_; }
  bool diverged() const { return diverged_; }
  void set(const TrainSpec& spec);  // new hyper-parameters while training (same data and split)
  const TrainSpec& spec() const { return spec_; }

  const Dataset& data() const { return data_; }
  const std::vector<std::size_t>& train_indices() const { return split_.train; }
  const std::vector<std::size_t>& test_indices() const { return split_.test; }
  // Targets as the loss wants them for these examples (see loss.hpp).
  Tensor targets(const std::vector<std::size_t>& indices) const;

 private:
  void gather(const std::size_t* idx, std::size_t n, Tensor& x, Tensor& t) const;
  double evaluate_split(const std::vector<std::size_t>& idx, double& accuracy);
  std::size_t count_correct(const Tensor& out, const Tensor& targets) const;

  Model& model_;
  Dataset data_;
  Tensor targets_;  // per example, in the form the loss wants (see trainer.cpp)
  TrainSpec spec_;
  Optimizer optimizer_;
  Rng rng_;
  data::Split split_;
  std::vector<std::size_t> order_;
  std::size_t cursor_ = 0, step_ = 0, seen_ = 0;
  bool diverged_ = false;
  std::vector<Param> params_;
  Tensor bt_, grad_;
  std::vector<Metrics> history_;
};

}  // namespace dlplay
