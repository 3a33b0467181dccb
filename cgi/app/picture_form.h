/*
 * The fields people fill in about a picture: at upload (all of them) and
 * when its owner edits it later (all but the file and the event, which
 * stay as uploaded).
 */
#ifndef TESSERA_PICTURE_FORM_H
#define TESSERA_PICTURE_FORM_H

#include "form.h"

enum picture_field {
	PF_TITLE,
	PF_DESCRIPTION,
	PF_PRICE,
	PF_LICENCE,
	PF_EDIT__MAX,            /* the edit form ends here */
	PF_EVENT = PF_EDIT__MAX,
	PF_FILE,
	PF__MAX
};

extern const struct form picture_upload_form;
extern const struct form picture_edit_form;

#endif
