"""How the package finds the forkgp binary and runs it."""
import os
import shutil
import signal
import subprocess
import sys


# A process group of the engine's own (Python 3.11's process_group; before,
# a session of its own, which makes one too).
_GROUP = ({"process_group": 0} if sys.version_info >= (3, 11)
          else {"start_new_session": True})


class EngineNotFound(FileNotFoundError):
    """No forkgp binary: FORKGP_BIN, the installed one, or PATH."""


def binary():
    """The forkgp binary to run: $FORKGP_BIN when set; else the one make
    install recorded beside this package (_install.py); else `forkgp` on
    PATH. Raises EngineNotFound when there is none."""
    env = os.environ.get("FORKGP_BIN")
    if env:
        if not (os.path.isfile(env) and os.access(env, os.X_OK)):
            raise EngineNotFound("FORKGP_BIN=%s: not an executable file" % env)
        return env
    try:
        from . import _install
    except ImportError:
        _install = None
    if _install is not None and os.path.isfile(_install.FORKGP_BIN) and \
            os.access(_install.FORKGP_BIN, os.X_OK):
        return _install.FORKGP_BIN
    found = shutil.which("forkgp")
    if found:
        return found
    raise EngineNotFound(
        "cannot find the forkgp engine: set FORKGP_BIN to its path, or put "
        "forkgp on PATH (make install does both)")


def run(args, *, stdout_to=None, stderr_path, verbose=False):
    """Runs forkgp ARGS and returns its exit status, its stderr in
    stderr_path. verbose copies its stdout to sys.stdout line by line as it
    comes; else it goes to the file stdout_to (or nowhere).

    The engine runs in a process group of its own, so that a terminal's
    Ctrl-C reaches it once, through Python: a KeyboardInterrupt while it
    runs is forwarded to it as one SIGINT (a second one as a second SIGINT,
    which ends it at once, as on the command line), the engine is waited
    for, and then KeyboardInterrupt is raised. Any other exception kills it
    (SIGKILL; its workers die with it) and waits before going on, so that
    no process is left behind."""
    cmd = [binary()] + list(args)
    with open(stderr_path, "w") as err:
        out = subprocess.PIPE if verbose else (
            open(stdout_to, "w") if stdout_to else subprocess.DEVNULL)
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=err, text=verbose,
                                    bufsize=1 if verbose else -1, **_GROUP)
        finally:
            if out not in (subprocess.PIPE, subprocess.DEVNULL):
                out.close()
        interrupted = False
        try:
            while True:
                try:
                    if verbose:
                        for line in proc.stdout:
                            sys.stdout.write(line)
                            sys.stdout.flush()
                    proc.wait()
                    break
                except KeyboardInterrupt:
                    interrupted = True
                    if proc.poll() is None:
                        proc.send_signal(signal.SIGINT)
        except BaseException:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            raise
        finally:
            if proc.stdout:
                proc.stdout.close()
    if interrupted or proc.returncode == 130:
        raise KeyboardInterrupt
    return proc.returncode
