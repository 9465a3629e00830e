/* build: what built this binary (version, commit, compiler, flags), for
 * manifests, checkpoints and --version. FORKGP_VERSION, FORKGP_COMMIT and
 * FORKGP_CFLAGS come from the Makefile. */
#ifndef FORKGP_BUILD_H
#define FORKGP_BUILD_H

#if defined(__clang__)
#define FORKGP_CC "clang " __clang_version__
#else
#define FORKGP_CC "gcc " __VERSION__
#endif
#define FORKGP_BUILD                                                          \
    "forkgp " FORKGP_VERSION " (commit " FORKGP_COMMIT ", " FORKGP_CC ", "    \
    FORKGP_CFLAGS ")"

#endif
