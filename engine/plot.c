/* plot: draws a run's (or a batch's) log.csv with gnuplot: convergence and
 * size growth, as PNG and SVG, beside the data and script that drew them. */
#include "plot.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "durable.h"
#include "path.h"

/* One log.csv: the columns plot.gp draws, and where they are (1-based, as
 * gnuplot counts). */
struct plot_log {
    char *name;   /* as plot.gp names it: "log.csv" or "run-007/log.csv" */
    char *header; /* the header line, without its line end */
    char *score;  /* "mse" of best_mse */
    int col_gen, col_best, col_median, col_best_size, col_mean_size;
    size_t n; /* rows */
    double *gen, *best, *median, *mean_size;
};

static void log_release(struct plot_log *l)
{
    free(l->name);
    free(l->header);
    free(l->score);
    free(l->gen);
    free(l->best);
    free(l->median);
    free(l->mean_size);
    memset(l, 0, sizeof *l);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Splits line at commas in place; returns the number of fields (at most
 * max) and trims nothing: forkgp writes no spaces. */
static int split(char *line, char **fields, int max)
{
    int n = 0;
    for (char *p = line;; p++) {
        if (n < max)
            fields[n] = p;
        n++;
        p = strchr(p, ',');
        if (!p)
            break;
        *p = '\0';
    }
    return n < max ? n : max;
}

static void chomp(char *s)
{
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        s[--len] = '\0';
}

#define MAX_FIELDS 64

/* Finds the columns by the names report.c gives them: generation,
 * best_<score>, median_<score>, best_size, mean_size. */
static int find_columns(struct plot_log *l, const char *path, struct error *err)
{
    char *copy = strdup(l->header);
    if (!copy) {
        error_set(err, "out of memory");
        return PLOT_ERUNTIME;
    }
    char *f[MAX_FIELDS];
    int n = split(copy, f, MAX_FIELDS);
    for (int i = 0; i < n; i++) {
        if (strcmp(f[i], "generation") == 0)
            l->col_gen = i + 1;
        else if (strcmp(f[i], "best_size") == 0)
            l->col_best_size = i + 1;
        else if (strcmp(f[i], "mean_size") == 0)
            l->col_mean_size = i + 1;
        else if (strncmp(f[i], "best_", 5) == 0 && !l->col_best)
            l->col_best = i + 1;
        else if (strncmp(f[i], "median_", 7) == 0 && !l->col_median)
            l->col_median = i + 1;
    }
    if (l->col_best)
        l->score = strdup(f[l->col_best - 1] + 5);
    free(copy);
    if (!l->col_gen || !l->col_best || !l->col_median || !l->col_best_size ||
        !l->col_mean_size) {
        error_set(err, "%s:1: expected the columns generation, best_<score>, "
                "median_<score>, best_size and mean_size, got '%s'",
                path, l->header);
        return PLOT_EINPUT;
    }
    if (!l->score) {
        error_set(err, "out of memory");
        return PLOT_ERUNTIME;
    }
    return 0;
}

/* The header's name for column c (1-based) of l, into buf, for messages. */
static const char *column_name(const struct plot_log *l, int c, char *buf,
                               size_t size)
{
    if (c == l->col_gen)
        snprintf(buf, size, "generation");
    else if (c == l->col_mean_size)
        snprintf(buf, size, "mean_size");
    else
        snprintf(buf, size, "%s_%s", c == l->col_best ? "best" : "median",
                 l->score);
    return buf;
}

static int push(struct plot_log *l, size_t *cap, double gen, double best,
                double median, double mean_size)
{
    if (l->n == *cap) {
        size_t c = *cap ? 2 * *cap : 64;
        double *g = realloc(l->gen, c * sizeof *g);
        if (g)
            l->gen = g;
        double *b = realloc(l->best, c * sizeof *b);
        if (b)
            l->best = b;
        double *m = realloc(l->median, c * sizeof *m);
        if (m)
            l->median = m;
        double *s = realloc(l->mean_size, c * sizeof *s);
        if (s)
            l->mean_size = s;
        if (!g || !b || !m || !s)
            return -1;
        *cap = c;
    }
    l->gen[l->n] = gen;
    l->best[l->n] = best;
    l->median[l->n] = median;
    l->mean_size[l->n] = mean_size;
    l->n++;
    return 0;
}

/*
 * Reads dir/name into *l. Cells are strtod numbers, nan and inf included
 * (a generation without a valid individual logs nan; gnuplot skips it).
 */
static int log_read(struct plot_log *l, const char *dir, const char *name,
                    struct error *err)
{
    memset(l, 0, sizeof *l);
    char path[PATH_MAX];
    if (path_join(path, dir, name) < 0) {
        error_set(err, "cannot open '%s/%s': %s", dir, name, strerror(errno));
        return PLOT_EINPUT;
    }
    l->name = strdup(name);
    if (!l->name) {
        error_set(err, "out of memory");
        return PLOT_ERUNTIME;
    }
    FILE *fp = fopen(path, "r");
    if (!fp) {
        error_set(err, "cannot open '%s': %s", path, strerror(errno));
        return PLOT_EINPUT;
    }
    char *line = NULL;
    size_t linecap = 0, cap = 0, lineno = 0;
    int rc = 0;
    while (getline(&line, &linecap, fp) >= 0) {
        lineno++;
        chomp(line);
        if (lineno == 1) {
            l->header = strdup(line);
            if (!l->header) {
                error_set(err, "out of memory");
                rc = PLOT_ERUNTIME;
                break;
            }
            if ((rc = find_columns(l, path, err)) < 0)
                break;
            continue;
        }
        if (line[0] == '\0')
            continue;
        char *f[MAX_FIELDS];
        int n = split(line, f, MAX_FIELDS);
        int want[4] = {l->col_gen, l->col_best, l->col_median,
                       l->col_mean_size};
        double v[4];
        for (int k = 0; k < 4 && rc == 0; k++) {
            char *end;
            int c = want[k];
            if (c > n) {
                error_set(err, "%s:%zu: expected %d columns, got %d", path,
                        lineno, c, n);
                rc = PLOT_EINPUT;
                break;
            }
            v[k] = strtod(f[c - 1], &end);
            if (end == f[c - 1] || *end != '\0') {
                char col[256];
                error_set(err, "%s:%zu: column %d '%s': expected a number, got "
                        "'%s'",
                        path, lineno, c, column_name(l, c, col, sizeof col),
                        f[c - 1]);
                rc = PLOT_EINPUT;
            }
        }
        if (rc < 0)
            break;
        if (push(l, &cap, v[0], v[1], v[2], v[3]) < 0) {
            error_set(err, "out of memory");
            rc = PLOT_ERUNTIME;
            break;
        }
    }
    if (rc == 0 && ferror(fp)) {
        error_set(err, "cannot read '%s': %s", path, strerror(errno));
        rc = PLOT_EINPUT;
    } else if (rc == 0 && lineno == 0) {
        error_set(err, "'%s' is empty", path);
        rc = PLOT_EINPUT;
    }
    free(line);
    fclose(fp);
    return rc;
}

/* Writes dir/name atomically and durably (durable_write). */
static int write_atomic(const char *dir, const char *name, const char *text,
                        size_t len, struct error *err)
{
    return durable_write(dir, name, text, len, err) == 0
               ? 0
               : PLOT_ERUNTIME;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n) without its NaNs (sorts v); NaN when none left. */
static double median(double *v, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            v[m++] = v[i];
    if (m == 0)
        return NAN;
    qsort(v, m, sizeof *v, cmp_double);
    return m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}

/* What the convergence plot draws besides the curves, and how. */
struct yaxis {
    int log;        /* a log scale: every finite value is > 0 */
    int wide;       /* over four decades: no minor tics */
    int has_target; /* draw the target fitness as a line */
    double target;  /* [fitness] target_fitness of the folder's config.ini */
    double floor;   /* > 0: values below it are drawn at it */
};

/* Reads [fitness] target_fitness from dir/config.ini (the effective
 * configuration a run or batch wrote), or from the config.ini beside the
 * log named logname (a batch's first run) into *t. Returns 1 when it is a
 * number, 0 when it is none or cannot be read (then no line is drawn). */
static int read_target(const char *dir, const char *logname, double *t)
{
    char path[PATH_MAX], line[512];
    const char *slash = strrchr(logname, '/');
    int n = slash ? (int)(slash - logname + 1) : 0;
    FILE *f = path_join(path, dir, "config.ini") == 0 ? fopen(path, "r") : NULL;
    if (!f && n && path_format(path, "%s/%.*sconfig.ini", dir, n, logname) == 0)
        f = fopen(path, "r");
    if (!f)
        return 0;
    int in_fitness = 0, found = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '[')
            in_fitness = strncmp(line, "[fitness]", 9) == 0;
        else if (in_fitness && strncmp(line, "target_fitness = ", 17) == 0) {
            char *end;
            *t = strtod(line + 17, &end);
            found = end != line + 17 && (*end == '\n' || *end == '\0') &&
                    isfinite(*t);
        }
    }
    fclose(f);
    return found;
}

