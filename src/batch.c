#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"
#include "i18n.h"
#include "job.h"
#include "jsonv.h"
#include "produce.h"
#include "util.h"
#include "workflow.h"

enum {
    MAX_WORKERS = 64,
    MAX_FRAME = 64 << 20, /* bytes of one message from a worker */
};

/* The engagements to do, and the next one to take: shared by the workers
 * (anonymous shared memory), so a worker that finishes early takes more. */
typedef struct shared {
    atomic_size_t next;
} shared;

/* What one engagement gave: {eng, documents, error, idle, warnings}. */
static bs_value *run_one(bs_session *s, int64_t eng, const produce_opts *o)
{
    bs_job j;
    bs_err e = {0};
    bs_value *warnings = value_list();
    size_t count = 0;
    int rc = job_open(s, eng, &j, &e);
    if (rc == BS_OK) {
        rc = produce_job(&j, NULL, 0, NULL, true, o, &count, NULL, warnings, &e);
    }
    // A closed engagement is passed over (produce.c, check_open), as by generate ENG.
    const char *closed = rc == BS_OK && count == 0 && workflow_closed(j.e)
                             ? value_get_str(j.e, "state")
                             : NULL;
    bs_value *r = value_map();
    value_set_str(r, "closed", closed);
    job_free(&j);
    value_set_int(r, "eng", eng);
    value_set_int(r, "documents", (int64_t)count);
    value_set_str(r, "error", rc != BS_OK ? e.msg : NULL);
    // Nothing written and no failure: the last gate passed over says why.
    value_set_str(r, "idle",
                  rc == BS_OK && count == 0 ? (e.msg[0] ? e.msg : _("no document applies")) : NULL);
    value_set(r, "warnings", warnings);
    return r;
}

/* --- frames between a worker and the parent: a 4-byte length, then JSON --- */

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads exactly n bytes; 0 at a clean end of file before any, -1 on error
 * or a short read. */
static int read_all(int fd, void *p, size_t n)
{
    char *c = p;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, c + got, n - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return got == 0 && r == 0 ? 0 : -1;
        }
        got += (size_t)r;
    }
    return 1;
}

static int send_frame(int fd, const bs_value *v)
{
    char *text = jsonv_dump_compact(v);
    uint32_t len = (uint32_t)strlen(text);
    int rc = write_all(fd, &len, sizeof len) == 0 && write_all(fd, text, len) == 0 ? 0 : -1;
    free(text);
    return rc;
}

/* The next frame (owned, in *out): 1, or 0 at the end, -1 on a broken one. */
static int recv_frame(int fd, bs_value **out)
{
    uint32_t len = 0;
    int r = read_all(fd, &len, sizeof len);
    if (r <= 0) {
        return r;
    }
    if (len > MAX_FRAME) {
        return -1;
    }
    char *text = xmalloc((size_t)len + 1);
    r = read_all(fd, text, len);
    text[len] = '\0';
    bs_err e = {0};
    r = r == 1 && jsonv_parse(text, len, "worker", out, &e) == BS_OK ? 1 : -1;
    free(text);
    return r;
}

/* A worker: its own session, engagements taken one by one until none is
 * left; every result sent to the parent. Never returns. */
static void worker(const char *dir, const char *actor, const produce_opts *o, const int64_t *ids,
                   size_t n, shared *sh, int fd)
{
    signal(SIGPIPE, SIG_DFL); // the parent is gone: nobody to report to
    bs_session *s = NULL;
    bs_err e = {0};
    if (session_open(dir, actor, true, &s, &e) != BS_OK) {
        bs_value *f = value_map();
        value_set_str(f, "fatal", e.msg);
        send_frame(fd, f);
        value_free(f);
        _exit(1);
    }
    for (;;) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= n) {
            break;
        }
        bs_value *start = value_map();
        value_set_int(start, "start", ids[i]);
        int w = send_frame(fd, start);
        value_free(start);
        bs_value *r = run_one(s, ids[i], o);
        w = w == 0 ? send_frame(fd, r) : w;
        value_free(r);
        if (w != 0) {
            break;
        }
    }
    session_close(s);
    _exit(0);
}

/* The parent's view of the run. */
typedef struct run {
    const bs_value *list; /* lent: the engagements (store_engagement_list) */
    size_t total, done, documents, failed;
    batch_progress progress;
    void *ud;
} run;

static const bs_value *engagement_of(const run *r, int64_t eng)
{
    for (size_t i = 0; i < value_len(r->list); i++) {
        if (value_as_int(value_get(value_at(r->list, i), "id")) == eng) {
            return value_at(r->list, i);
        }
    }
    return NULL;
}

/* Counts a result and passes it on, with the engagement's names. Takes
 * nothing: `res` stays the caller's. */
static void report(run *r, bs_value *res)
{
    const bs_value *e = engagement_of(r, value_as_int(value_get(res, "eng")));
    r->done++;
    r->documents += (size_t)value_as_int(value_get(res, "documents"));
    r->failed += value_get_str(res, "error") != NULL;
    value_set_str(res, "company", e ? value_get_str(e, "company_name") : NULL);
    value_set_str(res, "theme", e ? value_get_str(e, "theme") : NULL);
    value_set_int(res, "done", (int64_t)r->done);
    value_set_int(res, "total", (int64_t)r->total);
    if (r->progress) {
        r->progress(r->ud, res);
    }
}

