#!/usr/bin/env python3
"""DEAP's symbolic-regression example, set up as configs/quartic.ini, timed.

Usage: python3 tools/deap_quartic.py ROWS_CSV POP GENS SEED
                                    [points|trig|leaf|koza]

Needs Debian's python3-deap (and its python3-numpy): run it with the
python3 that has them, /usr/bin/python3 on Debian. ROWS_CSV is an x,y CSV
with a header (configs/data/quartic.csv, quartic10k.csv). The setup is
DEAP's examples/gp/symbreg.py with forkgp's quartic choices: functions add,
sub, mul and a protected div (1 where the divisor is 0, as symbreg.py's;
forkgp's div is IEEE's, and a program that divides by 0 is invalid);
an ephemeral constant uniform in [-1, 1); ramped half-and-half from depth
1 to 3; tournaments of 7; one-point crossover (probability 0.9) and
uniform mutation by a full tree of depth 0..2 (probability 0.05), both
limited to height 17; DEAP's eaSimple (varAnd, no elitism) for GENS
generations, no early stop. Fitness is the MSE over the whole column,
computed by numpy on the compiled program; with `points`, as symbreg.py
itself computes it: the compiled program called on one row at a time, in
plain Python floats (protected division by try/except), the squares
summed by math.fsum. On 20 rows that is the slower of the two (about 4.1 s
against 3.2 s here), so the benchmark compares forkgp with the numpy one.
With `trig`, numpy's columns again, and the functions sin, cos, exp and a
protected log (log |a|, 0 where a == 0, as forkgp's) join the four.

The crossover is symbreg.py's cxOnePoint, which picks its points
uniformly over the nodes (the root excepted). forkgp's picks a function
node 90% of the time (Koza's rule, [operators] internal_bias = 0.9),
which DEAP has too, as cxOnePointLeafBiased(termpb=0.1): with `leaf`,
that one (numpy's columns). DEAP 1.3.1's version calls random.sample on a
set, which Python 3.11 refuses, so this script carries it with that one
call on a sorted list, the rest as DEAP wrote it. Neither of DEAP's
crossovers ever picks a root. forkgp's does, as Koza's and gplearn's:
with `koza`, DEAP runs forkgp's default crossover exactly (cx_koza: each
parent's point a function node with probability 0.9 when it has one, else
a terminal, uniformly among the nodes of that kind, the root included), so
that forkgp's defaults can be set beside DEAP with the same operators.

Prints "deap_seconds=<t> best_mse=<m>" (t: the evolution's wall time, the
CSV load and the setup excluded; m: the best of the run), then
"deap_evaluations=<n>" (eaSimple evaluates only changed individuals) and
"deap_evaluated_nodes=<n>" (their nodes: times the rows, DEAP's GPops).
"""
import sys

# -h, --help: the docstring above, before anything else is read or written.
if sys.argv[1:2] in (["-h"], ["--help"]):
    print(__doc__.strip())
    sys.exit(0)

import collections
import functools
import math
import operator
import random
import sys
import time

import numpy as np
from deap import algorithms, base, creator, gp, tools

PENALTY = sys.float_info.max  # the fitness of a non-finite prediction


def protected_div(a, b):
    # Elementwise a / b, 1 where b == 0; a and b are arrays or scalars.
    b_safe = np.where(b == 0, 1.0, b)
    return np.where(b == 0, 1.0, a / b_safe)


def protected_log(a):
    # Elementwise log |a|, 0 where a == 0 (forkgp's log gives -inf there).
    a = np.abs(a)
    return np.where(a == 0, 0.0, np.log(np.where(a == 0, 1.0, a)))


def cx_one_point_leaf_biased(ind1, ind2, termpb):
    # DEAP 1.3.1's gp.cxOnePointLeafBiased, but for random.sample on a
    # sorted list of the common types rather than on a set.
    if len(ind1) < 2 or len(ind2) < 2:
        return ind1, ind2
    terminal_op = functools.partial(operator.eq, 0)
    primitive_op = functools.partial(operator.lt, 0)
    arity_op1 = terminal_op if random.random() < termpb else primitive_op
    arity_op2 = terminal_op if random.random() < termpb else primitive_op
    types1 = collections.defaultdict(list)
    types2 = collections.defaultdict(list)
    for idx, node in enumerate(ind1[1:], 1):
        if arity_op1(node.arity):
            types1[node.ret].append(idx)
    for idx, node in enumerate(ind2[1:], 1):
        if arity_op2(node.arity):
            types2[node.ret].append(idx)
    common_types = sorted(set(types1) & set(types2), key=str)
    if len(common_types) > 0:
        type_ = random.sample(common_types, 1)[0]
        index1 = random.choice(types1[type_])
        index2 = random.choice(types2[type_])
        slice1 = ind1.searchSubtree(index1)
        slice2 = ind2.searchSubtree(index2)
        ind1[slice1], ind2[slice2] = ind2[slice2], ind1[slice1]
    return ind1, ind2