/*
 * The convergence plot's y axis: logarithmic when every finite best (and
 * median, when with_median) value is > 0, else linear (NaN and inf cells
 * are not drawn, so they do not count; a log without a finite value gets
 * a linear scale). On a log scale, runs that solve a problem exactly fall
 * to 1e-32 and squash the decades that matter into a strip: values more
 * than 12 decades below the largest (2 below a target's power of ten)
 * are drawn at that floor, and the axis says so.
 */
static void y_axis(const struct plot_log *logs, size_t nlogs, int with_median,
                   const char *dir, struct yaxis *y)
{
    memset(y, 0, sizeof *y);
    y->has_target = read_target(dir, logs[0].name, &y->target);
    double lo = INFINITY, hi = 0;
    int positive = 1;
    for (size_t r = 0; r < nlogs; r++) {
        for (size_t i = 0; i < logs[r].n; i++) {
            double v[2] = {logs[r].best[i], logs[r].median[i]};
            for (int k = 0; k < 1 + with_median; k++) {
                if (!isfinite(v[k]))
                    continue;
                if (v[k] <= 0)
                    positive = 0;
                lo = fmin(lo, v[k]);
                hi = fmax(hi, v[k]);
            }
        }
    }
    y->log = positive && hi > 0;
    if (!y->log)
        return;
    if (y->has_target && y->target <= 0)
        y->has_target = 0; /* no place on a log scale */
    y->wide = hi / lo > 1e4;
    /* Two decades below a target under the curves (a minimised
     * fitness), else 12 below the largest value; a power of ten, for a
     * plain label. */
    double at = y->has_target && y->target < hi ? y->target / 100
                                                : hi * 1e-12;
    at = pow(10, floor(log10(at)));
    if (lo < at)
        y->floor = at;
}

