"""
What the local stand-ins of SageMaker's XGBoost and scikit-learn containers share:
the training container's paths (the root is SM_ROOT, /opt/ml in a real container),
its failure file, and an HTTP server under the inference contract (GET /ping,
POST /invocations on SAGEMAKER_BIND_TO_PORT, default 8080).
"""
import json
import os
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.environ.get("SM_ROOT", "/opt/ml")


def model_dir():
    return os.environ.get("SM_MODEL_DIR") or os.path.join(ROOT, "model")


def code_dir():
    """Where the container's toolkit put the user's script (/opt/ml/code)."""
    return os.path.join(ROOT, "code")


def read_hyperparameters():
    path = os.path.join(ROOT, "input", "config", "hyperparameters.json")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def channel_dir(name):
    return os.environ.get("SM_CHANNEL_" + name.upper()) or os.path.join(ROOT, "input", "data", name)


def channel_files(name):
    """Every regular file under a channel, in path order."""
    root = channel_dir(name)
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for f in sorted(filenames):
            files.append(os.path.join(dirpath, f))
    return files


def fail(message, code=1):
    """Ends a training job: the reason goes to output/failure (SageMaker's FailureReason) and stderr."""
    out = os.environ.get("SM_OUTPUT_DIR") or os.path.join(ROOT, "output")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "failure"), "w", encoding="utf-8") as f:
        f.write(message)
    print(message, file=sys.stderr, flush=True)
    sys.exit(code)


class InvocationError(Exception):
    """A request the model cannot answer: its HTTP status and message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def serve(invoke, ready=lambda: True):
    """
    Serves the inference contract. `invoke(body: bytes, content_type: str, accept: str)`
    returns (body: bytes, content_type: str) or raises InvocationError.
    """

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet access log
            pass

        def _reply(self, status, body, content_type="text/plain"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/ping":
                self._reply(200 if ready() else 503, b"")
            else:
                self._reply(404, b"not found")

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if self.path != "/invocations":
                self._reply(404, b"not found")
                return
            try:
                out, content_type = invoke(body, self.headers.get("Content-Type") or "text/csv", self.headers.get("Accept") or "")
                self._reply(200, out, content_type)
            except InvocationError as e:
                self._reply(e.status, str(e).encode("utf-8"))
            except Exception as e:  # the model's own error: 500, like the containers
                traceback.print_exc()
                self._reply(500, ("%s: %s" % (type(e).__name__, e)).encode("utf-8"))

    port = int(os.environ.get("SAGEMAKER_BIND_TO_PORT", "8080"))
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print("serving on 127.0.0.1:%d" % port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def media_type(content_type):
    return content_type.split(";")[0].strip().lower()
