/*
 * sim.h: one simulated run of a scenario, and what it found.
 *
 * ss_simulate builds the model of SPEC section 1 on the engine - the task
 * pool and its workloads (local delivery with SMTP back-pressure, OWA, the
 * move wizards and their flushes) - runs it for the scenario's duration and
 * fills an ss_results: the symptoms of SPEC section 2 with their times, the
 * key events of the timeline, and the totals.
 *
 * The run is a pure function of the scenario (seed included): the same
 * scenario gives the same results, bit for bit. Options only watch: a trace
 * and a time-series sampler never change what happens.
 */
#ifndef STORESIM_SIM_H
#define STORESIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "storesim/pool.h"
#include "storesim/scenario.h"
#include "storesim/simtime.h"
#include "storesim/stats.h"
#include "storesim/trace.h"

/* The symptoms: the six of SPEC section 2, then the end of an OWA episode;
 * each the first time it happened, SS_NEVER when it did not. */
enum ss_symptom {
    SS_POOL_EXHAUSTED,
    SS_DELIVERY_STARVED,
    SS_DELIVERY_RECOVERED,
    SS_OWA_UNRESPONSIVE,
    SS_SMTP_STOPPED,
    SS_SMTP_RESUMED,
    SS_OWA_RESPONSIVE,  /* a whole owa.timeout with no request failing, after one did */
    SS_SYMPTOMS
};

/*
 * Episodes. Three symptoms come and go, and each time is an episode, from
 * its start to its end or still going at the end of the run (docs/model.md,
 * section 6):
 *
 *   starved  from "delivery starved" to "delivery recovered" (the backlog
 *            empty again);
 *   OWA      from a request that fails until a whole owa.timeout has passed
 *            with no request failing ("OWA responsive");
 *   SMTP     from "SMTP stopped" (a message refused) to "SMTP resumed".
 *
 * A symptom back less than simulation.episode_gap after it ended belongs to
 * the same episode (flapping): the episode counts how many times it started
 * within it, and the time the symptom really held.
 */
enum ss_episodic { SS_EP_STARVED, SS_EP_OWA, SS_EP_SMTP, SS_EPISODIC };

struct ss_episode {
    ss_time start;
    ss_time end;        /* SS_NEVER: still going when the run ended */
    uint64_t starts;    /* the times the symptom began within it: 1, more when it flapped */
    ss_time active_us;  /* the time the symptom really held within it */
};

/* Episodes kept one by one; beyond, only counted (their totals stay exact). */
#define SS_EPISODES_KEPT 100000

struct ss_episodes {
    struct ss_episode *list; /* in time order, at most SS_EPISODES_KEPT */
    size_t n, cap;
    uint64_t count;          /* every episode, kept or not */
    ss_time total_us;        /* their time, each to its end (or to the end of the run) */
    /* While the run goes: the episode going on, or just ended (pending: an
     * SMTP stop soon after may still fold into it). */
    struct ss_episode current;
    int state;               /* 0 none, 1 going on, 2 ended and pending */
    ss_time since;           /* when the symptom last began within the current one */
};

/* The symptom an episode starts with, and the one it ends with. */
enum ss_symptom ss_episode_start_symptom(enum ss_episodic e);
enum ss_symptom ss_episode_end_symptom(enum ss_episodic e);

/* "pool_exhausted", ... : the JSON and CSV names. */
const char *ss_symptom_key(enum ss_symptom s);

/* "Pool exhausted", ... : the names in the reports. */
const char *ss_symptom_label(enum ss_symptom s);

struct ss_results;

/* How a symptom that did not happen reads in a report: "never", except that
 * recovery without starvation reads "not starved", and SMTP resuming without
 * having stopped reads "not stopped". */
const char *ss_symptom_never(const struct ss_results *r, enum ss_symptom s);

/* The symptom s can only follow (delivery starved for delivery recovered,
 * ...), or SS_SYMPTOMS; and how s reads when that one never happened: "not
 * starved", "not stopped", "no failure" ("never" for the others). */
enum ss_symptom ss_symptom_cause(enum ss_symptom s);
const char *ss_symptom_not(enum ss_symptom s);

/* The state of the store at one instant, for the time series. */
struct ss_sample {
    ss_time time;
    long long busy[SS_KINDS];    /* threads running each kind of task */
    long long waiting[SS_KINDS]; /* tasks of each kind waiting for a thread */
    long long backlog;           /* messages in the local delivery queue, not on a thread */
    uint64_t delivered;          /* since the start */
    uint64_t refused;
    uint64_t owa_failed;
};

/* One move batch ([move NAME]). */
struct ss_batch_result {
    ss_time started;     /* when the wizard started; SS_NEVER if after the run */
    ss_time done;        /* when its last mailbox finished; SS_NEVER if not */
    uint64_t submitted;  /* mailbox moves submitted as tasks */
    uint64_t completed;
    uint64_t failed;     /* cut short by a restart of the store */
    uint64_t cancelled;  /* mailboxes never submitted: the batch was cancelled */
};

/* What one [action NAME] did, when it happened. */
struct ss_action_result {
    ss_time up;                 /* a restart: when the store ran again; SS_NEVER if not */
    bool changed;               /* false: nothing to do (the MTA was already running, ...) */
    bool extended;              /* a restart while the store was down: it starts no sooner */
    uint64_t requeued;          /* restart: messages on a thread, back in the queue */
    uint64_t owa_failed;        /* restart: OWA requests in the store, failed */
    uint64_t moves_failed;      /* restart: mailbox moves in the store, failed */
    uint64_t flushes_cleared;   /* restart: flushes registered, gone */
    uint64_t flushes_changed;   /* start_mta: flushes now answered; stop_mta: now left to time out */
    uint64_t cancelled;         /* cancel_move: mailboxes its wizard will not move */
};

