/*
 * interpose: a preload library (LD_PRELOAD) for tests, not a plug-in: it
 * gets in the way of forkgp's atomic writes of one file, at the rename
 * that puts the file in place. FORKGP_TEST_FILE names the file
 * ("config.ini", "checkpoint.bin", ...), FORKGP_TEST_DO what happens, the
 * first time only (FORKGP_TEST_MARK names a file made then):
 *   interrupt  forkgp gets SIGTERM and SIGINT: two stop signals, the
 *              second of which ends it at once; a child that was
 *              writing waits to die with it
 *   kill       the process renaming (a writer child) dies of SIGKILL
 * Then the rename goes on as usual.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pid_t forkgp;

__attribute__((constructor)) static void note_forkgp(void)
{
    forkgp = getpid();
}

/* Whether this is the first time (the mark file did not exist). */
static int first_time(void)
{
    const char *mark = getenv("FORKGP_TEST_MARK");
    if (!mark)
        return 1;
    int fd = open(mark, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
        return 0;
    close(fd);
    return 1;
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real)
        real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    const char *file = getenv("FORKGP_TEST_FILE"), *what = getenv("FORKGP_TEST_DO");
    const char *base = strrchr(to, '/');
    base = base ? base + 1 : to;
    if (file && what && strcmp(base, file) == 0 && first_time()) {
        if (strcmp(what, "kill") == 0)
            raise(SIGKILL);
        if (strcmp(what, "interrupt") == 0) {
            kill(forkgp, SIGTERM);
            kill(forkgp, SIGINT);
            if (getpid() != forkgp)
                for (;;)
                    pause();
        }
    }
    return real(from, to);
}
