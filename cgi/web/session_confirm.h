/*
 * The password asked again within a session, before what may only be
 * done with it fresh (a site admin changing an account's role or access):
 * tessera-app, which alone reads password hashes, checks it at
 * /me/confirm and records when in the session's row; the program that
 * needs it asks whether that was recent enough.
 */
#ifndef TESSERA_SESSION_CONFIRM_H
#define TESSERA_SESSION_CONFIRM_H

struct request;

/* How long a confirmed password counts. */
#define SESSION_CONFIRM_SECONDS 300
/* The page that asks for it; ?next= says where to go back. */
#define SESSION_CONFIRM_PATH "/me/confirm"

/* Records that the person of r->session typed their password just now.
 * Returns 0 or -1. */
int session_confirm(struct request *r);

/* 1 when r->session's password was confirmed within
 * SESSION_CONFIRM_SECONDS, 0 when not, -1 when the database cannot say. */
int session_confirmed(struct request *r);

/* Sends the browser to the confirmation page, which leads back to next
 * (a path of this site); returns the status to answer with (303). */
int session_confirm_redirect(struct request *r, const char *next);

#endif