/* The y axis's settings, and clip(y), the value a curve draws for y. */
static void put_y_axis(FILE *out, const struct yaxis *y)
{
    if (!y->log)
        fputs("    unset logscale y; set mytics default   # a value is <= 0, "
              "or none is finite\n",
              out);
    else if (y->wide)
        fputs("    set logscale y; unset mytics   # every value is > 0\n", out);
    else
        fputs("    set logscale y; set mytics default   # every value is > "
              "0\n",
              out);
    if (y->floor > 0)
        fprintf(out,
                "    # Values below %g (solved runs) are drawn at %g, so "
                "that the decades\n"
                "    # above stay readable.\n"
                "    clip(y) = y < %.17g ? %.17g : y\n"
                "    set ylabel score.' (below %g drawn at %g)'\n",
                y->floor, y->floor, y->floor, y->floor, y->floor, y->floor);
    else
        fputs("    clip(y) = y\n"
              "    set ylabel score\n",
              out);
}

/* The target fitness as a line, when there is one to draw. */
static void put_target(FILE *out, const struct yaxis *y)
{
    if (y->has_target)
        fprintf(out,
                ", \\\n         clip(%.17g) with lines lw 2 dt 3 "
                "lc rgb '#2ca02c' \\\n"
                "             title 'target %g'",
                y->target, y->target);
}

/* Whether the run whose log is dir/logname stopped because it reached the
 * target: its best.txt, beside the log, says "stopped = target". */
static int run_solved(const char *dir, const char *logname)
{
    char path[PATH_MAX], line[256];
    const char *slash = strrchr(logname, '/');
    int n = slash ? (int)(slash - logname + 1) : 0;
    if (path_format(path, "%s/%.*sbest.txt", dir, n, logname) < 0)
        return 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int solved = 0;
    while (!solved && fgets(line, sizeof line, f))
        solved = strcmp(line, "stopped = target\n") == 0;
    fclose(f);
    return solved;
}

/* $solved, a data block of where each run that reached the target did
 * (its last generation and best value). Returns how many did. */
static size_t put_solved(FILE *out, const char *dir,
                         const struct plot_log *logs, size_t nlogs)
{
    size_t n = 0;
    for (size_t r = 0; r < nlogs; r++) {
        const struct plot_log *l = &logs[r];
        if (l->n == 0 || !run_solved(dir, l->name))
            continue;
        if (n++ == 0)
            fputs("# Where a run reached the target fitness: its last "
                  "generation and best.\n"
                  "$solved << EOD\ngeneration,best\n",
                  out);
        fprintf(out, "%ld,%.17g\n", (long)l->gen[l->n - 1], l->best[l->n - 1]);
    }
    if (n)
        fputs("EOD\n\n", out);
    return n;
}

