/*
 * ant: Koza's Santa Fe artificial ant (Genetic Programming, 1992, 7.2), a
 * plug-in that declares primitives of its own and walks programs itself.
 *
 * The ant starts at the top-left corner of a 32x32 toroidal grid, facing
 * east, and has a budget of steps (move, left and right cost one each) to
 * eat the 89 food pellets of the Santa Fe trail. Its program runs again and
 * again from the root until the steps are spent or the food is gone; the
 * fitness is the food eaten (maximised: 89 solves it).
 *
 *   [fitness] function = ../build/examples/ant.so
 *   [ant]     steps = 600      ; the step budget, 1..100000
 *             trail = my.txt   ; optional: another map, one line per row:
 *                              ; '#' food, '.' empty, 'S' the start
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forkgp.h"

#define MAX_SIDE 128 /* the largest map, in rows and in columns */

/* The Santa Fe trail (Koza 1992, figure 7.1), as in DEAP's
 * examples/gp/ant/santafe_trail.txt; setup checks its 89 pellets. */
static const char *const santa_fe[32] = {
    "S###............................", "...#............................",
    "...#.....................###....", "...#....................#....#..",
    "...#....................#....#..", "...####.#####........##.........",
    "............#................#..", "............#.......#...........",
    "............#.......#........#..", "............#.......#...........",
    "....................#...........", "............#................#..",
    "............#...................", "............#.......#.....###...",
    "............#.......#..#........", ".................#..............",
    "................................", "............#...........#.......",
    "............#...#..........#....", "............#...#...............",
    "............#...#...............", "............#...#.........#.....",
    "............#..........#........", "............#...................",
    "...##..#####....#...............", ".#..............#...............",
    ".#..............#...............", ".#......#######.................",
    ".#.....#........................", ".......#........................",
    "..####..........................", "................................",
};

/* The primitives, in the order setup declares them. */
enum { IF_FOOD_AHEAD, PROG2, PROG3, MOVE, LEFT, RIGHT, NPRIMS };
static const struct {
    const char *name;
    int arity;
} prims[NPRIMS] = {{"if_food_ahead", 2}, {"prog2", 2}, {"prog3", 3},
                   {"move", 0},          {"left", 0},  {"right", 0}};

struct ant {
    int rows, cols, start_row, start_col, start_set;
    int food;                              /* pellets on the map */
    long steps;                            /* the step budget */
    int ids[NPRIMS];                       /* fgp_add_symbol's ids */
    unsigned char map[MAX_SIDE][MAX_SIDE]; /* 1 where food lies */
};

/* One evaluation: its own copy of the map, eaten as the ant goes. */
struct world {
    const struct ant *a;
    unsigned char grid[MAX_SIDE][MAX_SIDE];
    int row, col, dir; /* dir: 0 east, 1 south, 2 west, 3 north */
    long left;         /* steps left */
    int eaten;
};

/* A decoded node: its primitive and the index just past its subtree. */
struct op {
    int prim;
    size_t end;
};

/* Adds one row of map text; returns NULL or what is wrong with it. */
static const char *add_row(struct ant *a, const char *text)
{
    size_t n = strcspn(text, "\r\n");
    if (a->rows == MAX_SIDE || n > MAX_SIDE || n == 0)
        return "expected 1..128 rows of 1..128 columns";
    if (a->rows > 0 && (int)n != a->cols)
        return "rows of different lengths";
    for (size_t c = 0; c < n; c++) {
        if (text[c] == '#') {
            a->map[a->rows][c] = 1;
            a->food++;
        } else if (text[c] == 'S' && !a->start_set) {
            a->start_set = 1;
            a->start_row = a->rows;
            a->start_col = (int)c;
        } else if (text[c] != '.') {
            return "expected only '.', '#' and one 'S'";
        }
    }
    a->cols = (int)n;
    a->rows++;
    return NULL;
}

/* Reads a map file (blank lines are skipped); returns 0 or fails. */
static int load_trail(struct fgp_setup *s, struct ant *a, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return fgp_fail_key(s, NULL, "trail", "cannot open '%s': %s", path,
                            strerror(errno));
    char line[MAX_SIDE + 8];
    for (int no = 1; fgets(line, sizeof line, fp); no++) {
        const char *why = NULL;
        if (!strchr(line, '\n') && !feof(fp))
            why = "line longer than 128 columns";
        else if (line[strspn(line, "\r\n")] != '\0')
            why = add_row(a, line);
        if (why) {
            fclose(fp);
            return fgp_fail_key(s, NULL, "trail", "'%s' line %d: %s", path, no,
                                why);
        }
    }
    fclose(fp);
    if (a->food == 0)
        return fgp_fail_key(s, NULL, "trail", "'%s' has no food ('#')", path);
    return 0;
}

