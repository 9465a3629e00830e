"""The package and the engine: the same run as the command line, numbers
handed over exactly, Ctrl-C, the generated keywords, make install."""
import copy
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import unittest

import numpy as np
import pandas as pd

from common import FORKGP, PYDIR, ROOT, SMALL, leftovers, quadratic
from forkgp import ForkGPRegressor
from forkgp._estimator import write_csv

OUTPUTS = ("log.csv", "best.txt", "population.csv", "front.csv")


def read(path):
    with open(path, "rb") as f:
        return f.read()


class SameAsCommandLine(unittest.TestCase):
    def test_same_seed_same_run(self):
        """The same data, keys and seed give the command line's bytes."""
        X, y = quadratic(80, seed=5)
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "train.csv"), "w") as f:
                f.write("a,b,y\n")
                for row, t in zip(X.tolist(), y.tolist()):
                    f.write("%r,%r,%r\n" % (row[0], row[1], t))
            with open(os.path.join(tmp, "run.ini"), "w") as f:
                f.write(textwrap.dedent("""\
                    [run]
                    seed = 11
                    population = 60
                    generations = 5
                    workers = 0
                    [data]
                    train = train.csv
                    target = y
                    [primitives]
                    functions = add, sub, mul, aq, sin
                    [selection]
                    method = nsga2
                    """))
            cli = os.path.join(tmp, "cli")
            subprocess.run([FORKGP, "run", os.path.join(tmp, "run.ini"),
                            "--quiet", "--out", cli], check=True,
                           stdout=subprocess.DEVNULL)
            py = os.path.join(tmp, "py")
            ForkGPRegressor(population=60, generations=5, workers=0,
                            functions="add, sub, mul, aq, sin",
                            selection_method="nsga2", random_state=11,
                            run_dir=py).fit(
                pd.DataFrame(X, columns=["a", "b"]), y)
            for name in OUTPUTS:
                self.assertEqual(read(os.path.join(cli, name)),
                                 read(os.path.join(py, name)), name)
            # And forkgp predict's bits on new rows.
            Xn = np.random.RandomState(9).uniform(-2, 2, size=(50, 2))
            write_csv(os.path.join(tmp, "new.csv"), ["a", "b"],
                      [Xn[:, 0], Xn[:, 1]])
            out = subprocess.run([FORKGP, "predict", cli, "--data",
                                  os.path.join(tmp, "new.csv")], check=True,
                                 capture_output=True, text=True).stdout
            want = np.array([float(v) for v in out.split()[1:]])
            got = ForkGPRegressor(random_state=11)
            got = ForkGPRegressor(population=60, generations=5, workers=0,
                                  functions="add, sub, mul, aq, sin",
                                  selection_method="nsga2", random_state=11)
            got.fit(pd.DataFrame(X, columns=["a", "b"]), y)
            self.assertEqual(got.predict(pd.DataFrame(Xn, columns=["a", "b"]))
                             .tobytes(), want.tobytes())


class Exact(unittest.TestCase):
    def test_numbers_cross_exactly(self):
        """Numbers go to the engine and come back bit for bit: the program
        x0 returns its input, awkward doubles included."""
        X, y = quadratic()
        m = ForkGPRegressor(random_state=1, **SMALL).fit(X, y)
        ident = copy.deepcopy(m)
        best = ident._files["best.txt"].split("\n", 1)
        ident._files["best.txt"] = "x0\n" + best[1]
        col = np.array([5e-324, -0.0, 0.1 + 0.2, 1.7976931348623157e308,
                        2.2250738585072014e-308, 1 / 3, -1e-300,
                        123456789.12345679, np.nextafter(1.0, 2.0), 1e22,
                        -2.5e-310, np.pi, 0.0])
        col = np.concatenate([col, np.random.RandomState(4).standard_normal(
            200) * 10.0 ** np.random.RandomState(5).randint(-300, 300, 200)])
        Xe = np.c_[col, np.zeros_like(col)]
        got = ident.output(Xe)
        self.assertEqual(got.view(np.uint64).tolist(),
                         col.view(np.uint64).tolist())

    def test_training_score(self):
        """Predictions on the training rows give best.txt's train_mse (to
        the order of summation)."""
        X, y = quadratic()
        m = ForkGPRegressor(random_state=4, **SMALL).fit(X, y)
        mse = np.mean((m.predict(X) - y) ** 2)
        self.assertAlmostEqual(mse, m.best_["train_mse"],
                               delta=1e-12 * max(1.0, mse))


