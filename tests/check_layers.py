#!/usr/bin/env python3
# check_layers: includes and calls go one way, down the layers, with no circle.
"""Checks the layering of forkgp's sources.

A module is one .c and its .h (STYLE.md), named by its path without the
extension: engine/farm is engine/farm.c and engine/farm.h. A module uses
another when one of its files includes the other's header (read from the
sources) or when its object refers to a symbol the other's object defines
(read with nm from the built objects, when --objects names the build folder:
that catches calls made without an include). The rules, each a check:

  - every module is in a layer (the table below);
  - includes go down the layers, and so do calls: a module uses modules of
    its own layer and of the layers its row names, nothing else;
  - a file under fitness/ includes only headers of fitness/ and the C
    library's, as a plug-in built against forkgp.h alone would;
  - some modules are private to a few others (ONLY_USED_BY);
  - no circle of modules using each other, within a layer or across.

Usage: tests/check_layers.py [--root DIR] [--objects BUILD]
       tests/check_layers.py --self-test

Prints one "ok   layers: RULE" or "FAIL layers: RULE" line per rule, the
broken ones followed by what breaks them; appends the same lines to the file
named by $TEST_RESULTS when set (make test). Exits 1 when a rule is broken.
"""

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile

# --- the layers, top to bottom: change the layering here ---------------------
# Each row: the layer's name, the layers it may use besides its own, and its
# modules (shell patterns allowed). main parses the command line and hands
# over to a command; a command (one per forkgp subcommand) drives the parts;
# the parts are the farm, the operators, the outputs and the plug-in loader;
# the plug-ins are the built-in fitness functions, which see only the public
# header forkgp.h (api); the core is the plain helpers everyone uses. A
# layer that skips one below (main calling the farm) breaks the layering as
# much as one that calls up. A module named outright belongs to that row
# even where another row's pattern matches it too (fitness/forkgp). A new
# core helper goes on the core row.
LAYERS = [
    ("main", "commands core api", "engine/main"),
    ("commands", "parts core api",
     "engine/run engine/batch engine/replay engine/plot engine/check "
     "engine/predict engine/export"),
    ("parts", "plug-ins core api",
     "engine/farm engine/farm_* engine/twin* engine/report engine/checkpoint "
     "engine/manifest engine/plugin engine/rescore operators/*"),
    ("plug-ins", "api", "fitness/*"),
    ("core", "api",
     "engine/tree engine/prim engine/interp engine/rng engine/pop "
     "engine/wire engine/csv engine/text engine/config engine/config_keys "
     "engine/vmath engine/stats engine/infix engine/parse engine/durable "
     "engine/child engine/contain engine/fitness engine/stop engine/build "
     "engine/exitcode "
     "engine/buf engine/hash engine/clock engine/path engine/error "
     "engine/model engine/front engine/jacobian engine/optimize "
     "engine/simplify engine/rundir engine/guard"),
    ("api", "", "fitness/forkgp"),
]

# Modules that only the listed modules may use (include or call).
ONLY_USED_BY = {
    "engine/run": "engine/main engine/batch",
}

# The folders holding modules, and where a quoted include is looked for
# after the including file's own folder (the compiler's -I list).
SOURCE_DIRS = ["engine", "operators", "fitness"]
INCLUDE_PATH = [".", "engine", "operators", "fitness"]

# The plug-in folder: its files include its own headers and the C library's.
PLUGIN_DIR = "fitness"
C_HEADERS = set("""assert.h complex.h ctype.h errno.h fenv.h float.h
    inttypes.h iso646.h limits.h locale.h math.h setjmp.h signal.h
    stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h stdio.h
    stdlib.h stdnoreturn.h string.h tgmath.h threads.h time.h uchar.h
    wchar.h wctype.h""".split())

# The plug-in API: the binary exports these to plug-ins (fitness/forkgp.sym),
# so a call to one is a use of the header that declares them, whichever
# engine file defines it.
API_MODULE, API_SYMBOLS = "fitness/forkgp", "fgp_*"

# The self-test's trees: a clean one, and a broken one whose findings are
# listed in its expected.txt.
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers")

