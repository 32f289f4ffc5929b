// Everything in one include.
#pragma once
#include "dlplay/data.hpp"
#include "dlplay/kernels.hpp"
#include "dlplay/layers.hpp"
#include "dlplay/loss.hpp"
#include "dlplay/model.hpp"
#include "dlplay/optim.hpp"
#include "dlplay/rng.hpp"
#include "dlplay/session.hpp"
#include "dlplay/spec.hpp"
#include "dlplay/tensor.hpp"
#include "dlplay/trainer.hpp"
#include "dlplay/vocabulary.hpp"