/* The solved runs' marks, when there are some. */
static void put_solved_marks(FILE *out, size_t nsolved)
{
    if (nsolved)
        fputs(", \\\n         $solved using 1:(clip(column(2))) with points "
              "pt 9 ps 1.6 \\\n"
              "             lc rgb '#2ca02c' title 'target reached'",
              out);
}

/* How a curve is drawn: with points as well while there are few
 * generations, so that a short run (even a single generation) shows. */
static const char *curve(long last, int thin)
{
    if (last >= 40)
        return "lines";
    return thin ? "linespoints pt 7 ps 0.4" : "linespoints pt 7 ps 0.7";
}

/* The last generation of any log, at least 0. */
static long last_generation(const struct plot_log *logs, size_t nlogs)
{
    double last = 0;
    for (size_t r = 0; r < nlogs; r++)
        for (size_t i = 0; i < logs[r].n; i++)
            if (logs[r].gen[i] > last)
                last = logs[r].gen[i];
    return (long)last;
}

/* A step of 1, 2 or 5 times a power of ten that cuts 0..last into at most
 * ten intervals at whole generations (gnuplot's own tics can fall on half
 * generations). */
static long tic_step(long last)
{
    for (long p = 1;; p *= 10) {
        if (last <= 10 * p)
            return p;
        if (last <= 20 * p)
            return 2 * p;
        if (last <= 50 * p)
            return 5 * p;
    }
}

/* s as a gnuplot single-quoted string: nothing is special but ' itself,
 * written twice. */
static void put_quoted(FILE *out, const char *s)
{
    fputc('\'', out);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', out);
        fputc(*s, out);
    }
    fputc('\'', out);
}

/* The last component of dir, for the titles: "q" of "/tmp/q/". */
static void folder_name(const char *dir, char *buf, size_t size)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    if (start == len) { /* "/" or "" */
        snprintf(buf, size, "%s", len ? "/" : ".");
        return;
    }
    if (len - start == 1 && dir[start] == '.') {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd) && strcmp(cwd, "/") != 0) {
            folder_name(cwd, buf, size);
            return;
        }
    }
    snprintf(buf, size, "%.*s", (int)(len - start), dir + start);
}

/* plot.gp's opening: what it draws from what, and the settings both plots
 * share. */
static void script_head(FILE *out, const char *dir, const struct plot_log *l,
                        size_t nruns, long last)
{
    fputs("# plot.gp: written by `forkgp plot`. In this folder,\n"
          "#     gnuplot plot.gp\n"
          "# redraws convergence.png, convergence.svg, size.png and "
          "size.svg (and\n# front.png and front.svg for a run with a "
          "front.csv). Restyle\n"
          "# freely (colours, sizes, scales, titles), but note that "
          "`forkgp plot`\n"
          "# writes this file afresh.\n#\n",
          out);
    if (nruns == 0) {
        fprintf(out,
                "# Data: log.csv, one row per generation; the columns used "
                "are\n"
                "# %d generation, %d best_%s, %d median_%s, %d best_size, "
                "%d mean_size.\n",
                l->col_gen, l->col_best, l->score, l->col_median, l->score,
                l->col_best_size, l->col_mean_size);
    } else {
        fprintf(out,
                "# Data: the log.csv of each of the %zu runs (run-*/), one "
                "row per\n"
                "# generation, columns %d generation, %d best_%s, %d "
                "mean_size; and\n"
                "# plot_median.dat, written by forkgp plot: per generation, "
                "the median\n"
                "# over the runs (a run that stopped counting with its last "
                "values) of\n"
                "# best_%s (column 2) and of mean_size (column 3).\n",
                nruns, l->col_gen, l->col_best, l->score, l->col_mean_size,
                l->score);
    }
    fputs("# A nan or inf cell (a generation without a valid individual) is "
          "not drawn.\n\n"
          "set datafile separator ','\n"
          "set datafile columnheaders   # the first line names the "
          "columns\n\n",
          out);
    char name[256];
    folder_name(dir, name, sizeof name);
    fputs("# Titles name the folder as it was when forkgp plot ran.\n"
          "folder = ",
          out);
    put_quoted(out, name);
    fputs("\n", out);
    fprintf(out, "score = ");
    put_quoted(out, l->score);
    fprintf(out,
            "\n\nset xlabel 'generation'\n"
            "set xrange [0:%ld]\n"
            "set xtics 0, %ld   # whole generations\n"
            "set grid xtics ytics mytics\n"
            "set key below horizontal\n"
            "set format y '%%g'\n\n",
            last > 0 ? last : 1, tic_step(last > 0 ? last : 1));
}

