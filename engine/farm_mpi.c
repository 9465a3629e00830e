/*
 * farm_mpi: the farm's MPI backend (built with make MPI=1).
 *
 * Rank 0 sends chunks of JOB frames (tag TAG_JOBS) to the other ranks, one
 * chunk in flight per rank, the next to whichever rank answers first, so
 * uneven nodes do not stall a generation. A rank evaluates its chunk with
 * its own fork backend, on a population of the run's size in which only the
 * chunk's individuals are to be evaluated here: every evaluation keeps
 * its global index, hence its stream, hence its score, whatever the number
 * of ranks and workers. It answers with one RESULT frame per individual,
 * each followed by the status detail (signal or exit status), as int32.
 *
 * Open MPI in Debian 12 has no recovery from a dead rank: the job ends,
 * and the last checkpoint resumes with either backend.
 */
#define _GNU_SOURCE
#include "farm_mpi.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "farm_fork.h"
#include "stop.h"
#include "wire.h"

enum { TAG_JOBS = 1, TAG_RESULTS = 2, TAG_STOP = 3, TAG_BROKEN = 4 };

/* A RESULT frame of the fitness and k further objectives, n constants
 * and e case errors, and its detail. */
#define RESULT_BYTES(k, n, e)                                                 \
    (WIRE_HEADER + WIRE_RESULT_FIXED + 8 + 8 * (size_t)(k) + 8 * (n) +       \
     4 * (size_t)(e) + 4)

struct mpi_farm {
    const struct fitness *fitness;
    struct farm_options opt;
    int nranks;
    size_t *inflight; /* per rank: individuals in its chunk */
    struct buf buf; /* the message being sent or received */
    uint32_t id;
    uint64_t evaluations; /* results taken */
};

/* Joins MPI once; forking afterwards is fine for the transports a node
 * uses (shared memory, TCP), and the workers never call MPI. */
static int join_mpi(void)
{
    int up;
    MPI_Initialized(&up);
    if (up)
        return 0;
    setenv("OMPI_MCA_mpi_warn_on_fork", "0", 0);
    return MPI_Init(NULL, NULL) == MPI_SUCCESS ? 0 : -1;
}

struct mpi_farm *mpi_farm_new(const struct fitness *f,
                              const struct farm_options *o, struct error *err)
{
    if (join_mpi() < 0) {
        error_set(err, "cannot start MPI");
        return NULL;
    }
    struct mpi_farm *mf = calloc(1, sizeof *mf);
    if (!mf) {
        error_set(err, "out of memory");
        return NULL;
    }
    mf->fitness = f;
    mf->opt = *o;
    MPI_Comm_size(MPI_COMM_WORLD, &mf->nranks);
    if (mf->nranks < 2) {
        error_set(err,
                  "[run] backend = mpi needs ranks to evaluate: start it as "
                  "mpirun -n K forkgp run ... with K >= 2");
        free(mf);
        return NULL;
    }
    mf->inflight = calloc((size_t)mf->nranks, sizeof *mf->inflight);
    if (!mf->inflight) {
        error_set(err, "out of memory");
        free(mf);
        return NULL;
    }
    return mf;
}

/* Sends rank r the next chunk of the queue. */
static int send_chunk(struct mpi_farm *mf, int r, struct population *p,
                      size_t *queue, size_t *nqueue, size_t chunk,
                      uint64_t generation)
{
    size_t n = 0;
    struct buf *b = &mf->buf;
    buf_reset(b);
    while (n < chunk && *nqueue > 0) {
        size_t index = queue[--*nqueue];
        const struct tree *t = &p->ind[index].tree;
        if (buf_reserve(b, WIRE_HEADER + 24 + t->size * sizeof(struct node)) <
            0)
            return -1;
        b->len += wire_put_job(b->data + b->len, mf->id++, generation, index,
                               t);
        n++;
    }
    mf->inflight[r] = n;
    return MPI_Send(b->data, (int)b->len, MPI_BYTE, r, TAG_JOBS,
                    MPI_COMM_WORLD) ==
                   MPI_SUCCESS
               ? 0
               : -1;
}

