"""
A scikit-learn model for SageMaker's scikit-learn framework container (script mode),
as pitstop runs it with `"training": {"framework": "sklearn", "entryPoint": "train.py",
"sourceDir": "examples/sklearn"}`.

Training: SageMaker runs `python train.py --<hyperparameter> <value> ...` with
SM_MODEL_DIR and SM_CHANNEL_TRAIN set. pitstop's training channel is a CSV with no
header, the label in the first column and the model's features after it, in the
config's order. The script fits a gradient-boosted classifier and saves it with joblib.

Inference: the container imports this file and calls model_fn(model_dir), then
input_fn / predict_fn / output_fn. The request is the features of one or more rows as
header-less CSV (the same order as training); the answer is one line per row: the
probability of class 1 for a binary label, one probability per class (comma-separated)
for a multiclass one, as pitstop's evaluation and capture reading expect.
"""
import argparse
import glob
import io
import os

import joblib
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

MODEL_FILE = "model.joblib"


def model_fn(model_dir):
    return joblib.load(os.path.join(model_dir, MODEL_FILE))


def input_fn(body, content_type):
    if not content_type.startswith("text/csv"):
        raise ValueError("expected text/csv, got %s" % content_type)
    return np.genfromtxt(io.StringIO(body), delimiter=",", ndmin=2)


def predict_fn(data, model):
    proba = model.predict_proba(data)
    return proba[:, 1] if proba.shape[1] == 2 else proba


def output_fn(prediction, accept):
    rows = prediction if np.ndim(prediction) > 1 else np.asarray(prediction).reshape(-1, 1)
    return "".join(",".join(repr(float(v)) for v in row) + "\n" for row in rows), "text/csv"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max_iter", type=int, default=100)
    parser.add_argument("--learning_rate", type=float, default=0.1)
    parser.add_argument("--max_depth", type=int, default=None)
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"))
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train"))
    args, _ = parser.parse_known_args()

    files = sorted(glob.glob(os.path.join(args.train, "**", "*"), recursive=True))
    data = np.vstack([np.genfromtxt(f, delimiter=",", ndmin=2) for f in files if os.path.isfile(f) and os.path.getsize(f) > 0])
    y, x = data[:, 0].astype(int), data[:, 1:]
    model = HistGradientBoostingClassifier(max_iter=args.max_iter, learning_rate=args.learning_rate, max_depth=args.max_depth, random_state=0)
    model.fit(x, y)
    print("train accuracy: %.4f" % model.score(x, y), flush=True)
    os.makedirs(args.model_dir, exist_ok=True)
    joblib.dump(model, os.path.join(args.model_dir, MODEL_FILE))


if __name__ == "__main__":
    main()
