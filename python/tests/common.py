"""What the Python package's tests share: the paths and small data sets."""
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
ROOT = os.path.dirname(PYDIR)
sys.path.insert(0, PYDIR)
# Processes the tests start (joblib's workers, scripts) find the package.
os.environ["PYTHONPATH"] = PYDIR + (
    os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH")
    else "")
FORKGP = os.environ.get("FORKGP_BIN") or os.path.join(ROOT, "build", "forkgp")
os.environ["FORKGP_BIN"] = os.path.abspath(FORKGP)
FORKGP = os.environ["FORKGP_BIN"]
# Tiny runs: the tests check the plumbing, not the search.
SMALL = dict(population=40, generations=3, workers=0)


def quadratic(rows=60, seed=3):
    """X (rows x 2) and y = x0^2 + x1, from a fixed stream."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(rows, 2))
    return X, X[:, 0] ** 2 + X[:, 1]


def leftovers(pattern):
    """The processes whose command line holds pattern (pgrep -f)."""
    out = subprocess.run(["pgrep", "-f", "--", pattern], capture_output=True,
                         text=True).stdout
    return out.split()
