#!/usr/bin/python3
"""fuzz_inputs: mutation fuzzing of what a user hands forkgp (config files,
CSV data, --set values, program text for `forkgp eval`), best against the
sanitizer build. Not part of make test. From the repository root:

    make asan                      # or: make BUILD=build/asan SANITIZE=1 \\
                                   #     OPT='-O1 -g' build/asan/forkgp
    tools/fuzz_inputs.py build/asan/forkgp 5000 1

Each case mutates a shipped config, data set, program or --set value
(mostly one value swapped for an edge case: 0, -1, 65536, 1e300, nan,
an empty field; sometimes bytes inserted, deleted, repeated or lines
shuffled) and runs `forkgp check`, `run` (population 30, 2 generations)
or `eval` on it; or it damages one file of a run's folder (a byte
changed, the file cut short or removed) and runs `forkgp resume` there. A finding is an exit status other than 0, 1 or 2, a
sanitizer's report, or a run past 60 s: its inputs, command and stderr
are kept in fuzz-findings/ for replay. Usage: FORKGP CASES [SEED].
"""
import sys

# -h, --help: the docstring above, before anything else is read or written.
if sys.argv[1:2] in (["-h"], ["--help"]):
    print(__doc__.strip())
    sys.exit(0)

import glob
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

forkgp = os.path.abspath(sys.argv[1])
cases = int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
rnd = random.Random(seed)
root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
work = tempfile.mkdtemp(prefix='forkgp-fuzz-')
findings_dir = os.path.join(root, 'fuzz-findings')

# The shipped configs, and the examples' where their plug-ins are built
# beside the binary (make examples; make asan builds them too).
examples = os.path.join(os.path.dirname(forkgp), 'examples')
inis = sorted(glob.glob(root + '/configs/*.ini'))
if os.path.isdir(examples):
    inis += sorted(glob.glob(root + '/examples/*.ini'))
csvs = [c for c in sorted(glob.glob(root + '/configs/data/*.csv'))
        if os.path.getsize(c) < 200000]
config_of = {'quartic.csv': 'quartic', 'kepler.csv': 'kepler',
             'iris.csv': 'iris', 'nguyen7.csv': 'nguyen7'}
programs = ['x', '(x + 1)', '((x * x) - (x / 2.5))', 'sin(x)', 'exp(log(x))',
            'if(x, y, z)', 'and(x, or(y, z))', '(-(2))', '(x0 + x1)',
            'sqrt(abs(x))']
keys = ['run.population', 'run.generations', 'run.workers', 'run.seed',
        'run.eval_timeout', 'tree.max_depth', 'tree.init_max_depth',
        'tree.max_size', 'operators.tournament_size', 'operators.elitism',
        'operators.crossover', 'operators.mutation', 'primitives.functions',
        'primitives.constants', 'fitness.metric', 'fitness.parsimony',
        'data.target', 'data.test', 'output.checkpoint_every']
# Values that have broken parsers elsewhere, and edge cases of numbers.
nasty = [b'', b'\x00', b'nan', b'inf', b'-inf', b'1e309', b'-0', b'0x1p3',
         b'1e-320', b'9' * 400, b'"', b',', b';', b'[', b']', b'=', b'\n',
         b'\r\n', b'\t', b' ', b'\xff\xfe', b'..', b'-1..1', b'auto',
         b'99999999999999999999', b'-1', b'\xc3\xa9', b'%s%n', b'$(x)',
         b'x,x', b'1,2,3,4,5,6,7,8,9,10']
edge = [b'0', b'1', b'2', b'-1', b'1000000', b'65535', b'65536',
        b'4294967296', b'1e300', b'nan', b'inf', b'', b'0.0', b'1e-300',
        b'-0', b'3.5']


def swap_value(data):
    """One value after '=' or one CSV field, swapped for an edge case."""
    data = bytearray(data)
    seps = [i for i, c in enumerate(data) if c in b'=,']
    if not seps:
        return bytes(data)
    k = rnd.choice(seps)
    e = k + 1
    while e < len(data) and data[e] not in b',\n':
        e += 1
    data[k + 1:e] = (b' ' if data[k] == ord('=') else b'') + \
        rnd.choice(edge + nasty[:8])
    return bytes(data)


def mutate(data):
    if rnd.random() < 0.6:
        return swap_value(data)
    data = bytearray(data)
    for _ in range(rnd.randint(1, 3)):
        i = rnd.randrange(len(data) + 1)
        op = rnd.randrange(5)
        if op == 0 or not data:
            data[i:i] = rnd.choice(nasty) * rnd.choice([1, 1, 1, 50])
        elif op == 1 and i < len(data):
            data[i] = rnd.randrange(256)
        elif op == 2:
            del data[i:i + rnd.randint(1, 40)]
        elif op == 3:
            data[i:i] = data[i:i + rnd.randint(1, 80)] * rnd.randint(1, 4)
        else:
            lines = bytes(data).split(b'\n')
            rnd.shuffle(lines)
            data = bytearray(b'\n'.join(lines))
    return bytes(data)


