#include <string.h>

#include "config.h"
#include "db.h"
#include "tap.h"

/* The TLS a database connection asks for: never over a unix socket;
 * over TCP required and verified unless TESSERA_DB_TLS says otherwise,
 * with TESSERA_DB_TLS_CA as the CAs when it is set. */
int
main(void)
{
	struct config cfg;
	struct db_tls t;
	enum config_db_tls mode;

	memset(&cfg, 0, sizeof(cfg));
	ok(config_db_tls_parse("verify", &mode) == 0 &&
	    mode == CONFIG_DB_TLS_VERIFY, "verify parses");
	ok(config_db_tls_parse("required", &mode) == 0 &&
	    mode == CONFIG_DB_TLS_REQUIRED, "required parses");
	ok(config_db_tls_parse("off", &mode) == 0 && mode == CONFIG_DB_TLS_OFF,
	    "off parses");
	ok(config_db_tls_parse("yes", &mode) != 0 &&
	    config_db_tls_parse("", &mode) != 0 &&
	    config_db_tls_parse("VERIFY", &mode) != 0, "anything else is refused");

	cfg.db_tls = CONFIG_DB_TLS_VERIFY;
	db_tls_for(&cfg, "unix:/run/mysqld/mysqld.sock", &t);
	ok(!t.enforce && !t.verify && t.ca == NULL,
	    "a unix socket: no TLS, it never leaves the machine");
	db_tls_for(&cfg, "db.example.org:3306", &t);
	ok(t.enforce && t.verify && t.ca == NULL,
	    "host:port by default: TLS required, the certificate checked "
	    "against the system's CAs");
	cfg.db_tls_ca = "/etc/tessera/db-ca.pem";
	db_tls_for(&cfg, "10.0.0.5:3306", &t);
	ok(t.enforce && t.verify && t.ca != NULL &&
	    strcmp(t.ca, "/etc/tessera/db-ca.pem") == 0,
	    "with TESSERA_DB_TLS_CA: checked against that file");
	cfg.db_tls = CONFIG_DB_TLS_REQUIRED;
	db_tls_for(&cfg, "10.0.0.5:3306", &t);
	ok(t.enforce && !t.verify, "required: encrypted, not checked");
	cfg.db_tls = CONFIG_DB_TLS_OFF;
	db_tls_for(&cfg, "10.0.0.5:3306", &t);
	ok(!t.enforce && !t.verify, "off: not asked for");
	done_testing();
}
