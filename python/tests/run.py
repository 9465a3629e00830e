#!/usr/bin/python3
"""Runs the Python package's tests (python/tests/test_*.py, unittest), each
test and each subtest a check: one line "ok   python/MODULE: NAME" or
"FAIL ..." (or "skip ...") appended to $TEST_RESULTS when set (make test;
tests/summary.sh counts them). FORKGP_BIN names the binary (make python
sets it). Exits 1 when a check failed.

Usage: FORKGP_BIN=build/forkgp python/tests/run.py [PATTERN]
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))


class Recorder(unittest.TextTestResult):
    """A TextTestResult that also writes each check's line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        path = os.environ.get("TEST_RESULTS")
        self.out = open(path, "a") if path else None
        self.with_subtests = set()
        self.failed_subtest = set()

    def record(self, status, test, detail=""):
        mod = test.id().split(".")[0]
        name = test.id().split(".", 1)[-1]
        line = "%-4s python/%s: %s%s" % (status, mod, name,
                                         (" " + detail) if detail else "")
        line = line.replace("\n", " ")
        if self.out:
            self.out.write(line + "\n")
            self.out.flush()

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        self.with_subtests.add(test.id())
        if err is not None:
            self.failed_subtest.add(test.id())
        self.record("ok" if err is None else "FAIL", subtest,
                    "" if err is None else "(%s)" % err[0].__name__)

    def addSuccess(self, test):
        super().addSuccess(test)
        # A test made of subtests counts by them, not once more.
        if test.id() not in self.with_subtests:
            self.record("ok", test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.record("FAIL", test, "(%s)" % err[0].__name__)

    def addError(self, test, err):
        super().addError(test, err)
        self.record("FAIL", test, "(%s)" % err[0].__name__)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.record("skip", test, "(%s)" % reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.record("ok", test)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.record("FAIL", test, "(unexpected success)")


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
    suite = unittest.defaultTestLoader.discover(HERE, pattern=pattern,
                                                top_level_dir=HERE)
    runner = unittest.TextTestRunner(verbosity=2, resultclass=Recorder,
                                     stream=sys.stdout)
    result = runner.run(suite)
    if result.testsRun == 0:
        path = os.environ.get("TEST_RESULTS")
        if path:
            with open(path, "a") as f:
                f.write("FAIL python/run: no test ran\n")
        return 1
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
