"""scikit-learn's own estimator checks (check_estimator, Debian's
python3-sklearn), each check a subtest. None is skipped."""
import unittest
import warnings

from sklearn.utils.estimator_checks import check_estimator

from common import SMALL  # noqa: F401 (sets FORKGP_BIN and the path)
from forkgp import ForkGPClassifier, ForkGPRegressor


def run_checks(case, estimator):
    seen = {}
    for est, check in check_estimator(estimator, generate_only=True):
        name = getattr(check, "func", check).__name__
        seen[name] = seen.get(name, 0) + 1
        label = name if seen[name] == 1 else "%s #%d" % (name, seen[name])
        with case.subTest(check="%s %s" % (type(estimator).__name__, label)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                check(est)


class CheckEstimator(unittest.TestCase):
    def test_regressor(self):
        run_checks(self, ForkGPRegressor(population=60, generations=8,
                                         workers=0))

    def test_classifier(self):
        # check_classifiers_train asks for an accuracy above 0.83 on three
        # blobs (random_state 0): a run of 500 x 30 gets 0.91 there.
        run_checks(self, ForkGPClassifier(population=500, generations=30,
                                          workers=0))


if __name__ == "__main__":
    unittest.main()
