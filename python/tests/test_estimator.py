"""The estimators' contract: parameters, fitted attributes, DataFrames,
pickling, errors, a grid search in parallel."""
import contextlib
import gc
import inspect
import io
import os
import pickle
import shutil
import subprocess
import tempfile
import unittest
import warnings

import numpy as np
import pandas as pd
import sympy
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from common import FORKGP, SMALL, quadratic
import forkgp
from forkgp import ForkGPClassifier, ForkGPRegressor
from forkgp._keys import EXCLUDED, KEYS, OWN


def engine_keys():
    """(section, key) of every key the binary's table lists."""
    lines = subprocess.run([FORKGP, "help", "keys", "--tsv"], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    return {tuple(line.split("\t")[:2]) for line in lines[1:]}


class Parameters(unittest.TestCase):
    def test_every_key_is_a_keyword(self):
        """Every key of the binary's table is a keyword or excluded."""
        have = {(s, k) for _, s, k, _, _, _ in KEYS}
        excluded = {tuple(n.split(".")) for n in EXCLUDED}
        self.assertEqual(have | excluded, engine_keys())
        self.assertFalse(have & excluded)

    def test_signature_and_get_params(self):
        """The keywords are a real signature: get_params, clone and
        set_params see them all."""
        want = [p for p, *_ in KEYS] + list(OWN)
        for cls in (ForkGPRegressor, ForkGPClassifier):
            sig = list(inspect.signature(cls).parameters)
            self.assertEqual(sig, want)
            est = cls(population=77, selection_method="nsga2")
            self.assertEqual(sorted(est.get_params()), sorted(want))
            copy = clone(est)
            self.assertEqual(copy.get_params(), est.get_params())
            copy.set_params(generations=9, random_state=4)
            self.assertEqual((copy.generations, copy.random_state), (9, 4))

    def test_defaults_are_the_tables(self):
        """Each keyword's default is the key's default in the table."""
        est = ForkGPRegressor()
        self.assertEqual(est.population, 500)
        self.assertEqual(est.crossover, 0.9)
        self.assertEqual(est.workers, "auto")
        self.assertIsNone(est.target_fitness)
        self.assertEqual(est.functions, "add, sub, mul, div")
        self.assertIsNone(est.random_state)


class Fitted(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.X, cls.y = quadratic()
        cls.model = ForkGPRegressor(random_state=2, **SMALL).fit(cls.X, cls.y)

    def test_attributes(self):
        """program_, best_, front_, log_, manifest_, run_dir_ and seed_
        are the run's."""
        m = self.model
        with open(os.path.join(m.run_dir_, "best.txt")) as f:
            self.assertEqual(m.program_, f.readline().rstrip("\n"))
        self.assertIn("train_mse", m.best_)
        self.assertEqual(m.best_["variables"], "x0, x1")
        self.assertEqual(m.seed_, 2)
        self.assertEqual(m.n_features_in_, 2)
        self.assertIsInstance(m.log_, pd.DataFrame)
        self.assertEqual(len(m.log_), SMALL["generations"] + 1)
        self.assertIn("best_mse", m.log_.columns)
        self.assertIsInstance(m.front_, pd.DataFrame)
        self.assertEqual(list(m.front_.columns),
                         ["size", "train_mse", "test_mse", "program"])
        self.assertEqual(m.manifest_["run"]["exit_status"], "0")
        self.assertEqual(m.manifest_["run"]["seed"], "2")
        self.assertTrue(os.path.isfile(os.path.join(m.run_dir_,
                                                    "manifest.ini")))

    def test_sympy(self):
        """sympy() computes what predict does (NumPy's functions: to
        1e-9)."""
        expr = self.model.sympy()
        self.assertIsInstance(expr, sympy.Expr)
        syms = [sympy.Symbol(n) for n in self.model.variable_names_]
        self.assertTrue(expr.free_symbols <= set(syms))
        f = sympy.lambdify(syms, expr, "numpy")
        got = np.broadcast_to(f(*self.X.T), (len(self.X),))
        np.testing.assert_allclose(got, self.model.predict(self.X),
                                   rtol=1e-9, atol=1e-12)

    def test_front_program(self):
        """predict(size=N) and sympy(size=N) use front_'s program of N
        nodes."""
        row = self.model.front_.iloc[0]
        p = self.model.predict(self.X, size=int(row["size"]))
        self.assertEqual(p.shape, (len(self.X),))
        self.assertIsInstance(self.model.sympy(size=int(row["size"])),
                              sympy.Expr)
        with self.assertRaises(ValueError):
            self.model.predict(self.X, size=10 ** 6)

    def test_export(self):
        """export() gives forkgp export's text."""
        self.assertIn("double forkgp_model(const double *x)",
                      self.model.export("c"))
        with self.assertRaisesRegex(ValueError, "format"):
            self.model.export("fortran")

    def test_score(self):
        self.assertGreater(self.model.score(self.X, self.y), 0.5)

    def test_pickle(self):
        """A pickled model predicts the same bits after the original and
        its temporary run folder are gone."""
        m = ForkGPRegressor(random_state=3, **SMALL).fit(self.X, self.y)
        want = m.predict(self.X)
        blob = pickle.dumps(m)
        folder = m.run_dir_
        self.assertTrue(os.path.isdir(folder))
        del m
        gc.collect()
        self.assertFalse(os.path.exists(folder))
        back = pickle.loads(blob)
        self.assertEqual(back.predict(self.X).tobytes(), want.tobytes())
        self.assertEqual(back.seed_, 3)

    def test_run_dir_kept(self):
        """A run_dir of one's own stays, a run folder forkgp resumes."""
        with tempfile.TemporaryDirectory() as tmp:
            run = os.path.join(tmp, "run")
            m = ForkGPRegressor(run_dir=run, random_state=1, **SMALL)
            m.fit(self.X, self.y)
            self.assertEqual(m.run_dir_, run)
            del m
            gc.collect()
            for name in ("best.txt", "log.csv", "manifest.ini", "config.ini",
                         "population.csv"):
                self.assertTrue(os.path.isfile(os.path.join(run, name)), name)

    def test_refit_removes_old_folder(self):
        m = ForkGPRegressor(random_state=1, **SMALL).fit(self.X, self.y)
        first = m.run_dir_
        m.fit(self.X, self.y)
        self.assertFalse(os.path.exists(first))
        self.assertTrue(os.path.isdir(m.run_dir_))

    def test_random_state(self):
        """None draws a seed from NumPy's global stream; a RandomState
        from itself."""
        np.random.seed(7)
        a = ForkGPRegressor(**SMALL).fit(self.X, self.y).seed_
        np.random.seed(7)
        b = ForkGPRegressor(**SMALL).fit(self.X, self.y).seed_
        self.assertEqual(a, b)
        c = ForkGPRegressor(random_state=np.random.RandomState(7), **SMALL)
        self.assertEqual(c.fit(self.X, self.y).seed_, a)

    def test_verbose(self):
        """verbose=True shows the engine's line per generation as it
        runs."""
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            ForkGPRegressor(verbose=True, random_state=1, **SMALL).fit(
                self.X, self.y)
        lines = out.getvalue().splitlines()
        self.assertTrue(lines[0].split()[:3] == ["gen", "best", "median"])
        gens = [l.split()[0] for l in lines[1:] if l[:5].strip().isdigit()]
        self.assertEqual(gens, [str(g) for g in range(SMALL["generations"] + 1)])
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet):
            ForkGPRegressor(random_state=1, **SMALL).fit(self.X, self.y)
        self.assertEqual(quiet.getvalue(), "")


class DataFrames(unittest.TestCase):
    def test_column_names(self):
        """DataFrame columns become variables; invalid names are made
        valid, feature_names_in_ keeps the originals."""
        X, y = quadratic()
        cols = ["mass", "rate 2", "3d", "sin", "a b", "a_b", "pi"]
        rng = np.random.RandomState(1)
        df = pd.DataFrame(np.c_[X, rng.uniform(size=(len(X), 5))],
                          columns=cols)
        m = ForkGPRegressor(random_state=1, **SMALL).fit(df, y)
        self.assertEqual(list(m.feature_names_in_), cols)
        self.assertEqual(m.variable_names_, ["mass", "rate_2", "x_3d", "sin_",
                                             "a_b", "a_b_2", "pi_"])
        self.assertEqual(m.best_["variables"], ", ".join(m.variable_names_))
        for name in ("rate 2", "3d"):
            self.assertNotIn(name, m.program_)
        p = m.predict(df)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # no names
            self.assertEqual(p.tobytes(), m.predict(df.to_numpy()).tobytes())
        with self.assertRaisesRegex(ValueError, "feature names"):
            m.predict(df[cols[::-1]])

    def test_names_in_program(self):
        """The program names DataFrame columns as they are."""
        X, y = quadratic()
        df = pd.DataFrame(X, columns=["speed", "angle"])
        m = ForkGPRegressor(random_state=1, **SMALL).fit(df, y)
        self.assertEqual(m.variable_names_, ["speed", "angle"])
        self.assertTrue("speed" in m.program_ or "angle" in m.program_)


class Errors(unittest.TestCase):
    def setUp(self):
        self.X, self.y = quadratic()

    def test_bad_value_is_engine_message(self):
        """A bad keyword is a ValueError with the engine's own message."""
        with self.assertRaises(ValueError) as cm:
            ForkGPRegressor(population=1).fit(self.X, self.y)
        self.assertEqual(str(cm.exception), "forkgp: --set run.population=1: "
                         "expected 2..10000000, got 1")
        with self.assertRaisesRegex(ValueError, "did you mean 'mse'"):
            ForkGPRegressor(metric="mes", **SMALL).fit(self.X, self.y)
        with self.assertRaisesRegex(ValueError, "primitives"):
            ForkGPRegressor(functions="add, frobnicate", **SMALL).fit(
                self.X, self.y)

    def test_key_the_fitness_does_not_use(self):
        with self.assertRaisesRegex(ValueError, "does not use it"):
            ForkGPClassifier(share=0.5, **SMALL).fit(self.X, self.y > 0)

    def test_list_values(self):
        """A list of functions is joined as the INI file writes it."""
        m = ForkGPRegressor(functions=["add", "mul", "sin"], random_state=1,
                            **SMALL).fit(self.X, self.y)
        self.assertNotIn("/", m.program_)

    def test_engine_not_found(self):
        old = os.environ["FORKGP_BIN"]
        os.environ["FORKGP_BIN"] = "/nonexistent/forkgp"
        try:
            with self.assertRaises(forkgp.EngineNotFound):
                ForkGPRegressor(**SMALL).fit(self.X, self.y)
        finally:
            os.environ["FORKGP_BIN"] = old

    def test_unfitted(self):
        from sklearn.exceptions import NotFittedError
        with self.assertRaises(NotFittedError):
            ForkGPRegressor().predict(self.X)


class Classifier(unittest.TestCase):
    def test_labels(self):
        """Any labels: predictions are among classes_, as the fitness
        picks them."""
        X, _ = quadratic()
        y = np.where(X[:, 0] > 0.2, "high", "low")
        m = ForkGPClassifier(random_state=1, **SMALL).fit(X, y)
        self.assertEqual(list(m.classes_), ["high", "low"])
        p = m.predict(X)
        self.assertTrue(set(p) <= {"high", "low"})
        o = m.output(X)
        want = m.classes_[np.clip(np.ceil(o), 0, 1).astype(int)]
        self.assertEqual(list(p), list(want))
        self.assertEqual(m.score(X, y), m.best_["train_accuracy"])

    def test_one_class(self):
        X, _ = quadratic()
        with self.assertRaisesRegex(ValueError, "only one class"):
            ForkGPClassifier(**SMALL).fit(X, np.ones(len(X)))


class Parallel(unittest.TestCase):
    def test_grid_search_n_jobs_2(self):
        """GridSearchCV with n_jobs=2: the fits run in joblib's worker
        processes, each starting its own engine."""
        X, y = quadratic()
        gs = GridSearchCV(ForkGPRegressor(random_state=1, **SMALL),
                          {"population": [20, 40]}, cv=2, n_jobs=2)
        gs.fit(X, y)
        self.assertEqual(len(gs.cv_results_["params"]), 2)
        self.assertTrue(np.all(np.isfinite(gs.cv_results_["mean_test_score"])))
        self.assertIn(gs.best_estimator_.population, (20, 40))
        self.assertTrue(gs.best_estimator_.program_)


if __name__ == "__main__":
    unittest.main()
