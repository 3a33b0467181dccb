/*
 * Unit tests for notify.c's pure parts: the table of kinds (names round
 * trip, the defaults the issue asks for: ticket and order mails on and
 * essential, likes off and aggregated) and the unsubscribe token (stable,
 * bound to the account, the kind and the secret; compared whole).
 */
#include <string.h>

#include "arena.h"
#include "notify.h"
#include "tap.h"

static void
test_kinds(void)
{
	for (int k = 0; k < NOTIFY__MAX; k++) {
		is_int(notify_kind_from_name(notify_kind_name(k)), k,
		    "%s round-trips", notify_kind_name(k));
		ok(strlen(notify_kind_name(k)) <= 32, "%s fits the column",
		    notify_kind_name(k));
		ok(notify_kind_label(k)[0] != '\0', "%s has a label",
		    notify_kind_name(k));
		ok(!notify_kind_essential(k) || notify_kind_mail_default(k),
		    "%s: an essential kind is mailed by default",
		    notify_kind_name(k));
	}
	is_int(notify_kind_from_name("nope"), -1, "an unknown name is no kind");
	is_int(notify_kind_from_name(NULL), -1, "nor is NULL");
	ok(notify_kind_essential(NOTIFY_BOOKING_CONFIRMED) &&
	    notify_kind_essential(NOTIFY_REFUND_DONE) &&
	    notify_kind_essential(NOTIFY_EVENT_CANCELLED),
	    "tickets and money are essential");
	ok(notify_kind_mail_default(NOTIFY_EVENT_REMINDER) &&
	    !notify_kind_essential(NOTIFY_EVENT_REMINDER),
	    "reminders: mailed by default, and one may stop them");
	ok(!notify_kind_mail_default(NOTIFY_PICTURE_LIKED) &&
	    notify_kind_aggregates(NOTIFY_PICTURE_LIKED),
	    "likes: not mailed by default, aggregated");
	ok(!notify_kind_aggregates(NOTIFY_PICTURE_SOLD), "a sale is its own row");
	ok(!notify_kind_mail_default(NOTIFY_NEW_BOOKINGS),
	    "organizers' new bookings: off by default (the digest is opt-in)");
}

static void
test_tokens(struct arena *a)
{
	const char *key = "a secret of at least thirty-two characters";
	const char *t = notify_token(a, key, 42, NOTIFY_REVIEW_REPLY);

	is_int((int)strlen(t), 43, "a token is 32 bytes in base64url");
	is_str(notify_token(a, key, 42, NOTIFY_REVIEW_REPLY), t, "stable");
	ok(notify_token_ok(a, key, 42, NOTIFY_REVIEW_REPLY, t), "it checks");
	ok(!notify_token_ok(a, key, 43, NOTIFY_REVIEW_REPLY, t),
	    "not for another account");
	ok(!notify_token_ok(a, key, 42, NOTIFY_EVENT_REMINDER, t),
	    "not for another kind");
	ok(!notify_token_ok(a, "another secret of thirty-two characters!", 42,
	    NOTIFY_REVIEW_REPLY, t), "not under another secret");
	ok(!notify_token_ok(a, key, 42, NOTIFY_REVIEW_REPLY, ""), "empty");
	ok(!notify_token_ok(a, key, 42, NOTIFY_REVIEW_REPLY, NULL), "absent");
	{
		char cut[64];

		strcpy(cut, t);
		cut[42] = '\0';
		ok(!notify_token_ok(a, key, 42, NOTIFY_REVIEW_REPLY, cut),
		    "one character short");
	}
}

int
main(void)
{
	struct arena a;

	arena_init(&a, 0);
	test_kinds();
	test_tokens(&a);
	arena_free(&a);
	return done_testing();
}
