#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cli.h"

/*
 * check-config's certificate check: the site's certificate (the file
 * nginx serves, TESSERA_TLS_CERT) can be read, and does not expire within
 * warn_days. certbot renews 30 days ahead, so a certificate this close to
 * its end means renewal has been failing.
 */
int
cli_check_cert(const char *path, int warn_days)
{
	FILE *f;
	X509 *cert;
	int days = 0, secs = 0, rc = 0;
	char until[64] = "";
	struct tm tm;

	if ((f = fopen(path, "r")) == NULL) {
		printf("certificate: cannot read %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (cert == NULL) {
		printf("certificate: %s is not a PEM certificate\n", path);
		return -1;
	}
	if (ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(cert)) != 1 ||
	    ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) {
		printf("certificate: %s: its expiry date does not parse\n", path);
		X509_free(cert);
		return -1;
	}
	strftime(until, sizeof(until), "%Y-%m-%d %H:%M UTC", &tm);
	if (days < 0 || (days == 0 && secs <= 0)) {
		printf("certificate: %s expired on %s: browsers refuse the site "
		    "(certbot renew, or tessera setup again)\n", path, until);
		rc = -1;
	} else if (days < warn_days) {
		printf("certificate: %s expires in %d days (%s): renewal is "
		    "failing (certbot renew --dry-run says why)\n", path, days,
		    until);
		rc = -1;
	} else {
		printf("certificate: ok (%s, until %s)\n", path, until);
	}
	X509_free(cert);
	return rc;
}
