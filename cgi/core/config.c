#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static const char *
env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return (v != NULL && *v != '\0') ? v : fallback;
}

/* Reads the whole number in variable name (fallback when unset) into
 * *out if it is within lo..hi. Returns 0, or -1 with err saying what is
 * allowed (unit: what the number counts). */
static int
env_int(const char *name, const char *fallback, long lo, long hi,
    const char *unit, int *out, char *err, size_t errlen)
{
	const char *s = env_or(name, fallback);
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end != '\0' || v < lo || v > hi) {
		snprintf(err, errlen, "%s: %ld to %ld %s, not \"%s\"", name, lo,
		    hi, unit, s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* Splits TESSERA_DB_REPLICAS on commas into cfg->db_replicas. The copy
 * lives for the whole process, like the environment it came from. */
static int
config_split_replicas(struct config *cfg, const char *list, char *err,
    size_t errlen)
{
	char *copy, *item, *save = NULL;

	cfg->nreplicas = 0;
	if (list == NULL)
		return 0;
	copy = xstrdup(list);
	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		while (*item == ' ')
			item++;
		if (*item == '\0')
			continue;
		if (cfg->nreplicas == CONFIG_MAX_REPLICAS) {
			snprintf(err, errlen, "TESSERA_DB_REPLICAS: more than %d replicas",
			    CONFIG_MAX_REPLICAS);
			return -1;
		}
		cfg->db_replicas[cfg->nreplicas++] = item;
	}
	return 0;
}

/* The Stripe API base: https://HOST[:PORT][/PATH], or plain http:// only
 * to this host ([:PORT][/PATH]), where the secret key cannot leave the
 * machine. No user information, spaces or control characters. */
static int
config_check_stripe_base(const char *base, char *err, size_t errlen)
{
	static const char *const local[] = { "http://127.0.0.1",
		"http://localhost", "http://[::1]" };
	const unsigned char *c;

	for (c = (const unsigned char *)base; *c != '\0'; c++)
		if (*c <= ' ' || *c >= 0x7f || *c == '@')
			goto bad;
	if (strncmp(base, "https://", 8) == 0 && base[8] != '\0' &&
	    base[8] != '/')
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(local); i++) {
		const char *rest = base + strlen(local[i]);

		if (strncmp(base, local[i], strlen(local[i])) != 0)
			continue;
		if (*rest == ':' && rest[1] != '\0') {
			size_t digits = strspn(rest + 1, "0123456789");

			if (digits == 0 || digits > 5)
				goto bad;
			rest += 1 + digits;
		}
		if (*rest == '\0' || *rest == '/')
			return 0;
	}
bad:
	snprintf(err, errlen, "TESSERA_STRIPE_API_BASE: https://HOST, or "
	    "http:// to 127.0.0.1, localhost or [::1] only: \"%.80s\"", base);
	return -1;
}

/* The site's own address: http:// or https://, a host, maybe a port; no
 * path, no trailing slash, no user information, nothing to escape. */
