#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *
env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return (v != NULL && *v != '\0') ? v : fallback;
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

int
config_load(struct config *cfg, char *err, size_t errlen)
{
	const char *lag;
	char *end;
	long v;

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
	cfg->base_url = env_or("TESSERA_BASE_URL", NULL);
	cfg->secret_key = env_or("TESSERA_SECRET_KEY", NULL);
	if (cfg->secret_key != NULL && strlen(cfg->secret_key) < 32) {
		snprintf(err, errlen, "TESSERA_SECRET_KEY: must be at least 32 "
		    "characters");
		return -1;
	}
	cfg->smtp_url = env_or("TESSERA_SMTP_URL", NULL);
	cfg->smtp_user = env_or("TESSERA_SMTP_USER", NULL);
	cfg->smtp_password = env_or("TESSERA_SMTP_PASSWORD", NULL);
	cfg->mail_from = env_or("TESSERA_MAIL_FROM",
	    "Tessera <no-reply@tessera.test>");
	cfg->mail_dir = env_or("TESSERA_MAIL_DIR", NULL);

	lag = env_or("TESSERA_REPLICA_MAX_LAG", "5");
	v = strtol(lag, &end, 10);
	if (*end != '\0' || v < 0 || v > 86400) {
		snprintf(err, errlen, "TESSERA_REPLICA_MAX_LAG: not a number of "
		    "seconds: \"%s\"", lag);
		return -1;
	}
	cfg->replica_max_lag = (int)v;
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
	return config_split_replicas(cfg, getenv("TESSERA_DB_REPLICAS"), err,
	    errlen);
}
