/* replay: evaluates one given program exactly as individual I of
 * generation G is evaluated in a run (forkgp eval), for debugging. */
#include "replay.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "infix.h"
#include "model.h"
#include "parse.h"
#include "path.h"
#include "plugin.h"
#include "pop.h"

/* Whether line (without its line end) is "key = ..."; *value then points
 * past the "= ". */
static int key_line(const char *line, const char *key, const char **value)
{
    size_t n = strlen(key);
    if (strncmp(line, key, n) != 0 || strncmp(line + n, " = ", 3) != 0)
        return 0;
    *value = line + n + 3;
    return 1;
}

int replay_read_best(const char *dir, struct replay_best *b,
                     struct error *err)
{
    memset(b, 0, sizeof *b);
    char path[PATH_MAX];
    FILE *f = path_join(path, dir, "best.txt") == 0 ? fopen(path, "r") : NULL;
    if (!f)
        return error_set(err, "no finished run in '%s': cannot open '%s': %s",
                         dir, path, strerror(errno));
    char *line = NULL, *first = NULL;
    size_t cap = 0;
    int has_gen = 0, has_index = 0, n = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        const char *v;
        if (n++ == 0) {
            first = strdup(line);
        } else if (key_line(line, "program", &v)) {
            free(b->program);
            b->program = strdup(v);
        } else if (key_line(line, "generation", &v)) {
            has_gen = sscanf(v, "%" SCNu64, &b->generation) == 1;
        } else if (key_line(line, "index", &v)) {
            has_index = sscanf(v, "%" SCNu64, &b->index) == 1;
        }
    }
    free(line);
    fclose(f);
    if (!b->program) {
        b->program = first;
        first = NULL;
    }
    free(first);
    if (!b->program || !has_gen || !has_index) {
        free(b->program);
        b->program = NULL;
        return error_set(err,
                         "%s: expected the best program, then generation = "
                         "G and index = I lines",
                         path);
    }
    return 0;
}

static const char *const status_names[] = {
    [EVAL_OK] = "ok", [EVAL_INVALID] = "invalid", [EVAL_ERROR] = "error"};

int replay_main(struct config *c, const char *program,
                uint64_t generation, uint64_t index)
{
    struct primset *ps = calloc(1, sizeof *ps);
    struct fitness f;
    struct error perr;
    struct tree t = {0};
    int status = EXIT_INPUT;
    struct plugin *pl = ps ? plugin_load(c, ps, &f, &perr) : NULL;
    if (!pl) {
        fprintf(stderr, "forkgp: %s\n", ps ? perr.msg : "out of memory");
        goto out;
    }
    struct error err;
    if (tree_init(&t, (uint32_t)c->tree_max_size) < 0) {
        fprintf(stderr, "forkgp: out of memory\n");
        status = EXIT_RUNTIME;
        goto out;
    }
    if (parse_program(&t, program, ps, &err) < 0) {
        fprintf(stderr, "forkgp: --program: %s\n", err.msg);
        goto out;
    }

    /* The very stream the farm gives this individual in a run. */
    struct rng r;
    rng_derive(&r, c->run_seed, RNG_EVAL, generation, index);
    double scores[FGP_MAX_SCORES];
    struct scaling scaling;
    const struct tree *tuned = NULL;
    int st = f.evaluate(f.ctx, &t, &r, scores, &scaling, &tuned, NULL);
    /* Tuned constants: what was scored is the tuned program. */
    if (tuned && st == EVAL_OK)
        tree_copy(&t, tuned);
    printf("program = ");
    infix_write(stdout, &t, ps);
    /* With linear scaling, the model its score measures too. */
    struct tree model = {0};
    if (st == EVAL_OK && scaling.on &&
        tree_init(&model, t.size + MODEL_EXTRA_NODES) == 0 &&
        model_tree(&model, &t, &scaling) == 0) {
        printf("\nmodel = ");
        infix_write(stdout, &model, ps);
    }
    tree_release(&model);
    printf("\ngeneration = %llu\nindex = %llu\nstatus = %s\n",
           (unsigned long long)generation, (unsigned long long)index,
           status_names[st]);
    if (st == EVAL_OK) {
        printf("train_%s = %.17g\n", f.score_name, scores[0]);
        for (int i = 1; i < f.nscores; i++)
            printf("score%d = %.17g\n", i, scores[i]);
    }
    int ts = plugin_test(pl, &t, scores);
    if (ts == EVAL_OK)
        printf("test_%s = %.17g\n", f.score_name, scores[0]);
    else if (ts >= 0)
        printf("test_%s = %s\n", f.score_name, status_names[ts]);
    status = EXIT_OK;
out:
    tree_release(&t);
    plugin_free(pl);
    free(ps);
    return status;
}