/* The two terminals: the loop body runs once for each. */
static void script_terminals(FILE *out)
{
    fputs("# Each plot once per format: png with pngcairo, svg with svg.\n"
          "# noenhanced: names like balanced_accuracy print as they are.\n"
          "do for [fmt in 'png svg'] {\n"
          "    if (fmt eq 'png') {\n"
          "        set terminal pngcairo size 900,600 noenhanced "
          "font 'sans,11'\n"
          "    } else {\n"
          "        set terminal svg size 900,600 dynamic noenhanced "
          "font 'sans,11' \\\n"
          "            background 'white'\n"
          "    }\n\n",
          out);
}

/* What front.csv holds: FRONT_ROWS when it has rows, FRONT_POSITIVE when
 * every train score is positive (a log scale fits), FRONT_TEST when its
 * test scores are there; 0 for no file or no rows. */
enum { FRONT_ROWS = 1, FRONT_POSITIVE = 2, FRONT_TEST = 4 };
static int front_kind(const char *dir)
{
    char path[PATH_MAX], line[256];
    FILE *f = path_join(path, dir, "front.csv") == 0 ? fopen(path, "r") : NULL;
    if (!f)
        return -1;
    int kind = 0, positive = 1, test = 1;
    if (fgets(line, sizeof line, f)) /* the header */
        while (fgets(line, sizeof line, f)) {
            const char *train = strchr(line, ',');
            const char *tst = train ? strchr(train + 1, ',') : NULL;
            kind = FRONT_ROWS;
            positive &= train && strtod(train + 1, NULL) > 0.0;
            test &= tst && tst[1] != ',';
        }
    fclose(f);
    return kind ? kind | (positive ? FRONT_POSITIVE : 0) |
                      (test ? FRONT_TEST : 0)
                : 0;
}

/* The front: each size's best program's train (and test) score. */
static void script_front(FILE *out, int kind)
{
    fprintf(out,
            "    # The front: the best program of each size, train and test "
            "scores\n"
            "    # (front.csv: size, train, test, program).\n"
            "    set output 'front.'.fmt\n"
            "    set title 'front: '.folder\n"
            "    set xlabel 'size (nodes)'\n"
            "    set ylabel score\n"
            "    set autoscale x; set xtics autofreq\n"
            "    %s\n"
            "    plot 'front.csv' using 1:2 with linespoints lw 2 pt 7 "
            "lc rgb '#1f77b4' \\\n"
            "             title 'train '.score%s\n",
            kind & FRONT_POSITIVE ? "set logscale y; set mytics 10"
                                  : "unset logscale y; set mytics default",
            kind & FRONT_TEST
                ? ", \\\n         'front.csv' using 1:3 with linespoints "
                  "lw 2 dt 2 pt 7 lc rgb '#ff7f0e' \\\n"
                  "             title 'test '.score"
                : "");
}

static void script_run(FILE *out, const char *dir, const struct plot_log *l)
{
    int front = front_kind(dir);
    long last = last_generation(l, 1);
    const char *line = curve(last, 0);
    struct yaxis y;
    y_axis(l, 1, 1, dir, &y);
    script_head(out, dir, l, 0, last);
    size_t solved = put_solved(out, dir, l, 1);
    script_terminals(out);
    fputs("    # Convergence: the best and the median fitness of each "
          "generation.\n"
          "    set output 'convergence.'.fmt\n"
          "    set title 'convergence: '.folder\n",
          out);
    put_y_axis(out, &y);
    fprintf(out,
            "    plot 'log.csv' using %d:(clip(column(%d))) with %s lw 2 "
            "lc rgb '#1f77b4' \\\n"
            "             title 'best '.score, \\\n"
            "         'log.csv' using %d:(clip(column(%d))) with %s lw 2 "
            "dt 2 lc rgb '#ff7f0e' \\\n"
            "             title 'median '.score",
            l->col_gen, l->col_best, line, l->col_gen, l->col_median, line);
    put_target(out, &y);
    put_solved_marks(out, solved);
    fputs("\n\n", out);
    fprintf(out,
            "    # Size growth: the best program's size and the mean size "
            "(nodes).\n"
            "    set output 'size.'.fmt\n"
            "    set title 'size: '.folder\n"
            "    set ylabel 'size (nodes)'\n"
            "    unset logscale y; set mytics default\n"
            "    plot 'log.csv' using %d:%d with %s lw 2 "
            "lc rgb '#1f77b4' \\\n"
            "             title 'best size', \\\n"
            "         'log.csv' using %d:%d with %s lw 2 dt 2 "
            "lc rgb '#ff7f0e' \\\n"
            "             title 'mean size'\n",
            l->col_gen, l->col_best_size, line, l->col_gen, l->col_mean_size,
            line);
    if (front)
        script_front(out, front);
    fputs("    unset output\n}\n", out);
}

