// dlplay: the engine on the command line.
//   dlplay eval MODEL.json --input JSON [--layers]
//   dlplay train SPEC.json [--out MODEL.json]
//   dlplay export --pytorch MODEL.json [-o OUT.py]
//   dlplay bench [--quick]
//   dlplay vocabulary
// Every command stands on dlplay::Session, as the wasm bindings do (docs/cli.md).
// Output is JSON on stdout. Any bad input ends with a non-zero exit status and one line on stderr,
// "dlplay: error: <message>".
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "bench.hpp"
#include "dlplay/dlplay.hpp"

namespace {

using dlplay::clean_json_message;
using dlplay::Error;
using dlplay::Json;
using dlplay::parse_json;
using dlplay::Shape;
using dlplay::Tensor;

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error("cannot read '" + path + "': it is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open '" + path + "': " + (errno ? std::strerror(errno) : "cannot read"));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw Error("cannot read '" + path + "'");
  return s.str();
}

Json read_json_file(const std::string& path) { return parse_json(read_file(path), path); }

// The shortest decimal that reads back as the same float, so 0.62f prints as 0.62 and not as
// 0.6200000047683716.
double number(float v) {
  if (!std::isfinite(v)) return static_cast<double>(v);  // written as null by nlohmann
  char buf[32];
  for (int precision = 6; precision <= 9; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
  return std::strtod(buf, nullptr);
}

using OrderedJson = nlohmann::ordered_json;  // {"outputs", "layers"} in that order

OrderedJson flat_row(const float* p, std::size_t n) {
  OrderedJson row = OrderedJson::array();
  for (std::size_t i = 0; i < n; ++i) row.push_back(number(p[i]));
  return row;
}

// ---------------------------------------------------------------------------------------------
// eval

// Nested shape of a JSON value whose leaves are numbers. Throws naming `what` when it is ragged or
// holds anything but numbers.
Shape nested_shape(const Json& j, const std::string& what, int depth = 0) {
  if (j.is_number()) return {};
  if (!j.is_array()) throw Error(what + " holds " + std::string(j.type_name()) + ", expected numbers");
  if (depth > 8) throw Error(what + " is nested too deeply");
  if (j.empty()) return {0};
  Shape first = nested_shape(j[0], what, depth + 1);
  for (std::size_t i = 1; i < j.size(); ++i)
    if (nested_shape(j[i], what, depth + 1) != first)
      throw Error(what + " is not a regular array (its rows differ in length)");
  Shape s{j.size()};
  s.insert(s.end(), first.begin(), first.end());
  return s;
}

void flatten_into(const Json& j, std::vector<float>& out, const std::string& what) {
  if (j.is_number()) {
    double v = j.get<double>();
    auto f = static_cast<float>(v);
    if (!std::isfinite(v) || !std::isfinite(f)) throw Error(what + " has a value out of range: " + j.dump());
    out.push_back(f);
    return;
  }
  for (const Json& e : j) flatten_into(e, out, what);
}

std::string describe(const Shape& s) {
  if (s.empty()) return "a single number";
  std::size_t n = dlplay::shape_size(s);
  if (s.size() == 1) return std::to_string(n) + (n == 1 ? " value" : " values");
  return "shape " + dlplay::shape_string(s);
}

// The --input JSON as a batch [N, ...input]. Each example is nested like `input` (or flat with the
// right number of values); a single example on its own is accepted too.
Tensor input_batch(const Json& j, const Shape& input) {
  if (!j.is_array())
    throw Error("--input: expected a JSON array of examples, each of shape " + dlplay::shape_string(input) +
                ", got " + std::string(j.type_name()));
  const std::size_t per_example = dlplay::shape_size(input);
  std::vector<const Json*> examples;
  // A lone example shaped exactly like the input (e.g. [1, -1] for input [2]).
  bool single = false;
  try {
    single = nested_shape(j, "--input") == input;
  } catch (const Error&) {
  }
  if (single) {
    examples.push_back(&j);
  } else {
    for (const Json& e : j) examples.push_back(&e);
  }
  std::vector<float> values;
  values.reserve(examples.size() * per_example);
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const std::string what = "--input: example " + std::to_string(i);
    const Json& e = *examples[i];
    Shape s = nested_shape(e, what);
    bool flat_ok = s.size() == 1 && s[0] == per_example;
    if (s != input && !flat_ok) {
      std::string got = describe(s);
      throw Error(what + (s.empty() ? " is " : " has ") + got + ", the model takes " +
                  dlplay::shape_string(input));
    }
    flatten_into(e, values, what);
  }
  Shape batch{examples.size()};
  batch.insert(batch.end(), input.begin(), input.end());
  Tensor x = Tensor::from_shape(batch);
  std::copy(values.begin(), values.end(), x.data());
  return x;
}

