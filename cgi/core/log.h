/*
 * Logging to standard error, which nginx-less runs and systemd's journal
 * both capture. Every line carries the program name and pid so lines from
 * preforked workers can be told apart, and while a request is answered
 * its id ("req=..."), nginx's $request_id, which the error page shows as
 * its reference: what a person quotes finds the lines of their request.
 */
#ifndef TESSERA_LOG_H
#define TESSERA_LOG_H

void log_set_program(const char *name);
/* The id of the request being answered, copied (at most LOG_REQUEST_ID_MAX
 * characters), for every line until the next call; NULL or "" for none. */
#define LOG_REQUEST_ID_MAX 64
void log_set_request(const char *id);
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
