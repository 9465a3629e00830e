/* manifest: manifest.ini, what a colleague needs to re-run a run. */
#define _DEFAULT_SOURCE /* gethostname, timegm-free gmtime_r */
#include "manifest.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "path.h"

static void utc_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void manifest_start(struct manifest *m, int workers, uint64_t seed,
                    uint64_t config_hash, const struct plugin_file *files,
                    size_t nfiles)
{
    memset(m, 0, sizeof *m);
    m->seed = seed;
    m->config_hash = config_hash;
    m->files = files;
    m->nfiles = nfiles;
    utc_now(m->start, sizeof m->start);
    m->exit_status = -1;
    m->workers = workers;
    m->workers_started = -1;
}

void manifest_end(struct manifest *m, int exit_status, uint64_t evaluations,
                  uint64_t failures, int workers_started)
{
    utc_now(m->end, sizeof m->end);
    m->workers_started = workers_started;
    m->exit_status = exit_status;
    m->evaluations = evaluations;
    m->failures = failures;
}

int manifest_write(struct report *rp, const struct manifest *m, int behind,
                   struct error *err)
{
    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return -1;
    }
    char status[16] = "running";
    if (m->exit_status >= 0)
        snprintf(status, sizeof status, "%d", m->exit_status);
    /* No '%' in values: configparser would read it as interpolation. */
    fprintf(out,
            "; forkgp run manifest: what made this run. Re-run it with the\n"
            "; same binary: forkgp run config.ini (in this folder).\n"
            "[forkgp]\n"
            "version = %s\n"
            "commit = %s\n"
            "compiler = %s\n"
            "flags = %s\n"
            "build = %s\n"
            "\n[run]\n"
            "seed = %llu\n"
            "config = config.ini\n"
            "config_hash = %016llx\n"
            "workers = %d\n"
            "workers_started = %s\n"
            "host = %s\n"
            "start = %s\n"
            "end = %s\n"
            "exit_status = %s\n"
            "evaluations = %llu\n"
            "failures = %llu\n"
            "\n[files]\n",
            FORKGP_VERSION, FORKGP_COMMIT, FORKGP_CC, FORKGP_CFLAGS,
            FORKGP_BUILD, (unsigned long long)m->seed,
            (unsigned long long)m->config_hash, m->workers,
            m->workers_started < 0 ? "running"
            : m->workers_started   ? "yes"
                                   : "no",
            host, m->start, m->end, status, (unsigned long long)m->evaluations,
            (unsigned long long)m->failures);
    for (size_t i = 0; i < m->nfiles; i++)
        fprintf(out, "file%zu = %s\nfile%zu_hash = %016llx\n", i + 1,
                m->files[i].path, i + 1, (unsigned long long)m->files[i].hash);
    fclose(out);
    int rc = behind ? report_write_behind(rp, "manifest.ini", text, len, err)
                    : report_write_file(rp, "manifest.ini", text, len, err);
    free(text);
    return rc;
}

/* What manifest_compare reads from an old manifest. */
struct reading {
    struct manifest *m;
    const char *dir;
    char path[64][1024];
    int differ;
};

static int on_entry(void *user, const char *section, const char *key,
                    const char *value)
{
    struct reading *rd = user;
    if (strcmp(section, "run") == 0 && strcmp(key, "start") == 0) {
        snprintf(rd->m->start, sizeof rd->m->start, "%s", value);
        return 1;
    }
    if (strcmp(section, "files") != 0 || strncmp(key, "file", 4) != 0)
        return 1;
    char *end;
    long i = strtol(key + 4, &end, 10);
    if (i < 1 || i > 64)
        return 1;
    if (*end == '\0') {
        snprintf(rd->path[i - 1], sizeof rd->path[i - 1], "%s", value);
        return 1;
    }
    if (strcmp(end, "_hash") != 0)
        return 1;
    const struct plugin_file *files = rd->m->files;
    for (size_t k = 0; k < rd->m->nfiles; k++)
        if (strcmp(files[k].path, rd->path[i - 1]) == 0) {
            unsigned long long old = strtoull(value, NULL, 16);
            if (old != files[k].hash) {
                fprintf(stderr,
                        "forkgp: warning: '%s' has changed since the run in "
                        "'%s' (hash %016llx, now %016llx)\n",
                        files[k].path, rd->dir, old,
                        (unsigned long long)files[k].hash);
                rd->differ++;
            }
        }
    return 1;
}

int manifest_compare(const char *dir, struct manifest *m)
{
    char path[PATH_MAX];
    FILE *f =
        path_join(path, dir, "manifest.ini") == 0 ? fopen(path, "r") : NULL;
    if (!f)
        return 0;
    struct reading *rd = calloc(1, sizeof *rd);
    if (!rd) {
        fclose(f);
        return 0;
    }
    rd->m = m;
    rd->dir = dir;
    ini_parse_file(f, on_entry, rd);
    fclose(f);
    int differ = rd->differ;
    free(rd);
    return differ;
}