findings = 0
counts = {}

# A finished run's folder, for the resume cases.
run_dir = os.path.join(work, 'base-run')
subprocess.run([forkgp, 'run', f'{root}/configs/quartic.ini', '--quiet',
                '--set', 'run.generations=3', '--set', 'run.population=50',
                '--set', 'output.checkpoint_every=1',
                '--set', 'output.checkpoint_seconds=0',
                '--set', 'fitness.target_fitness=none', '--out', run_dir],
               capture_output=True, check=True)
run_files = sorted(os.listdir(run_dir))


def damage(path):
    data = bytearray(open(path, 'rb').read())
    how = rnd.randrange(4)
    if how == 0 and data:
        i = rnd.randrange(len(data))
        data[i] ^= 1 << rnd.randrange(8)
    elif how == 1:
        del data[rnd.randrange(len(data) + 1):]
    elif how == 2:
        os.remove(path)
        return
    else:
        data = bytearray(mutate(bytes(data)))
    open(path, 'wb').write(data)


def run(args, what):
    global findings
    env = dict(os.environ, ASAN_OPTIONS='detect_leaks=1',
               UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1')
    try:
        p = subprocess.run([forkgp] + args, cwd=work, capture_output=True,
                           timeout=60, env=env)
        status, err = p.returncode, p.stderr.decode('utf8', 'replace')
    except subprocess.TimeoutExpired:
        status, err = 'timeout', ''
    counts[(what, status)] = counts.get((what, status), 0) + 1
    if status in (0, 1, 2) and 'Sanitizer' not in err and \
            'runtime error' not in err:
        return
    findings += 1
    keep = os.path.join(findings_dir, f'seed{seed}-{findings}')
    os.makedirs(keep, exist_ok=True)
    for f in glob.glob(work + '/in.*'):
        shutil.copy(f, keep)
    with open(os.path.join(keep, 'command'), 'w') as f:
        f.write(f'{args!r}\nexit {status}\n{err[-4000:]}')
    print(f'FINDING ({what}, exit {status}): {keep}')


t0 = time.time()
for _ in range(cases):
    for f in glob.glob(work + '/in.*'):
        os.remove(f)
    shutil.rmtree(work + '/out', ignore_errors=True)
    small = ['--set', 'run.population=30', '--set', 'run.generations=2',
             '--set', 'run.workers=' + rnd.choice(['0', '1', '2'])]
    kind = rnd.randrange(5)
    if kind == 0:
        ini = rnd.choice(inis)
        text = open(ini, 'rb').read().replace(
            b'train = data/', f'train = {root}/configs/data/'.encode())
        text = text.replace(b'function = ../build/examples/',
                            f'function = {examples}/'.encode())
        text = text.replace(b'= ../', f'= {root}/'.encode())
        open(work + '/in.ini', 'wb').write(mutate(text))
        run(['check', 'in.ini'], 'check')
        run(['run', 'in.ini', '--quiet', '--out', 'out'] + small, 'run')
    elif kind == 1:
        csv = rnd.choice(csvs)
        open(work + '/in.csv', 'wb').write(mutate(open(csv, 'rb').read()))
        cfg = config_of.get(os.path.basename(csv), 'quartic')
        run(['run', f'{root}/configs/{cfg}.ini', '--quiet', '--out', 'out',
             '--set', f'data.train={work}/in.csv'] + small, 'csv')
    elif kind == 2:
        prog = mutate(rnd.choice(programs).encode())
        prog = prog.replace(b'\x00', b'').decode('latin1')
        cfg = rnd.choice(['quartic', 'keijzer6', 'multiplexer6', 'nguyen7'])
        run(['eval', f'{root}/configs/{cfg}.ini', '--program', prog], 'eval')
    elif kind == 3:
        shutil.copytree(run_dir, work + '/out')
        damage(os.path.join(work, 'out', rnd.choice(run_files)))
        run(['resume', 'out', '--quiet'] +
            rnd.choice([[], ['--workers', '0'], ['--workers', '2']]), 'resume')
    else:
        args = []
        for _ in range(rnd.randint(1, 3)):
            value = mutate(rnd.choice([b'1', b'10', b'add, mul', b'-1..1',
                                       b'auto', b'0.5']))
            value = value.replace(b'\x00', b'').decode('latin1')
            args += ['--set', f'{rnd.choice(keys)}={value}']
        run(['run', f'{root}/configs/quartic.ini', '--quiet', '--out', 'out']
            + small[:4] + args, 'set')
shutil.rmtree(work, ignore_errors=True)
print('exit statuses:', ', '.join(f'{w} {s}: {n}' for (w, s), n
                                  in sorted(counts.items(), key=str)))
print(f'seed {seed}: {cases} cases, {findings} findings, '
      f'{time.time() - t0:.0f} s')
sys.exit(1 if findings else 0)
