"""RNNRegressor.fit against the same LSTM trained by PyTorch, on one thread.

Issue 16 asks skrnn's training to be within 1.5x of PyTorch on one thread
for the same LSTM. Both train LSTM(32) -> Dense(1) with Adam(1e-3) on the
MSE, on the windows of bench_fit_overhead.py (yearly sunspots,
standardised, tiled), shuffled minibatches, 5 epochs, no validation. PyTorch
runs the plain eager loop its tutorials teach (``nn.LSTM`` with
``batch_first=True``, ``zero_grad``/``backward``/``step`` per batch); skrnn
the default ``RNNRegressor`` with ``linear_skip=False`` (the plain
network). Each framework runs in a fresh process with ``OMP_NUM_THREADS=1``
(which skrnn passes on to TensorFlow's thread pools) and
``torch.set_num_threads(1)``. Each framework is imported and started before
the timing. "first fit" includes building the network (and, for skrnn,
tracing its graphs); "repeated fit" is the median of the later fits of the
same architecture.

PyTorch is not a dependency of skrnn: install it for this benchmark only,
e.g. ``pip install torch --index-url https://download.pytorch.org/whl/cpu``
or from a local CPU wheel. Without it the script says so and writes nothing.

Run: python benchmarks/bench_torch_parity.py [--quick]
"""

import argparse
import importlib.util
import os
import statistics
import sys

from _common import run_in_fresh_process, write_results

# Each child prints {"first": seconds, "repeated": [seconds, ...]}.
_CHILD = """
import json, sys, time
sys.path.insert(0, {benchmarks!r})
from bench_fit_overhead import _series_windows
window, n, epochs, batch, repeats = (int(a) for a in sys.argv[1:6])
X, y = _series_windows(window, n)
{body}
times = []
for rep in range(repeats):
    start = time.perf_counter()
    fit(rep)
    times.append(time.perf_counter() - start)
print(json.dumps({{"first": times[0], "repeated": times[1:]}}))
"""

_TORCH = """
import numpy as np, torch
torch.set_num_threads(1)
Xt, yt = torch.from_numpy(X), torch.from_numpy(y).reshape(-1, 1)

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(X.shape[2], 32, batch_first=True)
        self.out = torch.nn.Linear(32, 1)

    def forward(self, x):
        states, _ = self.lstm(x)
        return self.out(states[:, -1])

def fit(seed):
    torch.manual_seed(seed)
    net = Net()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()
    for _ in range(epochs):
        order = torch.randperm(len(Xt))
        for start in range(0, len(Xt), batch):
            rows = order[start : start + batch]
            optimizer.zero_grad()
            loss = loss_fn(net(Xt[rows]), yt[rows])
            loss.backward()
            optimizer.step()
"""

# TensorFlow is imported and started before timing, as PyTorch is above
# (skrnn imports it at the first fit, which would otherwise time the import).
_SKRNN = """
import keras
keras.ops.convert_to_tensor(X[:1])
from skrnn import RNNRegressor

def fit(seed):
    RNNRegressor("lstm", units=32, epochs=epochs, batch_size=batch,
                 validation_fraction=0.0, early_stopping=False,
                 linear_skip=False, random_state=seed).fit(X, y)
"""


def _run(body, *args):
    code = _CHILD.format(benchmarks=os.path.dirname(__file__), body=body)
    return run_in_fresh_process(code, *args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized run")
    args = parser.parse_args()
    if importlib.util.find_spec("torch") is None:
        sys.exit("PyTorch is not installed; see this script's docstring.")
    os.environ["OMP_NUM_THREADS"] = "1"
    epochs, repeats = (1, 2) if args.quick else (5, 4)
    cases = [(13, 32, 4096), (13, 256, 4096), (60, 32, 4096), (250, 32, 1024)]
    if args.quick:
        cases = [(13, 32, 512)]
    rows = []
    for window, batch, n in cases:
        case = (window, n, epochs, batch, repeats)
        torch_run, skrnn_run = _run(_TORCH, *case), _run(_SKRNN, *case)
        for label, key in [("first fit", "first"), ("repeated fit", "repeated")]:
            t_torch, t_skrnn = torch_run[key], skrnn_run[key]
            if key == "repeated":
                t_torch = statistics.median(t_torch)
                t_skrnn = statistics.median(t_skrnn)
            rows.append(
                {
                    "window": window,
                    "batch": batch,
                    "windows": n,
                    "fit": label,
                    "PyTorch samples/s": round(n * epochs / t_torch),
                    "skrnn samples/s": round(n * epochs / t_skrnn),
                    "skrnn / PyTorch": t_torch / t_skrnn,
                }
            )
    import torch

    print(
        write_results(
            "torch_parity",
            "RNNRegressor.fit vs the same LSTM in PyTorch, one thread",
            rows,
            notes=(
                f"LSTM(32) -> Dense(1), Adam(1e-3), MSE, {epochs} epochs, shuffled "
                "minibatches, no validation; one thread per framework, imported "
                "and started before the timing "
                f"(PyTorch {torch.__version__}, eager loop). 'skrnn / PyTorch' is "
                "the ratio of throughputs: above 1 skrnn is faster; issue 16 "
                "asks for at least 1/1.5 = 0.67."
            ),
        )
    )


if __name__ == "__main__":
    main()