# -----------------------------------------------------------------------------

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
RULES = {
    "layer": "every module is in a layer",
    "includes": "includes go down the layers",
    "calls": "calls go down the layers",
    "plugins": PLUGIN_DIR + "/ includes only " + PLUGIN_DIR
               + "/ and the C library",
    "private": "; ".join("only %s use %s" % (", ".join(users.split()), m)
                         for m, users in ONLY_USED_BY.items()),
    "circle": "no circle between modules",
}


def layer_of(module):
    """The name of module's layer, or None."""
    for name, _, mods in LAYERS:
        if module in mods.split():
            return name
    for name, _, mods in LAYERS:
        if any(fnmatch.fnmatchcase(module, p) for p in mods.split()):
            return name
    return None


def may_use(layer):
    """The layers a module of layer may use, its own included."""
    for name, uses, _ in LAYERS:
        if name == layer:
            return [name] + uses.split()
    return []


def sources(root):
    """Every .c and .h of the module folders, as paths relative to root."""
    files = []
    for d in SOURCE_DIRS:
        if os.path.isdir(os.path.join(root, d)):
            files += sorted(os.path.join(d, f)
                            for f in os.listdir(os.path.join(root, d))
                            if f.endswith((".c", ".h")))
    return files


def resolve(root, src, name):
    """The path (relative to root) of the file that '#include "name"' in src
    reads, or None when it is none of ours."""
    for d in [os.path.dirname(src)] + INCLUDE_PATH:
        path = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(os.path.join(root, path)):
            return path
    return None


def module_of(path):
    return os.path.splitext(path)[0]


def read_includes(root, files):
    """(file, '"' or '<', name, resolved path or None) for every #include."""
    found = []
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            for line in fh:
                m = INCLUDE_RE.match(line)
                if m:
                    path = resolve(root, f, m[2]) if m[1] == '"' else None
                    found.append((f, m[1], m[2], path))
    return found


def nm(obj, *flags):
    out = subprocess.run(["nm", *flags, obj], capture_output=True,
                         text=True, check=True).stdout
    return [line.split()[-1] for line in out.splitlines() if line.strip()]


def read_calls(objdir, modules):
    """(object, symbol, module defining it) for each symbol an object uses
    from another module, and notes on what could not be read."""
    if shutil.which("nm") is None:
        return [], ["calls not checked: no nm here"]
    if not os.path.isdir(objdir):
        return [], ["calls not checked: no folder '%s'" % objdir]
    objs, notes = {}, []
    for m in sorted(modules):
        if "c" in modules[m]:
            obj = os.path.join(objdir, m + ".o")
            if os.path.isfile(obj):
                objs[m] = obj
            else:
                notes.append("calls of %s not checked: no %s" % (m, obj))
    try:
        defined = {m: nm(obj, "-g", "--defined-only")
                   for m, obj in objs.items()}
        used = {m: nm(obj, "-u") for m, obj in objs.items()}
    except subprocess.CalledProcessError as e:
        return [], ["calls not checked: %s" % (e.stderr.strip() or e)]
    owner = {}
    for m, syms in defined.items():
        for sym in syms:
            owner.setdefault(sym, m)
    calls = []
    for m, syms in used.items():
        for sym in syms:
            if fnmatch.fnmatchcase(sym, API_SYMBOLS):
                to = API_MODULE
            else:
                to = owner.get(sym)
            if to and to != m:
                calls.append((m + ".o", sym, to))
    return calls, notes


