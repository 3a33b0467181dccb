#include "event_banner.h"

#include "arena.h"
#include "db.h"
#include "util.h"

enum banner_stmt { BN_OWN_SHOWN, BN_SET, BN__MAX };

static const char *const banner_stmts[BN__MAX] = {
	/* BN_OWN_SHOWN: a shared lock, so a moderator's hiding waits for
	 * the choice, or the choice sees it hidden */
	"SELECT 1 FROM pictures WHERE id = ? AND owner_id = ? "
	"AND status = 'ready' LOCK IN SHARE MODE",
	/* BN_SET */
	"UPDATE events SET banner_picture_id = ? WHERE id = ?",
};

int
event_banner_set(struct db *db, long long event_id, long long owner_id,
    long long picture_id)
{
	struct db_arg own[] = { DB_INT(picture_id), DB_INT(owner_id) };
	struct db_arg set[] = { picture_id ? DB_INT(picture_id) : DB_NULL,
		DB_INT(event_id) };

	if (picture_id != 0) {
		struct db_rows rows;
		struct arena a;
		int shown;

		arena_init(&a, 256);
		shown = db_query(db, &a, DB_PRIMARY, banner_stmts[BN_OWN_SHOWN],
		    own, ARRAY_LEN(own), &rows) == DB_OK ? rows.nrows > 0 : -1;
		arena_free(&a);
		if (shown != 1)
			return shown < 0 ? -1 : 1;
	}
	return db_exec(db, banner_stmts[BN_SET], set, ARRAY_LEN(set), NULL,
	    NULL) == DB_OK ? 0 : -1;
}
