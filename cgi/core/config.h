/*
 * Run-time configuration of the programs, read once at start-up from the
 * environment (systemd units load it with EnvironmentFile=; the local stack
 * exports it). Strings point into the environment or static defaults and
 * live for the whole process.
 */
#ifndef TESSERA_CONFIG_H
#define TESSERA_CONFIG_H

#include <stddef.h>

#define CONFIG_MAX_REPLICAS 8

/* The folders under TESSERA_MEDIA_DIR. */
#define CONFIG_MEDIA_TMP "tmp"
#define CONFIG_MEDIA_ORIGINALS "originals"
#define CONFIG_MEDIA_PUBLIC "public"
/* TESSERA_DB_TLS: what a connection over TCP asks of TLS (a unix socket
 * never needs it). */
enum config_db_tls {
	CONFIG_DB_TLS_VERIFY,    /* required, the server's certificate checked
	                          * (against TESSERA_DB_TLS_CA, else the
	                          * system's CAs) and its name matched */
	CONFIG_DB_TLS_REQUIRED,  /* required, the certificate not checked */
	CONFIG_DB_TLS_OFF,       /* not asked for */
	CONFIG_DB_TLS__MAX
};

struct config {
	const char *db_name;        /* TESSERA_DB_NAME */
	const char *db_user;        /* TESSERA_DB_USER */
	const char *db_password;    /* TESSERA_DB_PASSWORD */
	const char *db_primary;     /* TESSERA_DB_PRIMARY: unix:/path or host:port */
	/* TESSERA_DB_REPLICAS, comma-separated */
	const char *db_replicas[CONFIG_MAX_REPLICAS];
	int nreplicas;
	int replica_max_lag;        /* TESSERA_REPLICA_MAX_LAG, seconds */
	int page_cache_ms;          /* TESSERA_PAGE_CACHE_MS: how long a worker
	                             * keeps the public part of a hot page
	                             * (web/page_cache.h), 0 (off) to 2000;
	                             * default 1000 */
	enum config_db_tls db_tls;  /* TESSERA_DB_TLS: verify (default),
	                             * required or off */
	const char *db_tls_ca;      /* TESSERA_DB_TLS_CA: a PEM file, or NULL */
	const char *templates_dir;  /* TESSERA_TEMPLATES */
	const char *sql_dir;        /* TESSERA_SQL_DIR */
	const char *data_dir;       /* TESSERA_DATA_DIR: common-passwords.txt */
	/* TESSERA_MEDIA_DIR: the media root, an absolute path without a
	 * trailing slash; NULL when unset. Under it (CONFIG_MEDIA_*), tmp/
	 * holds uploads being received (http_spool.h), originals/ and
	 * public/ the pictures kept; all on one filesystem, so a kept upload
	 * is a rename(2) away. */
	const char *media_dir;
	const char *site_name;      /* TESSERA_SITE_NAME */
	int hash_concurrency;       /* TESSERA_HASH_CONCURRENCY: password hashes
	                             * at once per program (default 1) */
	int signups_per_network;    /* TESSERA_SIGNUPS_PER_NETWORK: sign-ups,
	                             * reset requests and new passwords a
	                             * client network may ask for in an hour
	                             * (20) */
	const char *secret_key;     /* TESSERA_SECRET_KEY: at least 32 characters,
	                             * the same for every program of a site;
	                             * keys CSRF tokens. NULL when unset. */
	/* Mail, for tessera-worker. Without a relay, mails are written as
	 * .eml files into mail_dir for a person to open. */
	const char *smtp_url;       /* TESSERA_SMTP_URL: smtp://host:587 or
	                             * smtps://host:465; NULL: no relay */
	const char *smtp_user;      /* TESSERA_SMTP_USER */
	const char *smtp_password;  /* TESSERA_SMTP_PASSWORD */
	const char *smtp_ca;        /* TESSERA_SMTP_CA: the CAs that check
	                             * the relay's certificate; NULL: the
	                             * system's */
	const char *mail_from;      /* TESSERA_MAIL_FROM */
	const char *mail_dir;       /* TESSERA_MAIL_DIR */
	const char *state_dir;      /* TESSERA_STATE_DIR: the worker's own
	                             * files that must outlive it (its
	                             * journal of mails sent, mail_journal.h);
	                             * NULL: none, a mail may then go twice
	                             * across a database outage */
	int hold_minutes;           /* TESSERA_HOLD_MINUTES: how long a hold
	                             * keeps its seats for checkout (15) */
	int payment_sandbox;        /* TESSERA_PAYMENT_SANDBOX=1: the pretend
	                             * provider of the local stack; never in
	                             * production */
	const char *base_url;       /* TESSERA_BASE_URL, e.g. https://tickets.example;
	                             * NULL: taken from each request */
	/* Stripe, for tessera-app. The base is https://, or http:// to a
	 * fake on this host only (tests/e2e/fake_stripe.py). */
	const char *stripe_api_base;        /* TESSERA_STRIPE_API_BASE */
	const char *stripe_secret_key;      /* TESSERA_STRIPE_SECRET_KEY: sk_ or
	                                     * rk_...; NULL when unset */
	const char *stripe_webhook_secret;  /* TESSERA_STRIPE_WEBHOOK_SECRET:
	                                     * whsec_...; NULL when unset */
};

/* Fills cfg from the environment; on a bad value writes the reason into
 * err and returns -1. */
int config_load(struct config *cfg, char *err, size_t errlen);
/* Whether the media root is usable: tmp/, originals/ and public/ are
 * folders this process may write in, tmp/ and originals/ on the same
 * filesystem (a kept upload is renamed). Returns 0, or -1 with the
 * reason. */
int config_check_media(const char *media_dir, char *err, size_t errlen);
/* TESSERA_DB_TLS's value s ("verify", "required", "off") into *out.
 * Returns 0, or -1 for anything else. */
int config_db_tls_parse(const char *s, enum config_db_tls *out);
/* What a program that serves the site or mails its links needs beyond
 * config_load: TESSERA_BASE_URL. Returns 0, or -1 with the reason. */
int config_require_site(const struct config *cfg, char *err, size_t errlen);

#endif
