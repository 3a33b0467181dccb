/*
 * Logging to standard error, which nginx-less runs and systemd's journal
 * both capture. Every line carries the program name and pid so lines from
 * preforked workers can be told apart.
 */
#ifndef TESSERA_LOG_H
#define TESSERA_LOG_H

void log_set_program(const char *name);
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
