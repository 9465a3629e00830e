"""ForkGPRegressor and ForkGPClassifier: scikit-learn estimators that run
the forkgp engine (a separate process) on the data and read its results.

The data go to the engine as CSV, each number in the fewest digits that
read back to the same double (Python's repr), and the predictions come
back the same way (forkgp predict prints them so): no bit is lost either
way.
"""
import configparser
import io
import keyword
import numbers
import os
import re
import shutil
import tempfile
import warnings
import weakref

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from . import _engine
from ._keys import FUNCTIONS, KEYS, PARAMETERS_DOC, PRINTED_NAMES, KeyParams

# Names a column may not keep: forkgp's functions and constants, the other
# names its printed programs use, and Python's keywords (SymPy parses
# Python).
_RESERVED = set(FUNCTIONS) | set(PRINTED_NAMES) | {"pi", "e"} | \
    set(keyword.kwlist)
_MAX_NAME = 255  # the longest column name forkgp reads (engine/csv.c)


def variable_names(features, n):
    """forkgp's variable names for n columns: their names (features, or
    x0, x1, ... when None) made valid where they are not: characters other
    than letters, digits and _ become _, a name starting with a digit gets
    an x_ prefix, a reserved name a trailing _, and a repeated one _2, _3,
    ... so that every name is distinct."""
    if features is None:
        features = ["x%d" % j for j in range(n)]
    out, used = [], set()
    for f in features:
        name = re.sub(r"[^A-Za-z0-9_]", "_", str(f))[:_MAX_NAME - 8]
        if not name or name[0].isdigit():
            name = "x_" + name
        if name in _RESERVED:
            name += "_"
        base, k = name, 2
        while name in used:
            name = "%s_%d" % (base, k)
            k += 1
        used.add(name)
        out.append(name)
    return out


def ini_value(v):
    """A keyword's value as forkgp reads it from --set, the engine then
    being the judge of it: floats in the digits that read back exactly,
    None as none, True and False as yes and no, a list joined by commas."""
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        return repr(float(v))
    if v is None:
        return "none"
    if isinstance(v, (list, tuple)):
        return ", ".join(ini_value(x) for x in v)
    return str(v)


def write_csv(path, names, columns):
    """Writes columns (1-d float64 arrays) under the header names, each
    number as repr writes it: the shortest text that reads back to the
    same double."""
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        rows = zip(*[c.tolist() for c in columns])
        # Chunks of rows: the text of a whole large matrix at once would
        # double the memory for nothing.
        while True:
            chunk = [",".join(map(repr, r)) for _, r in zip(range(8192), rows)]
            if not chunk:
                break
            f.write("\n".join(chunk))
            f.write("\n")


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return None