static void script_batch(FILE *out, const char *dir,
                         const struct plot_log *logs, size_t nruns)
{
    const struct plot_log *l = &logs[0];
    long last = last_generation(logs, nruns);
    const char *thin = curve(last, 1), *thick = curve(last, 0);
    struct yaxis y;
    y_axis(logs, nruns, 0, dir, &y);
    script_head(out, dir, l, nruns, last);
    fputs("# The runs' logs, separated by spaces.\n"
          "logs = ''\n",
          out);
    for (size_t r = 0; r < nruns; r += 4) {
        fputs("logs = logs.'", out);
        for (size_t k = r; k < r + 4 && k < nruns; k++)
            fprintf(out, " %s", logs[k].name);
        fputs("'\n", out);
    }
    fputs("nruns = words(logs)\n\n", out);
    size_t solved = put_solved(out, dir, logs, nruns);
    script_terminals(out);
    fputs("    # Convergence: each run's best fitness per generation "
          "(thin), and their\n"
          "    # median over all the runs, a run that stopped counting "
          "with its last\n"
          "    # best (thick).\n"
          "    set output 'convergence.'.fmt\n"
          "    set title sprintf('convergence: %s, %d runs', folder, "
          "nruns)\n",
          out);
    put_y_axis(out, &y);
    fprintf(out,
            "    plot for [i=1:nruns] word(logs, i) using %d:(clip(column(%d))) "
            "with %s \\\n"
            "             lw 1 lc rgb '#9dbfe3' title (i == 1 ? 'best '.score.', "
            "each run' : ''), \\\n"
            "         'plot_median.dat' using 1:(clip(column(2))) with %s lw 3 "
            "lc rgb '#c0392b' \\\n"
            "             title 'median best '.score",
            l->col_gen, l->col_best, thin, thick);
    put_target(out, &y);
    put_solved_marks(out, solved);
    fputs("\n\n", out);
    fprintf(out,
            "    # Size growth: each run's mean size (thin), and their "
            "median (thick).\n"
            "    set output 'size.'.fmt\n"
            "    set title sprintf('size: %%s, %%d runs', folder, nruns)\n"
            "    set ylabel 'mean size (nodes)'\n"
            "    unset logscale y; set mytics default\n"
            "    plot for [i=1:nruns] word(logs, i) using %d:%d with %s "
            "lw 1 \\\n"
            "             lc rgb '#9dbfe3' title (i == 1 ? 'mean size, each "
            "run' : ''), \\\n"
            "         'plot_median.dat' using 1:3 with %s lw 3 "
            "lc rgb '#c0392b' \\\n"
            "             title 'median mean size'\n"
            "    unset output\n"
            "}\n",
            l->col_gen, l->col_mean_size, thin, thick);
}

/* plot_median.dat: per generation, the median over all the runs of the
 * best fitness and of the mean size, a run that stopped before the
 * generation counting with its last values (a median over the runs still
 * going would show, once the successful runs stop, only the failing
 * ones). Logs list their generations in increasing order, so one cursor
 * per run finds a generation's row. */
static int median_data(FILE *out, const struct plot_log *logs, size_t nruns)
{
    size_t *at = calloc(nruns, sizeof *at);
    double *best = malloc(nruns * sizeof *best);
    double *size = malloc(nruns * sizeof *size);
    if (!at || !best || !size) {
        free(at);
        free(best);
        free(size);
        return -1;
    }
    fprintf(out,
            "# plot_median.dat: written by forkgp plot from the log.csv of "
            "%zu runs.\n"
            "# Per generation, the median over the runs; a run that stopped "
            "before it\n"
            "# counts with its last generation's values.\n"
            "generation,median_best_%s,median_mean_size\n",
            nruns, logs[0].score);
    long last = last_generation(logs, nruns);
    for (long g = 0; g <= last; g++) {
        size_t m = 0;
        for (size_t r = 0; r < nruns; r++) {
            const struct plot_log *l = &logs[r];
            while (at[r] + 1 < l->n && l->gen[at[r] + 1] <= (double)g)
                at[r]++;
            if (l->n == 0 || l->gen[at[r]] > (double)g)
                continue; /* no row yet at g */
            best[m] = l->best[at[r]];
            size[m] = l->mean_size[at[r]];
            m++;
        }
        if (m == 0)
            continue;
        fprintf(out, "%ld,%.17g,%.17g\n", g, median(best, m), median(size, m));
    }
    free(at);
    free(best);
    free(size);
    return 0;
}