/* Takes a RESULTS message into p. Returns individuals set, or -1. */
static long take_results(struct population *p, const unsigned char *buf,
                         size_t len, size_t *lost)
{
    long n = 0;
    size_t off = 0;
    while (off < len) {
        struct wire_header h;
        struct wire_result res;
        int32_t detail;
        if (len - off < WIRE_HEADER ||
            wire_get_header(buf + off, &h, WIRE_RESULT,
                            WIRE_RESULT_MAX_FOR(p->ncases) - WIRE_HEADER) <
                0 ||
            len - off < WIRE_HEADER + h.length + 4 ||
            wire_get_result(buf + off + WIRE_HEADER, h.length, &res) < 0 ||
            res.index >= p->n || res.status < EVAL_OK ||
            res.status >= EVAL_NSTATUS)
            return -1;
        memcpy(&detail, buf + off + WIRE_HEADER + h.length, 4);
        off += WIRE_HEADER + h.length + 4;
        if (res.status == EVAL_OK &&
            (ind_set_tuned(&p->ind[res.index], res.constants, res.nconst) <
                 0 ||
             ind_set_errors(&p->ind[res.index], res.errors, res.nerrors,
                            p->ncases) < 0 ||
             ind_set_objectives(&p->ind[res.index], res.scores, res.nscores,
                                p->nobjectives) < 0))
            return -1;
        struct scaling s = {res.scaled, res.intercept, res.slope};
        ind_set_result(&p->ind[res.index], res.status, detail, res.scores[0],
                       &s);
        if (res.status >= EVAL_CRASHED)
            (*lost)++;
        n++;
    }
    return n;
}

int mpi_farm_eval(struct mpi_farm *mf, struct population *p,
                  uint64_t generation)
{
    size_t *queue = malloc((p->n ? p->n : 1) * sizeof *queue);
    if (!queue)
        return FARM_BROKEN;
    size_t nqueue = 0, remaining, lost = 0;
    for (size_t i = p->n; i-- > 0;)
        if (ind_needs_eval(&p->ind[i], mf->fitness->rescore)) {
            p->ind[i].status = -1;
            queue[nqueue++] = i;
        }
    remaining = nqueue;
    /* Several chunks per rank, so a fast rank takes more of them. */
    size_t ranks = (size_t)mf->nranks - 1;
    size_t chunk = nqueue / (ranks * 4) + 1;
    int result = FARM_DONE, stopping = 0;
    for (int r = 1; r < mf->nranks; r++)
        if (nqueue > 0 &&
            send_chunk(mf, r, p, queue, &nqueue, chunk, generation) < 0)
            result = FARM_BROKEN;
    while (remaining > 0 && result == FARM_DONE) {
        int flag;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag) {
            /* Poll, so that a signal is seen between messages. */
            if (stop_requested())
                stopping = 1;
            int busy = 0;
            for (int r = 1; r < mf->nranks; r++)
                busy |= mf->inflight[r] > 0;
            if (stopping && !busy) {
                result = FARM_INTERRUPTED;
                break;
            }
            struct timespec ts = {0, 50000};
            nanosleep(&ts, NULL);
            continue;
        }
        int len;
        MPI_Get_count(&st, MPI_BYTE, &len);
        buf_reset(&mf->buf);
        if (buf_reserve(&mf->buf, (size_t)len + 1) < 0) {
            result = FARM_BROKEN;
            break;
        }
        MPI_Recv(mf->buf.data, len, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        int r = st.MPI_SOURCE;
        mf->inflight[r] = 0;
        if (st.MPI_TAG == TAG_BROKEN) {
            result = FARM_BROKEN;
            break;
        }
        long got = take_results(p, mf->buf.data, (size_t)len, &lost);
        if (got < 0) {
            result = FARM_BROKEN;
            break;
        }
        remaining -= (size_t)got;
        mf->evaluations += (uint64_t)got;
        if (lost > mf->opt.restart_limit * (double)p->n && lost > 2)
            result = FARM_BROKEN;
        else if (!stopping && nqueue > 0 &&
                 send_chunk(mf, r, p, queue, &nqueue, chunk, generation) < 0)
            result = FARM_BROKEN;
    }
    free(queue);
    if (result == FARM_DONE && mf->opt.stop_on_failure)
        for (size_t i = 0; i < p->n; i++)
            if (p->ind[i].status >= EVAL_ERROR)
                result = FARM_FAILED;
    return result;
}

void mpi_farm_get_stats(const struct mpi_farm *mf, struct farm_stats *s)
{
    memset(s, 0, sizeof *s);
    s->evaluations = mf->evaluations;
}