static int
config_check_base_url(const char *url, char *err, size_t errlen)
{
	const char *host = strncmp(url, "https://", 8) == 0 ? url + 8 :
	    strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
	size_t n = host ? strspn(host, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") : 0;

	if (host == NULL || n == 0 || host[n] != '\0' || host[0] == ':') {
		snprintf(err, errlen, "TESSERA_BASE_URL: the site's address, "
		    "https://HOST or https://HOST:PORT with no path: \"%.80s\"",
		    url);
		return -1;
	}
	return 0;
}

/* The media root: absolute, no trailing slash, no "." or ".." segment,
 * so the paths built under it are what they look like. */
static int
config_check_media_dir(const char *dir, char *err, size_t errlen)
{
	size_t n = strlen(dir);

	if (dir[0] != '/' || n < 2 || dir[n - 1] == '/' ||
	    strstr(dir, "/./") != NULL || strstr(dir, "/../") != NULL ||
	    strstr(dir, "//") != NULL ||
	    (n >= 2 && strcmp(dir + n - 2, "/.") == 0) ||
	    (n >= 3 && strcmp(dir + n - 3, "/..") == 0) || n > 200) {
		snprintf(err, errlen, "TESSERA_MEDIA_DIR: an absolute path "
		    "without a trailing slash, \".\" or \"..\" (at most 200 "
		    "bytes): \"%.80s\"", dir);
		return -1;
	}
	return 0;
}

int
config_check_media(const char *media_dir, char *err, size_t errlen)
{
	static const char *const subs[] = {
		CONFIG_MEDIA_TMP, CONFIG_MEDIA_ORIGINALS, CONFIG_MEDIA_PUBLIC,
	};
	struct stat st, tmp;
	char path[512];

	for (size_t i = 0; i < ARRAY_LEN(subs); i++) {
		snprintf(path, sizeof(path), "%s/%s", media_dir, subs[i]);
		errno = 0;
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode) ||
		    access(path, W_OK | X_OK) != 0) {
			snprintf(err, errlen, "%s: %s", path, errno ?
			    strerror(errno) : "not a folder");
			return -1;
		}
		if (i == 0)
			tmp = st;
		else if (i == 1 && st.st_dev != tmp.st_dev) {
			snprintf(err, errlen, "%s/%s and %s are on two "
			    "filesystems: a kept upload could not be renamed",
			    media_dir, CONFIG_MEDIA_TMP, path);
			return -1;
		}
	}
	return 0;
}

static const char *const db_tls_names[CONFIG_DB_TLS__MAX] = {
	[CONFIG_DB_TLS_VERIFY] = "verify",
	[CONFIG_DB_TLS_REQUIRED] = "required",
	[CONFIG_DB_TLS_OFF] = "off",
};

int
config_db_tls_parse(const char *s, enum config_db_tls *out)
{
	for (int i = 0; i < CONFIG_DB_TLS__MAX; i++)
		if (strcmp(s, db_tls_names[i]) == 0) {
			*out = (enum config_db_tls)i;
			return 0;
		}
	return -1;
}

int
config_require_site(const struct config *cfg, char *err, size_t errlen)
{
	/* Links in mails (sign-up, password reset) are built from it, never
	 * from a request's Host header, which the client chooses. */
	if (cfg->base_url == NULL) {
		snprintf(err, errlen, "TESSERA_BASE_URL is not set: the site's "
		    "address, e.g. https://tickets.example.org");
		return -1;
	}
	return 0;
}

