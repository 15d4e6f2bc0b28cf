"""
Local stand-in of SageMaker's scikit-learn framework container in script mode,
running the real scikit-learn under the container's documented conventions:

train: the user's script is in <root>/code (the container's toolkit downloads and
  unpacks `sagemaker_submit_directory`, a gzipped tar; locally the SageMaker stand-in
  does it). Hyperparameters are read from input/config/hyperparameters.json and
  JSON-decoded (all values, else none, like the toolkit); `sagemaker_program` names
  the script, which runs as `python <program> --<name> <value> ...` for every other
  hyperparameter, with SM_MODEL_DIR, SM_CHANNEL_<NAME>, SM_OUTPUT_DATA_DIR, SM_HPS set.
serve: imports SAGEMAKER_PROGRAM from <root>/code and answers POST /invocations with
  its model_fn(model_dir), then input_fn / predict_fn / output_fn when the script
  defines them, else the container's defaults: text/csv in (np.genfromtxt, no
  header), model.predict, and out as the request's Accept asks: application/json (a
  JSON array, also for no Accept or */*: SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT, default
  application/json) or text/csv (one line per row, values comma-separated); any other
  Accept is refused with 415.

Usage: python3 sklearn_container.py train|serve
"""
import os

# One thread per process: the stand-in shares the machine with the pipeline, and a
# thread pool per request costs more than it gives on small batches.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import importlib.util
import io
import json
import subprocess
import sys

import numpy as np

from contract import ROOT, InvocationError, code_dir, fail, media_type, model_dir, read_hyperparameters, serve

FRAMEWORK_KEYS = ("sagemaker_program", "sagemaker_submit_directory", "sagemaker_region", "sagemaker_container_log_level")


def decoded_hyperparameters():
    raw = read_hyperparameters()
    try:
        return {k: json.loads(v) for k, v in raw.items()}
    except ValueError:
        print("Failed to parse hyperparameters' values to JSON; passing them as they are", file=sys.stderr, flush=True)
        return raw


def train():
    hp = decoded_hyperparameters()
    program = hp.get("sagemaker_program")
    if not program:
        fail("ClientError: missing hyperparameter sagemaker_program (the script to run)")
    script = os.path.join(code_dir(), str(program))
    if not os.path.isfile(script):
        fail("ClientError: %s is not in the source directory (sagemaker_submit_directory)" % program)
    user = {k: v for k, v in hp.items() if k not in FRAMEWORK_KEYS}
    args = []
    for k, v in user.items():
        args += ["--%s" % k, v if isinstance(v, str) else json.dumps(v)]
    env = dict(os.environ)
    # What the toolkit gives the script: its directories under the container's root.
    env.setdefault("SM_MODEL_DIR", model_dir())
    env.setdefault("SM_OUTPUT_DATA_DIR", os.path.join(ROOT, "output", "data"))
    data = os.path.join(ROOT, "input", "data")
    channels = sorted(os.listdir(data)) if os.path.isdir(data) else []
    for channel in channels:
        env.setdefault("SM_CHANNEL_" + channel.upper(), os.path.join(data, channel))
    env.setdefault("SM_CHANNELS", json.dumps(channels))
    env["SM_HPS"] = json.dumps(user)
    env["SM_USER_ENTRY_POINT"] = str(program)
    env["SM_MODULE_DIR"] = str(hp.get("sagemaker_submit_directory", ""))
    env["PYTHONPATH"] = code_dir() + os.pathsep + env.get("PYTHONPATH", "")
    code = subprocess.call([sys.executable, script] + args, cwd=code_dir(), env=env)
    if code != 0:
        fail("AlgorithmError: ExecuteUserScriptError: Command \"%s %s\" exited with code %d" % (sys.executable, program, code), code=code)


def default_input_fn(body, content_type):
    if media_type(content_type) != "text/csv":
        raise InvocationError(415, "Content type %s is not supported by the default input_fn (text/csv)" % content_type)
    try:
        return np.genfromtxt(io.StringIO(body.decode("utf-8")), delimiter=",", ndmin=2)
    except ValueError as e:
        raise InvocationError(400, "could not read the CSV: %s" % e)


def effective_accept(accept):
    """The Accept the handlers see: none or */* means the container's default, as in sagemaker-inference."""
    a = (accept or "").strip()
    if not a or a == "*/*":
        return os.environ.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT") or "application/json"
    return a


def default_output_fn(prediction, accept):
    a = np.asarray(prediction)
    kind = media_type(accept)
    if kind == "application/json":
        return json.dumps(a.tolist()).encode("utf-8"), "application/json"
    if kind != "text/csv":
        raise InvocationError(415, "Accept %s is not supported by the default output_fn (application/json, text/csv)" % accept)
    if a.ndim <= 1:
        lines = ["%r" % (x.item() if hasattr(x, "item") else x) for x in a.reshape(-1)]
    else:
        lines = [",".join("%r" % (x.item() if hasattr(x, "item") else x) for x in row) for row in a]
    return ("\n".join(lines) + "\n").encode("utf-8"), "text/csv"


def main_serve():
    program = os.environ.get("SAGEMAKER_PROGRAM")
    if not program:
        print("SAGEMAKER_PROGRAM is not set (the model's environment names the script)", file=sys.stderr, flush=True)
        sys.exit(1)
    sys.path.insert(0, code_dir())
    spec = importlib.util.spec_from_file_location("user_module", os.path.join(code_dir(), program))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, "model_fn"):
        print("%s defines no model_fn(model_dir)" % program, file=sys.stderr, flush=True)
        sys.exit(1)
    model = module.model_fn(model_dir())

    def invoke(body, content_type, accept):
        data = module.input_fn(body.decode("utf-8"), content_type) if hasattr(module, "input_fn") else default_input_fn(body, content_type)
        prediction = module.predict_fn(data, model) if hasattr(module, "predict_fn") else model.predict(data)
        accept = effective_accept(accept)
        if hasattr(module, "output_fn"):
            out = module.output_fn(prediction, accept)
            if isinstance(out, tuple):
                return (out[0].encode("utf-8") if isinstance(out[0], str) else out[0]), out[1]
            return (out.encode("utf-8") if isinstance(out, str) else out), accept
        return default_output_fn(prediction, accept)

    serve(invoke)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "train":
        train()
    elif mode == "serve":
        main_serve()
    else:
        print("usage: sklearn_container.py train|serve", file=sys.stderr)
        sys.exit(2)
