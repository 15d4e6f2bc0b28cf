#!/bin/sh
# SageMaker starts the container with one argument: `train` for a training job,
# `serve` for an endpoint or a batch transform.
set -e
case "$1" in
  train) shift; exec node /opt/program/train.mjs "$@" ;;
  serve) shift; exec node /opt/program/serve.mjs "$@" ;;
  *) echo "expected train or serve, got: $*" >&2; exit 64 ;;
esac