int run_eval(const std::string& model_path, std::string input_arg, bool layers) {
  dlplay::Session session(read_json_file(model_path));
  dlplay::Model& model = session.model();

  Json in;
  if (!input_arg.empty() && input_arg[0] == '@') {
    std::string path = input_arg.substr(1);
    in = parse_json(read_file(path), "--input " + path);
  } else {
    in = parse_json(input_arg, "--input");
  }
  Tensor x = input_batch(in, session.input_shape());
  const std::size_t n = x.shape()[0];

  OrderedJson out = OrderedJson::object();
  out["outputs"] = OrderedJson::array();
  if (layers) out["layers"] = OrderedJson::array();
  if (n > 0) {
    const Tensor& y = session.forward(x);
    const std::size_t out_size = y.size() / n;
    for (std::size_t i = 0; i < n; ++i) out["outputs"].push_back(flat_row(y.data() + i * out_size, out_size));
    if (layers) {
      for (std::size_t i = 0; i < n; ++i) {
        OrderedJson per_layer = OrderedJson::array();
        for (std::size_t l = 0; l < model.size(); ++l) {
          const Tensor& a = model.activation(l);
          const std::size_t size = a.size() / n;
          per_layer.push_back(flat_row(a.data() + i * size, size));
        }
        out["layers"].push_back(std::move(per_layer));
      }
    }
  }
  std::cout << out.dump() << '\n';
  return 0;
}

// ---------------------------------------------------------------------------------------------
// output files

// Fails early (before training, say) when `path` cannot be a file to write: its folder is missing
// or it is a folder itself.
void check_out_path(const std::string& path) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
    throw Error("--out: cannot write '" + path + "': no directory '" + dir.string() + "'");
  if (std::filesystem::is_directory(path, ec))
    throw Error("--out: cannot write '" + path + "': it is a directory");
}

void write_text(const std::string& path, const std::string& text) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    throw Error("--out: cannot write '" + path + "': " + (errno ? std::strerror(errno) : "cannot open"));
  out << text;
  out.close();
  if (!out) throw Error("--out: cannot write '" + path + "'");
}

// ---------------------------------------------------------------------------------------------
// train

int run_train(const std::string& spec_path, const std::string& out_path) {
  if (!out_path.empty()) check_out_path(out_path);  // fail before training, not after it
  Json sj = read_json_file(spec_path);
  if (sj.is_object() && !sj.contains("data"))
    throw Error("data: missing (a built-in set like \"circle\" or inline {\"x\": [...], \"y\": [...]})");
  dlplay::Session session(sj);
  const dlplay::TrainSpec& spec = session.spec();
  if (spec.steps == 0 && spec.epochs == 0)
    throw Error("steps: the spec needs \"steps\" or \"epochs\" (how long to train), e.g. \"steps\": 1000");
  dlplay::Trainer& trainer = session.trainer();
  std::size_t total = spec.steps;
  if (total == 0) {
    const std::size_t train_size = trainer.train_indices().size();
    const std::size_t batch = std::min(spec.hyper.batch, train_size);
    total = spec.epochs * ((train_size + batch - 1) / batch);
  }
  const std::size_t log_every = spec.log_every ? spec.log_every : std::max<std::size_t>(1, (total + 9) / 10);

  std::size_t done = 0;
  while (done < total) {
    std::size_t k = std::min(log_every, total - done);
    trainer.train(k);
    done += k;
    dlplay::Metrics m = trainer.record();
    std::cout << m.to_json().dump() << std::endl;
    if (trainer.diverged() || m.diverged)
      throw Error("training diverged at step " + std::to_string(m.step) +
                  " (a loss or a weight became NaN or infinite); try a smaller learning rate");
  }

  if (!out_path.empty()) write_text(out_path, session.to_json().dump(2) + "\n");
  return 0;
}

// ---------------------------------------------------------------------------------------------
// export