int
config_load(struct config *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->db_name = env_or("TESSERA_DB_NAME", "tessera");
	cfg->db_user = env_or("TESSERA_DB_USER", "tessera");
	cfg->db_password = env_or("TESSERA_DB_PASSWORD", "");
	cfg->db_primary = env_or("TESSERA_DB_PRIMARY",
	    "unix:/run/mysqld/mysqld.sock");
	cfg->templates_dir = env_or("TESSERA_TEMPLATES",
	    TESSERA_DATADIR "/templates");
	cfg->sql_dir = env_or("TESSERA_SQL_DIR", TESSERA_DATADIR "/sql");
	cfg->data_dir = env_or("TESSERA_DATA_DIR", TESSERA_DATADIR "/data");
	cfg->site_name = env_or("TESSERA_SITE_NAME", "Tessera");
	cfg->media_dir = env_or("TESSERA_MEDIA_DIR", NULL);
	if (cfg->media_dir != NULL &&
	    config_check_media_dir(cfg->media_dir, err, errlen) != 0)
		return -1;
	cfg->base_url = env_or("TESSERA_BASE_URL", NULL);
	if (cfg->base_url != NULL &&
	    config_check_base_url(cfg->base_url, err, errlen) != 0)
		return -1;
	cfg->secret_key = env_or("TESSERA_SECRET_KEY", NULL);
	if (cfg->secret_key != NULL && strlen(cfg->secret_key) < 32) {
		snprintf(err, errlen, "TESSERA_SECRET_KEY: must be at least 32 "
		    "characters");
		return -1;
	}
	cfg->smtp_url = env_or("TESSERA_SMTP_URL", NULL);
	cfg->smtp_user = env_or("TESSERA_SMTP_USER", NULL);
	cfg->smtp_password = env_or("TESSERA_SMTP_PASSWORD", NULL);
	cfg->smtp_ca = env_or("TESSERA_SMTP_CA", NULL);
	cfg->mail_from = env_or("TESSERA_MAIL_FROM",
	    "Tessera <no-reply@tessera.test>");
	cfg->mail_dir = env_or("TESSERA_MAIL_DIR", NULL);
	cfg->state_dir = env_or("TESSERA_STATE_DIR", NULL);
	cfg->stripe_api_base = env_or("TESSERA_STRIPE_API_BASE",
	    "https://api.stripe.com");
	if (config_check_stripe_base(cfg->stripe_api_base, err, errlen) != 0)
		return -1;
	cfg->stripe_secret_key = env_or("TESSERA_STRIPE_SECRET_KEY", NULL);
	if (cfg->stripe_secret_key != NULL &&
	    strncmp(cfg->stripe_secret_key, "sk_", 3) != 0 &&
	    strncmp(cfg->stripe_secret_key, "rk_", 3) != 0) {
		snprintf(err, errlen, "TESSERA_STRIPE_SECRET_KEY: a secret "
		    "(sk_...) or restricted (rk_...) key");
		return -1;
	}
	cfg->stripe_webhook_secret = env_or("TESSERA_STRIPE_WEBHOOK_SECRET",
	    NULL);
	if (cfg->stripe_webhook_secret != NULL &&
	    strncmp(cfg->stripe_webhook_secret, "whsec_", 6) != 0) {
		snprintf(err, errlen, "TESSERA_STRIPE_WEBHOOK_SECRET: the "
		    "endpoint's signing secret, whsec_...");
		return -1;
	}

	if (env_int("TESSERA_REPLICA_MAX_LAG", "5", 0, 86400, "seconds",
	    &cfg->replica_max_lag, err, errlen) != 0 ||
	    env_int("TESSERA_PAGE_CACHE_MS", "1000", 0, 2000, "milliseconds",
	    &cfg->page_cache_ms, err, errlen) != 0)
		return -1;
	cfg->hold_minutes = atoi(env_or("TESSERA_HOLD_MINUTES", "15"));
	if (cfg->hold_minutes < 1 || cfg->hold_minutes > 24 * 60) {
		snprintf(err, errlen, "TESSERA_HOLD_MINUTES: 1 to 1440");
		return -1;
	}
	cfg->payment_sandbox = strcmp(env_or("TESSERA_PAYMENT_SANDBOX", "0"),
	    "1") == 0;
	cfg->hash_concurrency = atoi(env_or("TESSERA_HASH_CONCURRENCY", "1"));
	if (cfg->hash_concurrency < 1 || cfg->hash_concurrency > 64) {
		snprintf(err, errlen, "TESSERA_HASH_CONCURRENCY: 1 to 64");
		return -1;
	}
	if (config_db_tls_parse(env_or("TESSERA_DB_TLS", "verify"),
	    &cfg->db_tls) != 0) {
		snprintf(err, errlen, "TESSERA_DB_TLS: verify, required or off");
		return -1;
	}
	cfg->db_tls_ca = env_or("TESSERA_DB_TLS_CA", NULL);
	cfg->signups_per_network = atoi(env_or("TESSERA_SIGNUPS_PER_NETWORK",
	    "20"));
	if (cfg->signups_per_network < 1 ||
	    cfg->signups_per_network > 1000000) {
		snprintf(err, errlen, "TESSERA_SIGNUPS_PER_NETWORK: 1 to 1000000");
		return -1;
	}
	return config_split_replicas(cfg, getenv("TESSERA_DB_REPLICAS"), err,
	    errlen);
}