class Interrupt(unittest.TestCase):
    CHILD = textwrap.dedent("""\
        import signal, sys
        # A background shell starts us with SIGINT ignored: take it back.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.path.insert(0, %(pydir)r)
        import numpy as np
        from forkgp import ForkGPRegressor
        rng = np.random.RandomState(0)
        X = rng.uniform(-1, 1, size=(200, 2))
        m = ForkGPRegressor(population=500, generations=10000000, workers=2,
                            max_seconds=300, verbose=True, random_state=1,
                            run_dir=%(run)r)
        try:
            m.fit(X, X[:, 0] ** 2 + X[:, 1])
            print("finished", flush=True)
        except KeyboardInterrupt:
            print("KeyboardInterrupt", flush=True)
        """)

    def test_ctrl_c(self):
        """Ctrl-C during a fit: the engine stops as on SIGINT (exit 130,
        its outputs written), fit raises KeyboardInterrupt, and no process
        is left."""
        with tempfile.TemporaryDirectory() as tmp:
            run = os.path.join(tmp, "interrupted-run")
            script = os.path.join(tmp, "child.py")
            with open(script, "w") as f:
                f.write(self.CHILD % {"pydir": PYDIR, "run": run})
            child = subprocess.Popen([sys.executable, script],
                                     stdout=subprocess.PIPE, text=True,
                                     start_new_session=True)
            try:
                seen = []
                for line in child.stdout:
                    seen.append(line)
                    if line.split()[:1] == ["2"]:  # generation 2 is done
                        break
                self.assertTrue(leftovers(run), "no engine running")
                os.kill(child.pid, signal.SIGINT)
                rest = child.stdout.read()
                status = child.wait(timeout=300)
            finally:
                if child.poll() is None:
                    child.kill()
                    child.wait()
            self.assertEqual(status, 0)
            self.assertEqual(rest.strip().splitlines()[-1], "KeyboardInterrupt",
                             rest[-500:])
            with open(os.path.join(run, "manifest.ini")) as f:
                self.assertIn("exit_status = 130", f.read())
            with open(os.path.join(run, "best.txt")) as f:
                self.assertIn("stopped = interrupted", f.read())
            self.assertEqual(leftovers(run), [])


class GeneratedKeys(unittest.TestCase):
    TOOL = os.path.join(ROOT, "tools", "python_keys.py")
    KEYS = os.path.join(PYDIR, "forkgp", "_keys.py")

    def setUp(self):
        if not os.path.isfile(self.TOOL):
            self.skipTest("not in forkgp's source tree")

    def check(self, path):
        return subprocess.run([sys.executable, self.TOOL, FORKGP, path,
                               "--check"], capture_output=True, text=True)

    def test_keys_fresh(self):
        """_keys.py is what the binary's key table makes (make regenerates
        it)."""
        r = self.check(self.KEYS)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_stale_keys_fail(self):
        """A _keys.py that the table no longer makes fails the check."""
        with open(self.KEYS) as f:
            text = f.read()
        with tempfile.NamedTemporaryFile("w", suffix=".py") as f:
            f.write(text.replace("('population', 'run', 'population', 'int', "
                                 "'500', 500)", "('population', 'run', "
                                 "'population', 'int', '400', 400)"))
            f.flush()
            r = self.check(f.name)
        self.assertEqual(r.returncode, 1)
        self.assertIn("stale", r.stderr)


class Install(unittest.TestCase):
    def test_make_install(self):
        """make install PREFIX=P places the module, which finds P's forkgp
        with neither FORKGP_BIN nor PATH."""
        if not os.path.isfile(os.path.join(ROOT, "Makefile")):
            self.skipTest("not in forkgp's source tree")
        build = os.environ.get("BUILD", "build")
        with tempfile.TemporaryDirectory() as tmp:
            prefix = os.path.join(tmp, "inst")
            r = subprocess.run(["make", "-s", "install", "PREFIX=" + prefix,
                                "BUILD=" + build], cwd=ROOT,
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr[-500:])
            site = os.path.join(prefix, "lib", "python%d.%d" %
                                sys.version_info[:2], "dist-packages")
            env = {k: v for k, v in os.environ.items()
                   if k not in ("FORKGP_BIN", "PYTHONPATH")}
            env["PATH"] = "/usr/bin:/bin"
            env["PYTHONPATH"] = site
            code = textwrap.dedent("""\
                import numpy as np, forkgp
                print(forkgp.binary())
                print(forkgp.__file__)
                X = np.arange(20.0).reshape(10, 2)
                m = forkgp.ForkGPRegressor(population=20, generations=1,
                                           workers=0).fit(X, X[:, 0])
                print(m.program_)
                """)
            r = subprocess.run([sys.executable, "-c", code], cwd=tmp, env=env,
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr[-500:])
            lines = r.stdout.splitlines()
            self.assertEqual(lines[0], os.path.join(prefix, "bin", "forkgp"))
            self.assertTrue(lines[1].startswith(site))


class Readme(unittest.TestCase):
    def test_readme_example(self):
        """The README's Python example runs as it stands and finds
        x0^(3/2)."""
        path = os.path.join(ROOT, "README.md")
        if not os.path.isfile(path):
            self.skipTest("not in forkgp's source tree")
        with open(path) as f:
            lines = f.read().split("## From Python\n", 1)[1].splitlines()
        code = []
        for line in lines[1:]:
            if not line.startswith("    "):
                break
            code.append(line[4:])
        self.assertEqual(len(code), 5)
        r = subprocess.run([sys.executable, "-c", "\n".join(code)],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr[-500:])
        self.assertIn("x0*sqrt(Abs(x0))", r.stdout)


if __name__ == "__main__":
    unittest.main()