def _number(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _engine_error(status, stderr_path, what):
    """The exception for a forkgp that exited with status: ValueError with
    its message for 2 (bad data or parameters), else RuntimeError."""
    msg = (_read(stderr_path) or "").strip()
    if status == 2:
        return ValueError(msg or "forkgp %s: exit 2 with no message" % what)
    if status < 0:
        return RuntimeError("forkgp %s: killed by signal %d%s" %
                            (what, -status, (": " + msg) if msg else ""))
    return RuntimeError(msg or "forkgp %s: exit %d" % (what, status))


class _ForkGPBase(KeyParams, BaseEstimator):
    _function = None  # the built-in fitness function of the class

    def _engine_args(self, seed):
        """--set for each keyword whose value is not the key's default (a
        fitness refuses a key it does not use, even at its default)."""
        args = []
        for param, section, key, _, text, default in KEYS:
            v = ini_value(getattr(self, param))
            if v != text and v != ini_value(default):
                args += ["--set", "%s.%s=%s" % (section, key, v)]
        args += ["--set", "run.seed=%d" % seed,
                 "--set", "fitness.function=%s" % self._function]
        return args

    def _seed(self):
        rs = self.random_state
        if isinstance(rs, numbers.Integral) and not isinstance(rs, bool):
            return int(rs)
        return int(check_random_state(rs).randint(np.iinfo(np.int32).max))

    def _fit_engine(self, X, y):
        """Runs forkgp on X (validated, float64) and target y (float64)
        and sets the fitted attributes from its run folder."""
        names = variable_names(getattr(self, "feature_names_in_", None),
                               X.shape[1])
        target = "y"
        while target in names:
            target += "_"
        seed = self._seed()
        if not isinstance(self.verbose, (bool, np.bool_, numbers.Integral)):
            raise ValueError("verbose: expected True or False, got %r"
                             % (self.verbose,))
        work = tempfile.mkdtemp(prefix="forkgp-fit-")
        keep = False
        try:
            train = os.path.join(work, "train.csv")
            write_csv(train, names + [target],
                      [X[:, j] for j in range(X.shape[1])] + [y])
            ini = os.path.join(work, "fit.ini")
            open(ini, "w").close()
            if self.run_dir is None:
                run_dir = os.path.join(work, "run")
            else:
                run_dir = os.fspath(self.run_dir)
            args = ["run", ini, "--out", run_dir]
            if not self.verbose:
                args.append("--quiet")
            args += self._engine_args(seed)
            args += ["--set", "data.train=%s" % train,
                     "--set", "data.target=%s" % target]
            status = _engine.run(args, stderr_path=os.path.join(work, "err"),
                                 verbose=bool(self.verbose))
            if status != 0:
                raise _engine_error(status, os.path.join(work, "err"), "run")
            stderr = (_read(os.path.join(work, "err")) or "").strip()
            if stderr:
                warnings.warn(stderr, RuntimeWarning, stacklevel=3)
            self._load_run(run_dir, names, seed)
            keep = self.run_dir is None
            # The last fit's temporary folder goes with the fit it held.
            old = getattr(self, "_cleanup", None)
            if old is not None:
                old()
                del self._cleanup
        finally:
            if keep:
                # The temporary folder lives as long as this estimator.
                self._cleanup = weakref.finalize(self, shutil.rmtree, work,
                                                 ignore_errors=True)
            else:
                shutil.rmtree(work, ignore_errors=True)
        return self

    def _load_run(self, run_dir, names, seed):
        import pandas as pd

        best = _read(os.path.join(run_dir, "best.txt"))
        if best is None:
            raise RuntimeError("forkgp run: no best.txt in '%s'" % run_dir)
        lines = best.splitlines()
        info = {}
        for line in lines[1:]:
            k, sep, v = line.partition(" = ")
            if sep:
                info[k] = _number(v)
        front = _read(os.path.join(run_dir, "front.csv"))
        log = _read(os.path.join(run_dir, "log.csv"))
        manifest = configparser.ConfigParser(interpolation=None)
        manifest.read(os.path.join(run_dir, "manifest.ini"))
        self.program_ = lines[0]
        self.best_ = info
        self.variable_names_ = names
        self.seed_ = seed
        self.run_dir_ = run_dir
        self.manifest_ = {s: dict(manifest[s]) for s in manifest.sections()}
        self.log_ = pd.read_csv(io.StringIO(log)) if log else None
        self.front_ = pd.read_csv(io.StringIO(front)) if front else None
        # What predict and export need, kept here so that they work on a
        # copy or an unpickled model whose run folder is gone.
        self._files = {"best.txt": best,
                       "config.ini": _read(os.path.join(run_dir, "config.ini")),
                       "front.csv": front}

    def _with_model(self, func):
        """Calls func(dir) with a folder holding the fitted run's best.txt,
        config.ini and front.csv, removed afterwards."""
        check_is_fitted(self, "program_")
        with tempfile.TemporaryDirectory(prefix="forkgp-model-") as work:
            model = os.path.join(work, "model")
            os.mkdir(model)
            for name, text in self._files.items():
                if text is not None:
                    with open(os.path.join(model, name), "w") as f:
                        f.write(text)
            return func(work, model)

    def _size_args(self, size):
        if size is None:
            return []
        if not isinstance(size, numbers.Integral) or isinstance(size, bool):
            raise ValueError("size: expected a number of nodes, got %r"
                             % (size,))
        return ["--size", str(int(size))]

    def output(self, X, size=None):
        """The program's output on each row of X: forkgp predict's numbers,
        read back exactly. size: the front's program of that many nodes
        instead of the best one."""
        check_is_fitted(self, "program_")
        X = self._validate_data(X, reset=False, dtype=np.float64)
        extra = self._size_args(size)

        def predict(work, model):
            data = os.path.join(work, "data.csv")
            out = os.path.join(work, "pred.csv")
            err = os.path.join(work, "err")
            write_csv(data, self.variable_names_,
                      [X[:, j] for j in range(X.shape[1])])
            status = _engine.run(["predict", model, "--data", data, "--out",
                                  out] + extra, stderr_path=err)
            if status != 0:
                raise _engine_error(status, err, "predict")
            with open(out) as f:
                header = f.readline()
                if header.strip() != "prediction":
                    raise RuntimeError("forkgp predict: unexpected header %r"
                                       % header)
                values = np.array([float(v) for v in f.read().split()])
            if values.shape[0] != X.shape[0]:
                raise RuntimeError("forkgp predict: %d predictions for %d rows"
                                   % (values.shape[0], X.shape[0]))
            return values

        return self._with_model(predict)

    def export(self, format="python", size=None):
        """The best program (or front_'s of `size` nodes) as forkgp export
        writes it: format c, python, sympy or latex."""
        extra = self._size_args(size)

        def export(work, model):
            err = os.path.join(work, "err")
            out = os.path.join(work, "out")
            status = _engine.run(["export", model, "--format", str(format)] +
                                 extra, stdout_to=out, stderr_path=err)
            if status != 0:
                raise _engine_error(status, err, "export")
            return _read(out)

        return self._with_model(export)

    def sympy(self, size=None):
        """The best program (or front_'s of `size` nodes) as a SymPy
        expression, the variables as symbols named variable_names_."""
        import sympy

        check_is_fitted(self, "program_")
        text = self.program_
        if size is not None:
            text = self.export("sympy", size=size).strip()
        return sympy.sympify(text, locals={n: sympy.Symbol(n)
                                           for n in self.variable_names_})

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_cleanup", None)  # the temporary folder stays with self
        return state


_ATTRIBUTES = """
Attributes
----------
program_ : str
    The best program, as forkgp prints it (best.txt's first line):
    text that SymPy reads (sympy()) and forkgp parses.
best_ : dict
    best.txt's other lines: the train fitness (e.g. train_mse), size,
    depth, generation, index, evaluations, program (the evolved program
    without its scaling), variables, simplified.
front_ : pandas.DataFrame or None
    front.csv: the best program of each size that beats every smaller one
    (size, train fitness, test fitness, program).
log_ : pandas.DataFrame
    log.csv: per generation, the best and median fitness, sizes, invalid
    and failed counts.
manifest_ : dict
    manifest.ini as {section: {key: value}}: the binary, seed, hashes,
    host, times, exit status.
run_dir_ : str
    The run folder (run_dir, or a temporary folder).
seed_ : int
    The seed the run used.
variable_names_ : list of str
    forkgp's name of each column of X (feature_names_in_ made valid
    where they were not, or x0, x1, ...).
n_features_in_ : int
feature_names_in_ : ndarray of str
    The columns' names when X was a DataFrame of string column names.
"""


class ForkGPRegressor(RegressorMixin, _ForkGPBase):
    _function = "regression"

    def fit(self, X, y):
        """Evolves a program that predicts y from X; returns self."""
        X, y = self._validate_data(X, y, dtype=np.float64, y_numeric=True)
        return self._fit_engine(X, np.asarray(y, dtype=np.float64))

    def predict(self, X, size=None):
        """The program's output on each row of X: forkgp predict's bits.
        size: the front's program of that many nodes instead."""
        return self.output(X, size)


class ForkGPClassifier(ClassifierMixin, _ForkGPBase):
    _function = "classification"

    def fit(self, X, y):
        """Evolves a program whose output's class is y's; returns self."""
        X, y = self._validate_data(X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        return self._fit_engine(X, codes.astype(np.float64))

    def predict(self, X, size=None):
        """The class of each row of X, as the classification fitness picks
        it: classes_[clip(ceil(o), 0, k - 1)] of the program's output o (a
        NaN output gives classes_[0])."""
        o = self.output(X, size)
        k = len(self.classes_)
        idx = np.clip(np.ceil(np.nan_to_num(o, nan=0.0)), 0, k - 1)
        return self.classes_[idx.astype(np.intp)]


ForkGPRegressor.__doc__ = """Symbolic regression by forkgp, as a
scikit-learn regressor. Every configuration key is a keyword (forkgp help
keys), named after the key, or section_key where two sections share it;
the engine validates the values at fit, and a bad one raises ValueError
with its message.

""" + PARAMETERS_DOC + _ATTRIBUTES

ForkGPClassifier.__doc__ = """Classification by forkgp (the built-in
classification fitness), as a scikit-learn classifier. The keywords are
ForkGPRegressor's.

""" + PARAMETERS_DOC + _ATTRIBUTES + """classes_ : ndarray
    The class labels, sorted; the program's output picks one.
"""

__all__ = ["ForkGPRegressor", "ForkGPClassifier"]