static void report_lost(run *r, int64_t eng, const char *why)
{
    bs_value *res = value_map();
    value_set_int(res, "eng", eng);
    value_set_int(res, "documents", 0);
    value_set_str(res, "error", why);
    value_set(res, "warnings", value_list());
    report(r, res);
    value_free(res);
}

static int workers_default(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

/* Runs the workers and collects what they send until all are done. */
static int run_workers(bs_session *s, run *r, const produce_opts *o, const int64_t *ids, int nw,
                       bs_err *err)
{
    shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
        return bs_err_set(err, BS_EIO, _("cannot share memory with worker processes: %s"),
                          strerror(errno));
    }
    atomic_init(&sh->next, 0);
    char *dir = xstrdup(session_dir(s));
    const char *actor = session_actor(s);
    pid_t pids[MAX_WORKERS] = {0};
    struct pollfd fds[MAX_WORKERS];
    int64_t busy[MAX_WORKERS] = {0}; /* the engagement each worker is on, or 0 */
    int started = 0, rc = BS_OK;
    fflush(stdout);
    fflush(stderr);
    session_suspend_store(s); // no database connection may cross fork()
    for (int w = 0; w < nw; w++) {
        int p[2];
        if (pipe(p) != 0) {
            rc = bs_err_set(err, BS_EIO, _("cannot start a worker: %s"), strerror(errno));
            break;
        }
        pid_t pid = fork();
        if (pid < 0) {
            close(p[0]);
            close(p[1]);
            rc = bs_err_set(err, BS_EIO, _("cannot start a worker: %s"), strerror(errno));
            break;
        }
        if (pid == 0) {
            close(p[0]);
            for (int k = 0; k < started; k++) {
                close(fds[k].fd); // the other workers' pipes are the parent's
            }
            worker(dir, actor, o, ids, r->total, sh, p[1]);
        }
        close(p[1]);
        pids[started] = pid;
        fds[started] = (struct pollfd){.fd = p[0], .events = POLLIN};
        started++;
    }
    for (int open = started; open > 0;) {
        if (poll(fds, (nfds_t)started, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            rc = bs_err_set(err, BS_EIO, _("waiting for the workers: %s"), strerror(errno));
            break;
        }
        for (int w = 0; w < started; w++) {
            if (fds[w].fd < 0 || !(fds[w].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            bs_value *f = NULL;
            int got = recv_frame(fds[w].fd, &f);
            if (got <= 0) {
                close(fds[w].fd);
                fds[w].fd = -1;
                open--;
                continue;
            }
            if (value_get(f, "start")) {
                busy[w] = value_as_int(value_get(f, "start"));
            } else if (value_get_str(f, "fatal")) {
                rc = bs_err_set(err, BS_EIO, _("a worker could not start: %s"),
                                value_get_str(f, "fatal"));
            } else {
                busy[w] = 0;
                report(r, f);
            }
            value_free(f);
        }
    }
    for (int w = 0; w < started; w++) {
        int status = 0;
        while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR) {
        }
        if (busy[w]) {
            // It stopped in the middle of an engagement (killed, or a crash).
            char why[96];
            if (WIFSIGNALED(status)) {
                snprintf(why, sizeof why, _("the worker stopped (signal %d)"), WTERMSIG(status));
            } else {
                snprintf(why, sizeof why, _("the worker stopped (exit status %d)"),
                         WEXITSTATUS(status));
            }
            report_lost(r, busy[w], why);
        }
    }
    // Whatever no worker reached (all of them failed to start).
    for (size_t i = atomic_load(&sh->next); i < r->total; i++) {
        report_lost(r, ids[i], _("no worker took it"));
    }
    munmap(sh, sizeof *sh);
    free(dir);
    int rr = session_resume_store(s, err);
    return rc == BS_OK ? rr : rc;
}

int batch_generate(bs_session *s, int workers, const produce_opts *o, batch_progress progress,
                   void *ud, bs_value **summary_out, bs_err *err)
{
    bs_value *list = NULL;
    int rc = store_engagement_list(session_store(s), &list, err);
    if (rc != BS_OK) {
        return rc;
    }
    run r = {.list = list, .total = value_len(list), .progress = progress, .ud = ud};
    int64_t *ids = xcalloc(r.total + 1, sizeof *ids);
    for (size_t i = 0; i < r.total; i++) {
        ids[i] = value_as_int(value_get(value_at(list, i), "id"));
    }
    int nw = workers > 0 ? workers : workers_default();
    if (nw > MAX_WORKERS) {
        nw = MAX_WORKERS;
    }
    if ((size_t)nw > r.total) {
        nw = r.total ? (int)r.total : 1;
    }
    if (nw == 1) {
        for (size_t i = 0; i < r.total; i++) {
            bs_value *res = run_one(s, ids[i], o);
            report(&r, res);
            value_free(res);
        }
    } else {
        rc = run_workers(s, &r, o, ids, nw, err);
    }
    free(ids);
    value_free(list);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *sum = value_map();
    value_set_int(sum, "engagements", (int64_t)r.total);
    value_set_int(sum, "documents", (int64_t)r.documents);
    value_set_int(sum, "failed", (int64_t)r.failed);
    value_set_int(sum, "workers", nw);
    *summary_out = sum;
    if (r.failed) {
        return bs_err_set(err, BS_ESTATE,
                          ngettext("%zu of %zu engagement failed", "%zu of %zu engagements failed",
                                   r.total),
                          r.failed, r.total);
    }
    return BS_OK;
}
