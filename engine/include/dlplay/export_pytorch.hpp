// A model as a short, runnable PyTorch script: the network as an nn.Sequential, its current
// weights, and the input features it was trained on (docs/cli.md, `dlplay export --pytorch`).
#pragma once

#include <string>
#include <vector>

#include "dlplay/model.hpp"
#include "dlplay/vocabulary.hpp"

namespace dlplay {

// Python source that builds `model` as `model = nn.Sequential(...)` (nn.Linear, nn.Conv2d,
// nn.MaxPool2d, nn.AvgPool2d, nn.Flatten, nn.Dropout and the activations), copies every weight
// and bias into it under torch.no_grad() (each value to 9 significant digits, so the float32
// values come back exactly), calls model.eval(), and with `features` defines features(points),
// the model's inputs computed from 2-D points [N, 2] as the engine computes them. Its __main__
// block prints the model's output for one example. Dense and conv weights are written in their
// own layout, which is nn.Linear's [out, in] and nn.Conv2d's [out, in, kh, kw].
std::string export_pytorch(Model& model, const std::vector<Feature>& features = {});

}  // namespace dlplay
