/* rundir: whether a folder may become a run's output folder. */
#include "rundir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"

/* The first bytes of the config.ini and manifest.ini that forkgp writes
 * (config_dump's and manifest_write's opening comment). */
static const char forkgp_mark[] = "; forkgp ";

/* Whether dir/name is a regular file that begins with forkgp_mark. Opened
 * without following a link and without waiting on a pipe. */
static int made_by_forkgp(const char *dir, const char *name)
{
    char path[PATH_MAX];
    if (path_join(path, dir, name) < 0)
        return 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    char head[sizeof forkgp_mark - 1];
    size_t got = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        while (got < sizeof head) {
            ssize_t n = read(fd, head + got, sizeof head - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
        }
    close(fd);
    return got == sizeof head && memcmp(head, forkgp_mark, sizeof head) == 0;
}

int rundir_check(const char *dir, struct error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int empty = 1;
    struct dirent *e;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (empty || made_by_forkgp(dir, "config.ini") ||
        made_by_forkgp(dir, "manifest.ini"))
        return 0;
    return error_set(err,
                     "output folder '%s' holds files but no forkgp run; "
                     "name a new or empty folder, or add --force to write "
                     "into it anyway",
                     dir);
}