def cx_koza(ind1, ind2, internal_bias):
    # forkgp's crossover points ([operators] internal_bias = 0.9,
    # root_crossover = allow), on DEAP's trees: in each parent, a function
    # node with probability internal_bias when there is one, else a
    # terminal; uniform among the nodes of that kind, the root included.
    # The two subtrees are swapped, as DEAP's crossovers do.
    def point(ind):
        functions = [i for i, node in enumerate(ind) if node.arity > 0]
        if functions and random.random() < internal_bias:
            return random.choice(functions)
        return random.choice([i for i, node in enumerate(ind)
                              if node.arity == 0])
    slice1 = ind1.searchSubtree(point(ind1))
    slice2 = ind2.searchSubtree(point(ind2))
    ind1[slice1], ind2[slice2] = ind2[slice2], ind1[slice1]
    return ind1, ind2


def protected_div_point(a, b):
    # symbreg.py's protectedDiv, for one row's floats.
    try:
        return a / b
    except ZeroDivisionError:
        return 1.0


def main():
    if len(sys.argv) not in (5, 6) or sys.argv[5:] not in (
            [], ["points"], ["trig"], ["leaf"], ["koza"]):
        sys.exit("usage: deap_quartic.py ROWS_CSV POP GENS SEED "
                 "[points|trig|leaf|koza]")
    path, pop_size, gens, seed = (sys.argv[1], int(sys.argv[2]),
                                  int(sys.argv[3]), int(sys.argv[4]))
    by_point = sys.argv[5:] == ["points"]
    trig = sys.argv[5:] == ["trig"]
    leaf = sys.argv[5:] == ["leaf"]
    koza = sys.argv[5:] == ["koza"]
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    xs, ys = data[:, 0].copy(), data[:, 1].copy()
    np.seterr(all="ignore")  # overflow and the like: caught as non-finite

    pset = gp.PrimitiveSet("MAIN", 1)
    pset.addPrimitive(operator.add, 2)
    pset.addPrimitive(operator.sub, 2)
    pset.addPrimitive(operator.mul, 2)
    pset.addPrimitive(protected_div_point if by_point else protected_div, 2,
                      name="protected_div")
    if trig:
        pset.addPrimitive(np.sin, 1, name="sin")
        pset.addPrimitive(np.cos, 1, name="cos")
        pset.addPrimitive(np.exp, 1, name="exp")
        pset.addPrimitive(protected_log, 1, name="log")
    pset.addEphemeralConstant("erc", lambda: random.uniform(-1, 1))
    pset.renameArguments(ARG0="x")

    creator.create("FitnessMin", base.Fitness, weights=(-1.0,))
    creator.create("Individual", gp.PrimitiveTree,
                   fitness=creator.FitnessMin)

    points = list(zip(xs.tolist(), ys.tolist()))
    evaluated_nodes = [0]  # the nodes of every program evaluated

    def evaluate_by_point(ind):
        evaluated_nodes[0] += len(ind)
        func = toolbox.compile(expr=ind)
        try:
            mse = math.fsum((func(x) - y) ** 2 for x, y in points) / len(points)
        except (OverflowError, ValueError):
            return (PENALTY,)
        return (mse if math.isfinite(mse) else PENALTY,)

    def evaluate(ind):
        evaluated_nodes[0] += len(ind)
        func = toolbox.compile(expr=ind)
        try:
            # A program without x gives a scalar: broadcast by the subtraction.
            err = np.asarray(func(xs), dtype=float) - ys
            mse = float(np.mean(err * err))
        except (OverflowError, ZeroDivisionError, FloatingPointError):
            return (PENALTY,)
        return (mse if np.isfinite(mse) else PENALTY,)

    toolbox = base.Toolbox()
    toolbox.register("expr", gp.genHalfAndHalf, pset=pset, min_=1, max_=3)
    toolbox.register("individual", tools.initIterate, creator.Individual,
                     toolbox.expr)
    toolbox.register("population", tools.initRepeat, list,
                     toolbox.individual)
    toolbox.register("compile", gp.compile, pset=pset)
    toolbox.register("evaluate", evaluate_by_point if by_point else evaluate)
    toolbox.register("select", tools.selTournament, tournsize=7)
    if leaf:
        toolbox.register("mate", cx_one_point_leaf_biased, termpb=0.1)
    elif koza:
        toolbox.register("mate", cx_koza, internal_bias=0.9)
    else:
        toolbox.register("mate", gp.cxOnePoint)
    toolbox.register("expr_mut", gp.genFull, min_=0, max_=2)
    toolbox.register("mutate", gp.mutUniform, expr=toolbox.expr_mut,
                     pset=pset)
    limit = gp.staticLimit(key=operator.attrgetter("height"), max_value=17)
    toolbox.decorate("mate", limit)
    toolbox.decorate("mutate", limit)

    random.seed(seed)
    start = time.perf_counter()
    pop = toolbox.population(n=pop_size)
    hof = tools.HallOfFame(1)
    _, log = algorithms.eaSimple(pop, toolbox, cxpb=0.9, mutpb=0.05,
                                 ngen=gens, halloffame=hof, verbose=False)
    seconds = time.perf_counter() - start

    print(f"deap_seconds={seconds:.3f} best_mse={hof[0].fitness.values[0]!r}")
    print(f"deap_evaluations={sum(log.select('nevals'))}")
    print(f"deap_evaluated_nodes={evaluated_nodes[0]}")


if __name__ == "__main__":
    main()