/* Whether name is "run-" and digits only. */
static int is_run_name(const char *name)
{
    if (strncmp(name, "run-", 4) != 0 || !name[4])
        return 0;
    for (const char *p = name + 4; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static int cmp_run_name(const void *a, const void *b)
{
    const char *x = *(char *const *)a + 4, *y = *(char *const *)b + 4;
    size_t lx = strlen(x), ly = strlen(y);
    if (lx != ly) /* run-1000 after run-999 */
        return lx < ly ? -1 : 1;
    return strcmp(x, y);
}

/* Sets *names to the "run-N/log.csv" names of dir's runs, in run order,
 * and *n to their number. Returns 0 or PLOT_ERUNTIME. */
static int batch_list(const char *dir, char ***names, size_t *n, struct error *err)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        error_set(err, "cannot open '%s': %s", dir, strerror(errno));
        return PLOT_ERUNTIME;
    }
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_run_name(e->d_name))
            continue;
        char path[PATH_MAX];
        if (path_format(path, "%s/%s/log.csv", dir, e->d_name) < 0) {
            error_set(err, "cannot open '%s/%s/log.csv': %s", dir, e->d_name,
                      strerror(errno));
            goto fail;
        }
        if (!file_exists(path))
            continue; /* a run that never started */
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **p = realloc(*names, cap * sizeof *p);
            if (!p)
                goto oom;
            *names = p;
        }
        size_t len = strlen(e->d_name) + sizeof "/log.csv";
        if (!((*names)[*n] = malloc(len)))
            goto oom;
        snprintf((*names)[*n], len, "%s/log.csv", e->d_name);
        (*n)++;
    }
    closedir(d);
    if (*n > 0)
        qsort(*names, *n, sizeof **names, cmp_run_name);
    return 0;
oom:
    error_set(err, "out of memory");
fail:
    closedir(d);
    for (size_t i = 0; i < *n; i++)
        free((*names)[i]);
    free(*names);
    *names = NULL;
    *n = 0;
    return PLOT_ERUNTIME;
}

/* Closes mem, the memstream that fills *text (*len bytes), and writes the
 * text to dir/name; frees *text. */
static int write_text(const char *dir, const char *name, char **text,
                      size_t *len, FILE *mem, struct error *err)
{
    /* fclose sets *text and *len for the last time */
    if (fclose(mem) != 0 || !*text) {
        free(*text);
        error_set(err, "out of memory");
        return PLOT_ERUNTIME;
    }
    int rc = write_atomic(dir, name, *text, *len, err);
    free(*text);
    return rc;
}

