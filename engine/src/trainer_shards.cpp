// Data-parallel training: a batch's gradient in parts, summed in part order (trainer.hpp, Plan).
#include <algorithm>

#include "dlplay/trainer.hpp"

namespace dlplay {

Trainer::Plan Trainer::plan() {
  Plan p;
  plan_into(p);
  return p;
}

// Into `p`'s vectors as they are: a step planned into the same Plan allocates nothing.
void Trainer::plan_into(Plan& p) {
  const std::size_t b = std::min(spec_.hyper.batch, order_.size());
  const std::size_t* batch = take_batch(b);
  p.batch.assign(batch, batch + b);
  p.shards = spec_.hyper.shards;
  p.rngs.clear();
  for (std::size_t i = 0; i < model_.size(); ++i)
    if (const Rng* r = model_.layer(i).rng()) p.rngs.push_back(r->state());
}

// A random layer draws one number per output value of each example (dropout's mask), so after
// `position` examples of the batch its generator is the step's, advanced by that many draws: a part
// gets exactly the masks it would get within the whole batch.
void Trainer::set_layer_rngs(const Plan& plan, std::size_t position) {
  std::size_t r = 0;
  for (std::size_t i = 0; i < model_.size(); ++i) {
    Layer& l = model_.layer(i);
    Rng* rng = l.rng();
    if (!rng) continue;
    if (r >= plan.rngs.size()) throw Error("plan: fewer generators than the model's random layers");
    rng->set_state(plan.rngs[r++]);
    rng->advance(static_cast<std::uint64_t>(position) * shape_size(l.output_shape()));
  }
}

double Trainer::shard_gradient(const Plan& plan, std::size_t part, float* grad) {
  if (plan.shards == 0 || part >= plan.shards)
    throw Error("shard: expected a part from 0 to " + std::to_string(plan.shards) + " − 1, got " +
                std::to_string(part));
  const std::size_t n = plan.size(part), b = plan.batch.size();
  const std::size_t* examples = plan.batch.data() + plan.begin(part);
  for (std::size_t k = 0; k < n; ++k)  // the part's own: each part checks what it reads
    if (examples[k] >= data_->size())
      throw Error("plan.batch: example " + std::to_string(examples[k]) + " is not in the data");
  if (n == 0) {
    std::fill_n(grad, gradient_size_, 0.f);
    return 0;
  }
  set_layer_rngs(plan, plan.begin(part));
  const double loss = backprop(examples, n, b);
  for (const Param& p : params_) grad = std::copy(p.grad->begin(), p.grad->end(), grad);
  return loss * static_cast<double>(n);
}

double Trainer::apply(const Plan& plan, const float* grads, const double* losses) {
  const std::size_t b = plan.batch.size();
  double loss = 0;
  bool first = true;
  for (std::size_t part = 0; part < plan.shards; ++part) {
    if (plan.size(part) == 0) continue;  // an empty part adds nothing (not even −0 to +0)
    const float* g = grads + part * gradient_size_;
    for (const Param& p : params_) {
      if (first)
        std::copy_n(g, p.grad->size(), p.grad->data());
      else
        kernels::axpy(p.grad->size(), 1.f, g, p.grad->data());
      g += p.grad->size();
    }
    loss += losses[part];
    first = false;
  }
  set_layer_rngs(plan, b);
  return update(b, loss / static_cast<double>(b));
}

double Trainer::sharded_step() {
  Plan& p = step_plan_;
  plan_into(p);
  shard_grads_.resize(p.shards * gradient_size_);
  shard_losses_.assign(p.shards, 0.0);
  for (std::size_t part = 0; part < p.shards; ++part)
    shard_losses_[part] = shard_gradient(p, part, shard_grads_.data() + part * gradient_size_);
  return apply(p, shard_grads_.data(), shard_losses_.data());
}

}  // namespace dlplay