// The model (a model JSON, or a training spec's model as `eval` builds it, with its features) as
// a PyTorch script, on stdout or into `out_path`.
int run_export(const std::string& model_path, const std::string& out_path) {
  if (!out_path.empty()) check_out_path(out_path);
  dlplay::Session session(read_json_file(model_path));
  const std::string script = session.to_pytorch();
  if (out_path.empty())
    std::cout << script;
  else
    write_text(out_path, script);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// sample

// A saved character model's text after `prefix`, as the page's sample() gives it for the same
// model, temperature and seed: {"text": …, "ids": […]}.
int run_sample(const std::string& model_path, const std::string& prefix, std::size_t length,
               float temperature, std::uint64_t seed) {
  dlplay::Session session(read_json_file(model_path));
  const dlplay::Session::Sample s = session.sample(prefix, length, temperature, seed);
  std::cout << Json{{"text", s.text}, {"ids", s.ids}}.dump() << '\n';
  return 0;
}

// ---------------------------------------------------------------------------------------------

int fail(const std::string& message) {
  std::string line = message;
  std::replace(line.begin(), line.end(), '\n', ' ');
  std::replace(line.begin(), line.end(), '\r', ' ');
  std::cout.flush();
  std::cerr << "dlplay: error: " << line << std::endl;
  return 1;
}

int run(int argc, char** argv) {
  CLI::App app{"dlplay: a small deep-learning engine for the playground (native command line)", "dlplay"};
  app.require_subcommand(1);

  std::string model_path, input_arg, spec_path, out_path, export_path, export_out;
  bool layers = false, quick = false, pytorch = false;

  auto* eval =
      app.add_subcommand("eval", "Evaluate a model on examples; prints {\"outputs\": [...]} as JSON");
  eval->add_option("model", model_path, "Model JSON file (dlplay-model)")->required();
  eval->add_option("--input", input_arg,
                   "JSON array of examples, each shaped like the model's input (e.g. [[1,-1],[0,0]]), "
                   "or @file.json")
      ->required();
  eval->add_flag("--layers", layers, "Also print every layer's output for every example");

  auto* train =
      app.add_subcommand("train", "Train from a spec, printing one JSON line of metrics per interval");
  train->add_option("spec", spec_path, "Training spec JSON file")->required();
  train->add_option("--out", out_path, "Write the trained model JSON here");

  auto* exporter = app.add_subcommand("export", "Write a model as code for another framework (PyTorch)");
  exporter
      ->add_flag("--pytorch", pytorch, "A Python script that builds the model in PyTorch, weights and all")
      ->required();
  exporter->add_option("model", export_path, "Model JSON file, or a training spec (its model, not trained)")
      ->required();
  exporter->add_option("-o,--out", export_out, "Write the script here (default: stdout)");

  std::string sample_path, prefix;
  std::size_t length = 200;
  float temperature = 1.f;
  std::uint64_t seed = 0;
  auto* sampler =
      app.add_subcommand("sample", "Write text from a saved character model; prints {\"text\", \"ids\"}");
  sampler->add_option("model", sample_path, "Model JSON file of a character model (with its \"vocabulary\")")
      ->required();
  sampler->add_option("--prefix", prefix, "The text to start from (characters of the vocabulary)")
      ->required();
  sampler->add_option("--length", length, "How many characters to write (default 200)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{100000}));
  sampler->add_option("--temperature", temperature, "0 (greedy) to 100 (default 1)")
      ->check(CLI::Range(0.f, 100.f));
  sampler->add_option("--seed", seed, "The sampling generator's seed (default 0)");

  auto* bench = app.add_subcommand("bench", "Run the engine's benchmark workloads; prints JSON");
  bench->add_flag("--quick", quick, "A short run (a few seconds)");

  auto* vocabulary = app.add_subcommand(
      "vocabulary", "Print what the engine accepts (layer types, activations, optimizers, ranges…) as JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    fail(e.what());
    return 2;
  }

  if (*eval) return run_eval(model_path, input_arg, layers);
  if (*train) return run_train(spec_path, out_path);
  if (*exporter) return run_export(export_path, export_out);
  if (*sampler) return run_sample(sample_path, prefix, length, temperature, seed);
  if (*vocabulary) {
    std::cout << dlplay::vocab::to_json().dump(2) << '\n';
    return 0;
  }
  if (*bench) {
    std::cout << dlplay::bench::run_benchmarks(quick).dump(2) << '\n';
    return 0;
  }
  return fail("no command given (expected eval, train, sample, export, bench or vocabulary)");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const Json::exception& e) {
    return fail(clean_json_message(e.what()));
  } catch (const std::bad_alloc&) {
    return fail("out of memory");
  } catch (const std::exception& e) {
    return fail(e.what());
  } catch (...) {
    return fail("unexpected internal error");
  }
}