def find_circles(edges):
    """The strongly connected components of more than one module (Tarjan)."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def check(root, objdir=None):
    """Every rule's findings (a list of lines each), and notes."""
    files = sources(root)
    modules = {}
    for f in files:
        modules.setdefault(module_of(f), {})[f[-1]] = f
    includes = read_includes(root, files)
    calls, notes = [], []
    if objdir:
        calls, notes = read_calls(objdir, modules)
    found = {rule: [] for rule in RULES}

    for m in sorted(modules):
        if layer_of(m) is None:
            found["layer"].append("%s: in no layer (add it to LAYERS in "
                                  "tests/check_layers.py)" % m)

    # Every use of one module by another, a file's uses of one module
    # together: (rule, the file, what it uses, the module used).
    grouped = {}
    for f, _, name, path in includes:
        if path:
            grouped.setdefault(("includes", f, module_of(path)),
                               []).append(name)
    for obj, sym, to in calls:
        grouped.setdefault(("calls", obj, to), []).append(sym)
    uses = [(rule, f, "%s %s" % ("includes" if rule == "includes" else
                                 "uses", ", ".join(names)), to)
            for (rule, f, to), names in grouped.items()
            if module_of(f) != to]

    for rule, what, how, to in uses:
        frm = module_of(what)
        lf, lt = layer_of(frm), layer_of(to)
        if lf and lt and lt not in may_use(lf):
            found[rule].append("%s %s: %s is in %s; the %s layer uses "
                               "only %s" % (what, how, to, lt, lf,
                                            ", ".join(may_use(lf))))
        users = ONLY_USED_BY.get(to)
        if users and frm not in users.split():
            found["private"].append("%s %s: %s is for %s only"
                                    % (what, how, to,
                                       ", ".join(users.split())))

    for f, kind, name, path in includes:
        if not f.startswith(PLUGIN_DIR + "/"):
            continue
        if kind == "<" and name not in C_HEADERS:
            found["plugins"].append("%s includes <%s>: not a C library "
                                    "header" % (f, name))
        elif kind == '"' and not (path or "").startswith(PLUGIN_DIR + "/"):
            found["plugins"].append('%s includes "%s" (%s)'
                                    % (f, name, path or "not found"))

    for comp in find_circles((module_of(w), t) for _, w, _, t in uses):
        inside = sorted("%s %s" % (w, h) for _, w, h, t in uses
                        if module_of(w) in comp and t in comp)
        found["circle"].append("%s, as %s" % (" <-> ".join(comp),
                                              "; ".join(inside)))
    return found, notes


def report(found, notes):
    """Prints (and records) one line per rule. Returns the exit status."""
    results = os.environ.get("TEST_RESULTS")
    status = 0
    for note in notes:
        print("     (%s)" % note)
    for rule, title in RULES.items():
        line = ("FAIL" if found[rule] else "ok  ") + " layers: " + title
        print(line)
        for detail in found[rule]:
            print("     " + detail)
        if results:
            with open(results, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        status |= bool(found[rule])
    return status


def compile_tree(root, out):
    """Compiles every .c of root into out (same paths, .o). Returns an
    error message, or None."""
    flags = ["-I" + os.path.join(root, d) for d in INCLUDE_PATH]
    for f in sources(root):
        if f.endswith(".c"):
            obj = os.path.join(out, module_of(f) + ".o")
            os.makedirs(os.path.dirname(obj), exist_ok=True)
            r = subprocess.run(["cc", "-c", *flags, "-o", obj,
                                os.path.join(root, f)],
                               capture_output=True, text=True)
            if r.returncode:
                return "cannot compile %s: %s" % (f, r.stderr.strip())
    return None


def self_test():
    """Runs the checks over the fixture trees: the clean one must pass and
    the broken one give exactly its expected.txt. Returns the exit status."""
    results = os.environ.get("TEST_RESULTS")
    status = 0
    for tree, title in (("good", "a clean tree passes"),
                        ("bad", "a broken tree gives the expected findings")):
        root = os.path.join(FIXTURES, tree)
        with tempfile.TemporaryDirectory() as out:
            err = compile_tree(root, out)
            found, _ = check(root, out) if not err else ({}, [])
        got = ["%s: %s" % (r, d) for r in RULES for d in found.get(r, [])]
        want = []
        if tree == "bad":
            with open(os.path.join(root, "expected.txt"),
                      encoding="utf-8") as fh:
                want = [l.rstrip("\n") for l in fh
                        if l.strip() and not l.startswith("#")]
        ok = not err and got == want
        line = ("ok  " if ok else "FAIL") + " layers self-test: " + title
        print(line)
        if err:
            print("     " + err)
        for d in sorted(set(got) - set(want)):
            print("     unexpected: " + d)
        for d in sorted(set(want) - set(got)):
            print("     missing:    " + d)
        if results:
            with open(results, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        status |= not ok
    return status


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    objdir = None
    args = iter(argv)
    for a in args:
        if a == "--self-test":
            return self_test()
        if a in ("--root", "--objects"):
            value = next(args, None)
            if value is None:
                sys.exit("check_layers: option '%s' needs a value" % a)
            if a == "--root":
                root = value
            else:
                objdir = value
        else:
            sys.exit("check_layers: unknown option '%s'\nusage: %s"
                     % (a, __doc__.split("Usage: ")[1].split("\n\n")[0]))
    return report(*check(root, objdir))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
