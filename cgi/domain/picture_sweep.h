/*
 * Sweeping the media store of files no picture row names: an original
 * renamed into originals/ whose upload's transaction never committed (a
 * crash between the two), or the derived sizes the worker wrote for a
 * picture deleted meanwhile. A file younger than min_age seconds is left
 * alone, as its row may be committing now. Files are checked one by one
 * against pictures.storage_key on the primary.
 */
#ifndef TESSERA_PICTURE_SWEEP_H
#define TESSERA_PICTURE_SWEEP_H

struct db;
struct media_store;

/* What an upload may take from its rename to its commit, and more. */
#define PICTURE_SWEEP_MIN_AGE 3600

struct picture_sweep {
	long long originals;      /* orphan originals removed (or found) */
	long long derived;        /* orphan derived files removed (or found) */
	long long kept;           /* files of a picture, kept */
	long long young;          /* orphans younger than min_age, kept */
};

/* Sweeps ms; with dry_run only counts. Returns 0, or -1 (logged) when
 * the store or the database failed, having removed what it counted. */
int picture_sweep(struct db *db, const struct media_store *ms, long min_age,
    int dry_run, struct picture_sweep *out);

#endif