void mpi_farm_free(struct mpi_farm *mf)
{
    if (!mf)
        return;
    /* Take what is still on its way, then say stop. */
    for (int r = 1; r < mf->nranks; r++) {
        if (mf->inflight[r] > 0) {
            MPI_Status st;
            int len;
            MPI_Probe(r, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
            MPI_Get_count(&st, MPI_BYTE, &len);
            buf_reset(&mf->buf);
            if (buf_reserve(&mf->buf, (size_t)len + 1) == 0)
                MPI_Recv(mf->buf.data, len, MPI_BYTE, r, st.MPI_TAG, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
        }
        MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
    }
    free(mf->inflight);
    buf_release(&mf->buf);
    free(mf);
    MPI_Finalize();
}

int mpi_farm_serve(const struct fitness *f, uint64_t seed,
                   const struct farm_options *o, size_t population,
                   struct error *err)
{
    if (join_mpi() < 0) {
        error_set(err, "cannot start MPI");
        return -1;
    }
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0)
        return 0;
    /* This rank's own workers, and a population of the run's size in
     * which only the received individuals are evaluated here. */
    struct farm_options local = *o;
    local.backend = FARM_BACKEND_FORK;
    struct fork_farm *fm = fork_farm_new(f, seed, &local, err);
    struct population p = {0};
    struct buf in, out;
    buf_init(&in);
    buf_init(&out);
    double *consts = malloc(((size_t)o->max_size + 1) * sizeof *consts);
    if (!fm || !consts || pop_init(&p, population, o->max_size) < 0 ||
        pop_keep_errors(&p, o->cases) < 0 ||
        pop_keep_objectives(&p, o->objectives) < 0) {
        if (fm)
            error_set(err, "out of memory");
        fork_farm_free(fm);
        MPI_Abort(MPI_COMM_WORLD, 1);
        return -1;
    }
    uint32_t id = 0;
    for (;;) {
        MPI_Status st;
        int len;
        MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        MPI_Get_count(&st, MPI_BYTE, &len);
        buf_reset(&in);
        if (buf_reserve(&in, (size_t)len + 1) < 0)
            MPI_Abort(MPI_COMM_WORLD, 1);
        MPI_Recv(in.data, len, MPI_BYTE, 0, st.MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        if (st.MPI_TAG == TAG_STOP)
            break;
        /* The chunk: its individuals at their own indices. */
        for (size_t i = 0; i < p.n; i++)
            p.ind[i].origin = ORIGIN_ELSEWHERE;
        uint64_t generation = 0;
        size_t off = 0, count = 0;
        while (off + WIRE_HEADER <= (size_t)len) {
            struct wire_header h;
            uint64_t index;
            struct tree t;
            if (wire_get_header(in.data + off, &h, WIRE_JOB, WIRE_MAX_PAYLOAD) < 0 ||
                off + WIRE_HEADER + h.length > (size_t)len)
                MPI_Abort(MPI_COMM_WORLD, 2);
            /* Decode into a scratch view first, to learn the index. */
            memcpy(&index, in.data + off + WIRE_HEADER + 8, sizeof index);
            if (index >= p.n)
                MPI_Abort(MPI_COMM_WORLD, 2);
            t = p.ind[index].tree;
            if (wire_get_job(in.data + off + WIRE_HEADER, h.length, &generation,
                             &index, &t) < 0)
                MPI_Abort(MPI_COMM_WORLD, 2);
            p.ind[index].tree = t;
            p.ind[index].origin = ORIGIN_NEW;
            off += WIRE_HEADER + h.length;
            count++;
        }
        int fr = fork_farm_eval(fm, &p, generation);
        if (fr != FARM_DONE && fr != FARM_FAILED) {
            MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_BROKEN, MPI_COMM_WORLD);
            continue;
        }
        /* Each result with its program's constants, which the evaluation
         * may have tuned (rank 0 writes them into its individual), and the
         * further objectives NSGA-II sorts on. */
        size_t olen = 0, room = 0;
        for (size_t i = 0; i < p.n; i++)
            if (p.ind[i].origin == ORIGIN_NEW)
                room += RESULT_BYTES(o->objectives,
                                     (size_t)p.ind[i].tree.size, o->cases);
        buf_reset(&out);
        if (buf_reserve(&out, room) < 0)
            MPI_Abort(MPI_COMM_WORLD, 1);
        for (size_t i = 0; i < p.n; i++) {
            const struct individual *x = &p.ind[i];
            if (x->origin != ORIGIN_NEW)
                continue;
            struct wire_result res = {
                .index = i, .status = x->status, .nscores = 1,
                .scaled = x->scaling.on, .intercept = x->scaling.intercept,
                .slope = x->scaling.slope};
            res.scores[0] = x->fitness;
            if (x->status == EVAL_OK) {
                res.nscores = 1 + x->nobjectives;
                if (x->nobjectives)
                    memcpy(res.scores + 1, x->objectives,
                           x->nobjectives * sizeof(double));
                res.nconst = tree_get_constants(&x->tree, consts);
                res.constants = consts;
                res.nerrors = x->nerrors;
                res.errors = x->errors;
            }
            olen += wire_put_result(out.data + olen, id++, &res);
            int32_t detail = x->detail;
            memcpy(out.data + olen, &detail, 4);
            olen += 4;
        }
        MPI_Send(out.data, (int)olen, MPI_BYTE, 0, TAG_RESULTS, MPI_COMM_WORLD);
    }
    fork_farm_free(fm);
    pop_release(&p);
    free(consts);
    buf_release(&in);
    buf_release(&out);
    MPI_Finalize();
    return 1;
}