static int write_batch(const char *dir, struct error *err)
{
    char **names;
    size_t nruns;
    int rc = batch_list(dir, &names, &nruns, err);
    if (rc < 0)
        return rc;
    struct plot_log *logs = calloc(nruns ? nruns : 1, sizeof *logs);
    if (!logs) {
        error_set(err, "out of memory");
        rc = PLOT_ERUNTIME;
    }
    size_t rows = 0;
    for (size_t r = 0; r < nruns && rc == 0; r++) {
        rc = log_read(&logs[r], dir, names[r], err);
        if (rc == 0 && strcmp(logs[r].header, logs[0].header) != 0) {
            error_set(err, "%s/%s:1: header '%s' differs from %s/%s's '%s'",
                    dir, names[r], logs[r].header, dir, names[0],
                    logs[0].header);
            rc = PLOT_EINPUT;
        }
        if (rc == 0)
            rows += logs[r].n;
    }
    if (rc == 0 && rows == 0) {
        error_set(err, "no generations in the runs' log.csv in '%s'", dir);
        rc = PLOT_EINPUT;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *mem;
    if (rc == 0) {
        if (!(mem = open_memstream(&text, &len))) {
            error_set(err, "out of memory");
            rc = PLOT_ERUNTIME;
        } else if (median_data(mem, logs, nruns) < 0) {
            fclose(mem);
            free(text);
            error_set(err, "out of memory");
            rc = PLOT_ERUNTIME;
        } else {
            rc =
                write_text(dir, "plot_median.dat", &text, &len, mem, err);
        }
    }
    if (rc == 0) {
        text = NULL;
        if (!(mem = open_memstream(&text, &len))) {
            error_set(err, "out of memory");
            rc = PLOT_ERUNTIME;
        } else {
            script_batch(mem, dir, logs, nruns);
            rc = write_text(dir, "plot.gp", &text, &len, mem, err);
        }
    }
    for (size_t r = 0; r < nruns; r++) {
        if (logs)
            log_release(&logs[r]);
        free(names[r]);
    }
    free(logs);
    free(names);
    return rc;
}

static int write_run(const char *dir, struct error *err)
{
    struct plot_log l;
    int rc = log_read(&l, dir, "log.csv", err);
    if (rc == 0 && l.n == 0) {
        error_set(err, "no generations in '%s/log.csv'", dir);
        rc = PLOT_EINPUT;
    }
    if (rc == 0) {
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (!mem) {
            error_set(err, "out of memory");
            rc = PLOT_ERUNTIME;
        } else {
            script_run(mem, dir, &l);
            rc = write_text(dir, "plot.gp", &text, &len, mem, err);
        }
    }
    log_release(&l);
    return rc;
}

/* Which of a run or a batch dir holds: 1 run, 2 batch, or an error. */
static int folder_kind(const char *dir, struct error *err)
{
    struct stat st;
    if (stat(dir, &st) < 0) {
        error_set(err, "cannot open '%s': %s", dir, strerror(errno));
        return PLOT_EINPUT;
    }
    if (!S_ISDIR(st.st_mode)) {
        error_set(err, "'%s' is not a folder", dir);
        return PLOT_EINPUT;
    }
    char path[PATH_MAX];
    if (path_join(path, dir, "run-000/log.csv") < 0) {
        error_set(err, "cannot open '%s': %s", dir, strerror(errno));
        return PLOT_EINPUT;
    }
    if (file_exists(path))
        return 2;
    path_join(path, dir, "log.csv"); /* shorter: fits */
    if (file_exists(path))
        return 1;
    error_set(err, "no log.csv in '%s' (nor run-000/log.csv)", dir);
    return PLOT_EINPUT;
}

int plot_write(const char *dir, struct error *err)
{
    error_set(err, "%s", "");
    int kind = folder_kind(dir, err);
    if (kind < 0)
        return kind;
    return kind == 2 ? write_batch(dir, err) : write_run(dir, err);
}

/* Whether name is an executable file in a PATH entry, as execvp would find
 * it (an empty entry is the working directory). */
static int on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        /* An entry too long to join cannot name the file: execvp passes
         * over it too. */
        char file[PATH_MAX];
        int rc = len == 0 ? path_format(file, "%s", name)
                          : path_format(file, "%.*s/%s", (int)len, p, name);
        if (rc == 0 && file_exists(file) && access(file, X_OK) == 0)
            return 1;
        if (!end)
            return 0;
        p = end + 1;
    }
}

/* Writes "wrote DIR/NAME" on out for each file a plot of dir's kind
 * (batch: 1 run, 2 batch) leaves there. */
static void print_written(FILE *out, const char *dir, int kind)
{
    static const char *const names[] = {
        "convergence.png", "convergence.svg", "size.png", "size.svg",
        "front.png",       "front.svg",       "plot.gp",  "plot_median.dat"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[PATH_MAX];
        if (kind != 2 && strcmp(names[i], "plot_median.dat") == 0)
            continue; /* a run's folder may hold an old one */
        if (path_join(path, dir, names[i]) == 0 && file_exists(path))
            fprintf(out, "wrote %s\n", path);
    }
}

int plot_draw(const char *dir, struct error *err)
{
    error_set(err, "%s", "");
    int kind = folder_kind(dir, err);
    if (kind < 0)
        return kind;
    if (!on_path("gnuplot")) {
        error_set(err, "gnuplot not found: install gnuplot-nox "
                "(make deps)");
        return PLOT_ERUNTIME;
    }
    int rc = plot_write(dir, err);
    if (rc < 0)
        return rc;
    /* gnuplot in a child, run in dir, so that what it wrote can be told
     * once it is done. */
    pid_t pid = child_fork();
    if (pid < 0) {
        error_set(err, "cannot run gnuplot: %s", strerror(errno));
        return PLOT_ERUNTIME;
    }
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        char prog[] = "gnuplot", script[] = "plot.gp";
        char *argv[] = {prog, script, NULL};
        if (chdir(dir) == 0)
            execvp(argv[0], argv);
        fprintf(stderr, "forkgp: cannot run gnuplot in '%s': %s\n", dir,
                strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            error_set(err, "cannot wait for gnuplot: %s", strerror(errno));
            return PLOT_ERUNTIME;
        }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return error_set(err, "gnuplot did not start"), PLOT_ERUNTIME;
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        error_set(err, "gnuplot failed (exit status %d) on '%s/plot.gp'",
                  WEXITSTATUS(status), dir);
        return PLOT_ERUNTIME;
    }
    if (WIFSIGNALED(status)) {
        error_set(err, "gnuplot was killed by signal %d", WTERMSIG(status));
        return PLOT_ERUNTIME;
    }
    print_written(stdout, dir, kind);
    return 0;
}
