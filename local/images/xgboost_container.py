"""
Local stand-in of SageMaker's built-in XGBoost container (framework version 1.x),
running the real xgboost library under the algorithm's documented contracts:

train: reads every file of the `train` channel (and `validation` when present) as CSV
  with no header and the label in the first column; the hyperparameters from
  input/config/hyperparameters.json (`num_round` required, `num_class` for multi:*
  objectives, the others passed to xgboost.train as they are); writes the booster as
  `xgboost-model` in the model directory, XGBoost's own format, as the container does.
serve: loads `xgboost-model`; POST /invocations takes text/csv with no header (one
  record per line, the features only) and answers text/csv as the container's
  algorithm_mode/serve.py does: the scores (binary:logistic: P(class 1); reg:*: the
  value; multi:softprob: each record's probabilities as a Python list `[0.1, 0.2, 0.7]`)
  joined by commas on ONE line for an endpoint call, or one line per record under a
  batch transform (SAGEMAKER_BATCH set).

Usage: python3 xgboost_container.py train|serve
"""
import os

# One thread per process: the stand-in shares the machine with the pipeline, and a
# thread pool per request costs more than it gives on small batches.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import io
import sys

import numpy as np
import xgboost as xgb

from contract import InvocationError, channel_dir, channel_files, fail, media_type, model_dir, read_hyperparameters, serve

MODEL_FILE = "xgboost-model"


def load_csv(files, what):
    parts = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if not text.strip():
            continue
        try:
            parts.append(np.genfromtxt(io.StringIO(text), delimiter=",", dtype=np.float64, ndmin=2))
        except ValueError as e:
            fail("ClientError: %s %s is not a CSV of numbers with the same number of fields on every line: %s" % (what, path, e))
    if not parts:
        fail("ClientError: the %s channel holds no data" % what)
    widths = {p.shape[1] for p in parts}
    if len(widths) != 1:
        fail("ClientError: the %s channel's files have different numbers of columns: %s" % (what, sorted(widths)))
    data = np.vstack(parts)
    if np.isnan(data[:, 0]).any():
        fail("ClientError: the %s channel has a missing or non-numeric label in the first column (CSV with the label first, no header)" % what)
    return data


def number(v):
    try:
        f = float(v)
        return int(f) if f.is_integer() and "." not in str(v) and "e" not in str(v).lower() else f
    except (TypeError, ValueError):
        return v


def train():
    hp = read_hyperparameters()
    if "num_round" not in hp:
        fail("ClientError: Missing required hyperparameter: num_round")
    num_round = int(float(hp["num_round"]))
    params = {k: number(v) for k, v in hp.items() if k != "num_round"}
    objective = str(params.get("objective", "reg:squarederror"))
    if objective.startswith("multi:") and "num_class" not in params:
        fail("ClientError: Missing required hyperparameter: num_class (objective %s)" % objective)
    data = load_csv(channel_files("train"), "train")
    dtrain = xgb.DMatrix(data[:, 1:], label=data[:, 0])
    evals = [(dtrain, "train")]
    if os.path.isdir(channel_dir("validation")) and channel_files("validation"):
        v = load_csv(channel_files("validation"), "validation")
        evals.append((xgb.DMatrix(v[:, 1:], label=v[:, 0]), "validation"))
    try:
        booster = xgb.train(params, dtrain, num_boost_round=num_round, evals=evals, verbose_eval=max(1, num_round // 10))
    except xgb.core.XGBoostError as e:
        fail("ClientError: %s" % str(e).splitlines()[0])
    os.makedirs(model_dir(), exist_ok=True)
    booster.save_model(os.path.join(model_dir(), MODEL_FILE))
    print("saved %s (%d rows, %d features, %d rounds)" % (MODEL_FILE, data.shape[0], data.shape[1] - 1, num_round), flush=True)


def main_serve():
    path = os.path.join(model_dir(), MODEL_FILE)
    if not os.path.exists(path):
        print("no %s in %s" % (MODEL_FILE, model_dir()), file=sys.stderr, flush=True)
        sys.exit(1)
    booster = xgb.Booster()
    booster.load_model(path)
    features = booster.num_features()

    def invoke(body, content_type, accept):
        if media_type(content_type) != "text/csv":
            raise InvocationError(415, "Content type %s is not supported by this local XGBoost (text/csv only)" % content_type)
        text = body.decode("utf-8")
        if not text.strip():
            raise InvocationError(400, "empty request")
        try:
            rows = np.genfromtxt(io.StringIO(text), delimiter=",", dtype=np.float64, ndmin=2)
        except ValueError as e:
            raise InvocationError(400, "Loading csv data failed: %s" % e)
        if rows.shape[1] != features:
            raise InvocationError(400, "Feature size of csv inference data %d is not consistent with feature size of trained model %d" % (rows.shape[1], features))
        preds = booster.predict(xgb.DMatrix(rows))
        if os.environ.get("SAGEMAKER_BATCH"):
            answer = "\n".join(map(str, preds.tolist())) + "\n"
        else:
            answer = ",".join(map(str, preds.tolist()))
        return answer.encode("utf-8"), "text/csv"

    serve(invoke)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "train":
        train()
    elif mode == "serve":
        main_serve()
    else:
        print("usage: xgboost_container.py train|serve", file=sys.stderr)
        sys.exit(2)
