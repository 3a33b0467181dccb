#include "fcgi_server.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* How long a stopping master waits for workers before killing them. */
#define STOP_GRACE_SECONDS 30
/* A worker that dies sooner than this after its start is restarted only
 * after a pause, so a worker that cannot start does not spin the CPU. */
#define QUICK_DEATH_SECONDS 2

struct worker_slot {
	pid_t pid;
	time_t started;
	time_t restart_at;  /* 0: running or not due */
};

static volatile sig_atomic_t worker_stopping;

static void
worker_on_term(int sig)
{
	(void)sig;
	worker_stopping = 1;
	FCGX_ShutdownPending();
}

/*
 * The worker lets SIGTERM interrupt only the accept(2) wait: while it
 * answers a request the signal is blocked, so database and socket calls are
 * never cut short, and the pending signal ends the loop once the request is
 * finished. The master repeats SIGTERM until the worker leaves, which covers
 * a signal that lands between the flag check and accept(2).
 */
static void
worker_main(int sock, const struct fcgi_server_opts *o)
{
	struct sigaction sa;
	sigset_t term, none;
	FCGX_Request req;
	int rc;

	sigemptyset(&none);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_on_term;  /* no SA_RESTART: accept sees EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);    /* the master handles Ctrl-C */
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (o->worker_init != NULL && o->worker_init(o->arg) != 0) {
		log_err("%s: worker start-up failed", __func__);
		_exit(EXIT_FAILURE);
	}
	if (FCGX_InitRequest(&req, sock, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_err("%s: FCGX_InitRequest failed", __func__);
		_exit(EXIT_FAILURE);
	}
	while (!worker_stopping) {
		rc = FCGX_Accept_r(&req);
		if (rc < 0) {
			if (worker_stopping)
				break;
			if (rc == -EINTR || rc == -ECONNABORTED)
				continue;
			log_err("%s: accept failed (%d)", __func__, rc);
			break;
		}
		sigprocmask(SIG_BLOCK, &term, NULL);
		/* Closing without FCGX_Finish_r's end-of-request record is
		 * the one way FastCGI has to say "this response is broken";
		 * the Finish after it then has nothing left to do. */
		if (o->handle(&req, o->arg) != 0)
			FCGX_Free(&req, 1);
		FCGX_Finish_r(&req);
		sigprocmask(SIG_UNBLOCK, &term, NULL);
	}
	FCGX_Free(&req, 0);
	if (o->worker_exit != NULL)
		o->worker_exit(o->arg);
	_exit(EXIT_SUCCESS);
}

static void
start_worker(struct worker_slot *w, int sock, const struct fcgi_server_opts *o)
{
	pid_t pid = fork();

	if (pid < 0) {
		log_err("%s: fork: %s", __func__, strerror(errno));
		w->pid = 0;
		w->restart_at = time(NULL) + 1;
		return;
	}
	if (pid == 0)
		worker_main(sock, o);
	w->pid = pid;
	w->started = time(NULL);
	w->restart_at = 0;
}

static struct worker_slot *
slot_by_pid(struct worker_slot *ws, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (ws[i].pid == pid)
			return &ws[i];
	return NULL;
}

static int
count_alive(const struct worker_slot *ws, int n)
{
	int alive = 0;

	for (int i = 0; i < n; i++)
		if (ws[i].pid > 0)
			alive++;
	return alive;
}

/* Reaps dead workers; while running, schedules their replacement. */
static void
reap_workers(struct worker_slot *ws, int n, int stopping)
{
	struct worker_slot *w;
	time_t now = time(NULL);
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((w = slot_by_pid(ws, n, pid)) == NULL)
			continue;
		w->pid = 0;
		if (stopping)
			continue;
		if (WIFSIGNALED(status))
			log_err("worker %d killed by signal %d; restarting",
			    (int)pid, WTERMSIG(status));
		else
			log_err("worker %d exited with status %d; restarting",
			    (int)pid, WEXITSTATUS(status));
		w->restart_at = (now - w->started < QUICK_DEATH_SECONDS) ?
		    now + QUICK_DEATH_SECONDS : now;
	}
}

static void
signal_workers(const struct worker_slot *ws, int n, int sig)
{
	for (int i = 0; i < n; i++)
		if (ws[i].pid > 0)
			kill(ws[i].pid, sig);
}

/* Opens the listening socket, replacing a stale unix socket file. */
static int
open_listener(const struct fcgi_server_opts *o)
{
	int is_unix = strchr(o->listen, ':') == NULL;
	struct stat st;
	int sock;

	if (is_unix && stat(o->listen, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(o->listen);
	sock = FCGX_OpenSocket(o->listen, o->backlog);
	if (sock < 0) {
		log_err("%s: cannot listen on %s: %s", __func__, o->listen,
		    strerror(errno));
		return -1;
	}
	if (is_unix && chmod(o->listen, (mode_t)o->socket_mode) != 0) {
		log_err("%s: chmod %s: %s", __func__, o->listen, strerror(errno));
		close(sock);
		return -1;
	}
	return sock;
}

int
fcgi_server_run(const struct fcgi_server_opts *o)
{
	struct worker_slot *ws;
	struct timespec tick = { 0, 200 * 1000 * 1000 };
	sigset_t wanted;
	time_t stop_deadline = 0;
	int sock, sig, stopping = 0;

	if (FCGX_Init() != 0) {
		log_err("%s: FCGX_Init failed", __func__);
		return -1;
	}
	if ((sock = open_listener(o)) < 0)
		return -1;

	/* The master takes its signals synchronously with sigtimedwait, so
	 * nothing runs in a handler. Workers reset the mask after fork. */
	sigemptyset(&wanted);
	sigaddset(&wanted, SIGTERM);
	sigaddset(&wanted, SIGINT);
	sigaddset(&wanted, SIGCHLD);
	sigaddset(&wanted, SIGHUP);
	sigprocmask(SIG_BLOCK, &wanted, NULL);
	signal(SIGPIPE, SIG_IGN);

	ws = xcalloc((size_t)o->workers, sizeof(*ws));
	for (int i = 0; i < o->workers; i++)
		start_worker(&ws[i], sock, o);
	log_info("listening on %s with %d workers", o->listen, o->workers);

	for (;;) {
		sig = sigtimedwait(&wanted, NULL, &tick);
		if ((sig == SIGTERM || sig == SIGINT) && !stopping) {
			log_info("stopping: finishing requests in flight");
			stopping = 1;
			stop_deadline = time(NULL) + STOP_GRACE_SECONDS;
		}
		reap_workers(ws, o->workers, stopping);
		if (stopping) {
			if (count_alive(ws, o->workers) == 0)
				break;
			if (time(NULL) >= stop_deadline) {
				log_err("workers still busy after %d s; killing them",
				    STOP_GRACE_SECONDS);
				signal_workers(ws, o->workers, SIGKILL);
			} else {
				signal_workers(ws, o->workers, SIGTERM);
			}
			continue;
		}
		for (int i = 0; i < o->workers; i++)
			if (ws[i].pid == 0 && ws[i].restart_at <= time(NULL))
				start_worker(&ws[i], sock, o);
	}
	close(sock);
	if (strchr(o->listen, ':') == NULL)
		unlink(o->listen);
	free(ws);
	log_info("stopped");
	return 0;
}