struct ss_results {
    ss_time symptom[SS_SYMPTOMS];

    /* Key events of the timeline. */
    ss_time first_flush_registered;
    ss_time first_flush_skipped;
    ss_time first_flush_timeout;  /* the first flush that ran out its timeout */
    ss_time end;                  /* the scenario's duration */

    struct {
        uint64_t arrived;    /* messages offered for the first time */
        uint64_t delivered;
        long long queued;    /* in the local delivery queue at the end: waiting or on a thread */
        uint64_t refused;    /* refusals by a stopped SMTP service (a message may be refused twice) */
        uint64_t deferred;   /* refused with smtp.retry = 0: the sender keeps them */
        uint64_t retrying;   /* refused, waiting at the sender to retry at the end */
        uint64_t requeued;   /* on a thread when the store restarted: back in the queue */
        uint64_t refused_down; /* refusals while the store was down */
    } delivery;
    struct {
        uint64_t arrived, served, failed;
        uint64_t failed_restart; /* of the failed: in the store at a restart, or while it was down */
        long long waiting;     /* at the end, waiting for a thread */
        long long in_progress; /* at the end, on a thread */
    } owa;
    struct {
        uint64_t submitted, completed;
        uint64_t failed;     /* cut short by a restart */
        uint64_t cancelled;  /* never submitted: the batch was cancelled */
    } moves;
    struct {
        uint64_t registered, skipped, completed, timed_out;
        uint64_t cleared;    /* gone with a restart of the store */
    } flushes;
    struct {
        uint64_t restarts;   /* times the store stopped (restart_store, install_hotfix) */
        ss_time down_us;     /* time it was down within the run */
    } store;
    struct {
        long long threads, max_busy;
        double busy_us[SS_KINDS];  /* thread time spent on each kind within the run */
        double utilization;        /* share of all thread time that was busy, 0..1 */
    } pool;

    struct ss_hist wait[SS_KINDS]; /* how long tasks waited for a thread, by kind */
    double hold_us[SS_KINDS];      /* sum of the hold times of the tasks started, by kind */

    struct ss_episodes episodes[SS_EPISODIC];

    ss_time starved_us;            /* time spent starved, all episodes */
    uint64_t starved_episodes;
    long long max_backlog;         /* largest local-delivery backlog */
    uint64_t events;               /* events the engine handled */

    struct ss_batch_result *batches; /* one per [move] section, in file order */
    size_t n_batches;

    struct ss_action_result *actions; /* one per [action] section, in file order */
    size_t n_actions;

    /* What the run missed, "FILE: warning: ..." lines (moves still going at
     * the end, flushes still holding threads), for stderr and the JSON. */
    char **warnings;
    size_t n_warnings;
};

/* How often a long stretch of a run looks up to hear whether to stop: about
 * a millisecond of processor time. */
#define SS_POLL_EVENTS 16384

/*
 * Every thread, task by task: for the lanes (lanes.h), the trace events
 * (trace_events.h) and the HTML report. An observer is told each task that
 * gets a thread and each that leaves one, with the thread's number, in the
 * order they happen; at one instant a task's end comes before the start of
 * the task its thread takes next. A run without an observer pays one NULL
 * check per task start and end.
 */
enum ss_task_step {
    SS_TASK_STARTS,  /* it got thread `thread` now and is to hold it until `end` */
    SS_TASK_ENDS,    /* its hold is over: it leaves its thread now */
    SS_TASK_CUT,     /* a restart of the store cut it short now */
    SS_TASK_RETIMED  /* still running, it now ends at `end` (the MTA started or stopped) */
};

struct ss_task_note {
    enum ss_task_step step;
    ss_time now;
    long long thread;   /* from 0: thread 1 is 0; after a restart numbering starts again */
    enum ss_kind kind;
    ss_time started;    /* when it got its thread */
    ss_time end;        /* STARTS, RETIMED: when it is to end; ENDS, CUT: now */
    const char *title;  /* with task_titles: the task in plain words ("flush of
                           mailbox 17, batch1: times out"); else NULL */
    long long backlog;  /* messages waiting for a thread, now */
};

struct ss_sim_options {
    struct ss_trace *trace;  /* NULL: no trace */
    /* If not NULL, told every task start and end (above). */
    void (*on_task)(void *ctx, const struct ss_task_note *note);
    void *task_ctx;
    bool task_titles;        /* give each note its title (costs a format per note) */
    /* Called at 0, every sample_interval and at the end, if not NULL. */
    void (*on_sample)(void *ctx, const struct ss_sample *sample);
    void *sample_ctx;
    /* If not NULL, called at every 1% of the simulated time and at the end
     * (100 or 101 times), and between those at least every SS_POLL_EVENTS
     * events: for a progress line, or to stop. A non-zero return stops the
     * run, and ss_simulate then fails with "interrupted". */
    int (*on_progress)(void *ctx, ss_time now, uint64_t events);
    void *progress_ctx;
};

/* Run the scenario. Returns 0, or -1 with err set (out of memory). *res must
 * be freed with ss_results_free either way. opt may be NULL. */
int ss_simulate(const struct ss_scenario *sc, const struct ss_sim_options *opt,
                struct ss_results *res, char *err, size_t err_size);

void ss_results_free(struct ss_results *res);

#endif