static int setup(struct fgp_setup *s, void **state)
{
    struct ant *a = calloc(1, sizeof *a);
    if (!a)
        return fgp_fail(s, "out of memory");
    *state = a;
    const char *trail;
    if (fgp_get_int(s, NULL, "steps", 600, 1, 100000, &a->steps) < 0 ||
        fgp_get_path(s, NULL, "trail", "", &trail) < 0)
        return -1;
    if (*trail) {
        if (load_trail(s, a, trail) < 0)
            return -1;
    } else {
        for (int r = 0; r < 32; r++)
            add_row(a, santa_fe[r]);
        /* A typo in the table above would silently change the problem. */
        if (a->rows != 32 || a->cols != 32 || a->food != 89 ||
            a->start_row != 0 || a->start_col != 0)
            return fgp_fail(s,
                            "the built-in Santa Fe trail is damaged: "
                            "%dx%d with %d pellets, expected 32x32 with 89",
                            a->rows, a->cols, a->food);
    }
    for (int k = 0; k < NPRIMS; k++)
        if ((a->ids[k] = fgp_add_symbol(s, prims[k].name, prims[k].arity)) < 0)
            return -1;
    fgp_set_score_name(s, "food");
    return 0;
}

/* Sets *r, *c to the cell ahead of the ant, wrapping around the edges. */
static void ahead(const struct world *w, int *r, int *c)
{
    static const int drow[4] = {0, 1, 0, -1}, dcol[4] = {1, 0, -1, 0};
    *r = (w->row + drow[w->dir] + w->a->rows) % w->a->rows;
    *c = (w->col + dcol[w->dir] + w->a->cols) % w->a->cols;
}

/* Runs the subtree at node i, stopping as soon as the steps are spent or
 * the food is gone. The recursion is as deep as the tree (max_depth). */
static void run(struct world *w, const struct op *code, size_t i)
{
    int r, c;
    if (w->left == 0 || w->eaten == w->a->food)
        return;
    switch (code[i].prim) {
    case IF_FOOD_AHEAD: /* then-branch at i + 1, else-branch after it */
        ahead(w, &r, &c);
        run(w, code, w->grid[r][c] ? i + 1 : code[i + 1].end);
        return;
    case PROG2:
    case PROG3: /* each argument in turn */
        for (size_t k = i + 1; k < code[i].end; k = code[k].end)
            run(w, code, k);
        return;
    case MOVE: /* eats what lies on the new cell */
        ahead(w, &w->row, &w->col);
        w->eaten += w->grid[w->row][w->col];
        w->grid[w->row][w->col] = 0;
        break;
    case LEFT:
        w->dir = (w->dir + 3) % 4;
        break;
    case RIGHT:
        w->dir = (w->dir + 1) % 4;
        break;
    }
    w->left--;
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)rng; /* deterministic */
    const struct ant *a = state;
    size_t n = fgp_program_size(p);
    struct op *code = malloc(n * sizeof *code);
    if (!code)
        return FGP_ERROR;
    /* Decode once: map each node to a primitive and note its subtree's end,
     * so that the walk below is a few array reads per node. */
    for (size_t i = 0; i < n; i++) {
        struct fgp_node nd;
        fgp_program_node(p, i, &nd);
        code[i].prim = -1;
        for (int k = 0; k < NPRIMS && nd.kind == FGP_SYMBOL; k++)
            if (nd.symbol == a->ids[k])
                code[i].prim = k;
        code[i].end = fgp_subtree_end(p, i);
        if (code[i].prim < 0) { /* not one of ours: cannot happen */
            free(code);
            return FGP_ERROR;
        }
    }
    struct world w = {
        .a = a, .row = a->start_row, .col = a->start_col, .left = a->steps};
    memcpy(w.grid, a->map, sizeof w.grid);
    /* Every leaf costs a step, so each pass makes progress. */
    while (w.left > 0 && w.eaten < a->food)
        run(&w, code, 0);
    free(code);
    scores[0] = w.eaten;
    return FGP_OK;
}

static void teardown(void *state)
{
    free(state);
}

FGP_PLUGIN(.name = "ant", .flags = FGP_MAXIMISE, .nscores = 1, .setup = setup,
           .evaluate = evaluate, .teardown = teardown);
