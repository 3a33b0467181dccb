/*
 * Prefork FastCGI server, in the manner of php-fpm: a master process opens
 * the listening socket, forks N single-threaded workers that each accept and
 * answer requests, restarts any worker that dies, and on SIGTERM or SIGINT
 * lets every worker finish the request it is answering before exiting.
 */
#ifndef TESSERA_FCGI_SERVER_H
#define TESSERA_FCGI_SERVER_H

#include <fcgiapp.h>

/*
 * The listening socket's backlog. nginx connects once per request and
 * never keeps the connection (fastcgi_keep_conn off), so at 1,000
 * visitors at once up to 1,000 connections wait here for a worker; a
 * full backlog refuses the connect and nginx answers 502. Linux caps it
 * at net.core.somaxconn (4096 since 5.4).
 */
#define FCGI_SERVER_BACKLOG 4096

struct fcgi_server_opts {
	const char *listen;   /* unix socket path, or host:port */
	int workers;          /* worker processes */
	int backlog;          /* listen(2) backlog */
	int socket_mode;      /* permissions of a unix socket, e.g. 0660 */
	/* Called once in each worker before it accepts; non-zero ends the
	 * worker (the master restarts it after a pause). */
	int (*worker_init)(void *arg);
	/* Answers one request. Returns 0, and the server finishes it; or
	 * -1 when its response was cut short after the head went out (a
	 * streamed body that failed half-way, response.h): the server then
	 * closes the connection without ending the request, which tells
	 * the web server the response is incomplete. */
	int (*handle)(FCGX_Request *req, void *arg);
	/* Called once in each worker as it leaves. */
	void (*worker_exit)(void *arg);
	void *arg;
};

/* Runs until SIGTERM/SIGINT and every worker has left. Returns 0 after a
 * clean stop, -1 when the socket cannot be opened. Only the master returns;
 * workers exit. */
int fcgi_server_run(const struct fcgi_server_opts *opts);

#endif
