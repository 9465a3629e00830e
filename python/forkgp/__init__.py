"""forkgp from Python: scikit-learn estimators over the forkgp engine.

    from forkgp import ForkGPRegressor
    model = ForkGPRegressor(population=500, generations=30, random_state=1)
    model.fit(X, y)
    print(model.program_, model.sympy())

The evolution runs in the forkgp binary (its own process and workers),
found as $FORKGP_BIN, the one make install recorded, or `forkgp` on PATH.
docs/python.md has the details.
"""
from ._engine import EngineNotFound, binary
from ._estimator import ForkGPClassifier, ForkGPRegressor

__version__ = "0.1.0"
__all__ = ["ForkGPRegressor", "ForkGPClassifier", "EngineNotFound", "binary"]
