#include "admin_event_form.h"

#include <string.h>

#include "arena.h"
#include "dates.h"
#include "util.h"

/* The columns' sizes (sql/001_schema.sql, 006_offline_payments.sql), in
 * characters; a description is TEXT, bounded well below its 64 KiB and
 * the form body's. */
#define TITLE_MAX 200
#define SUMMARY_MAX 300
#define DESCRIPTION_MAX 8000
#define VENUE_MAX 200
#define ADDRESS_MAX 300
#define CITY_MAX 100
#define TIMEZONE_MAX 64
#define INSTRUCTIONS_MAX 1000

/* Years a time may name: dates far out are typing mistakes. */
#define TIME_EARLIEST "2000-01-01T00:00"
#define TIME_LATEST "2100-12-31T23:59"

#define MSG_ZONE "Enter a time zone of the IANA database, such as " \
	"Europe/Berlin, America/New_York or UTC."

static const char *const status_choices[] = { "draft", "published" };
static const char *const status_labels[] = {
	"Draft: only you see it",
	"Published: on the public pages, on sale",
};

static const char *
zone_check(struct arena *a, const char *value, const char **out)
{
	(void)a;
	(void)out;
	return dates_zone_valid(value) ? NULL : MSG_ZONE;
}

#define TEXT_LINE(fname, flabel, fmax, fflags) \
	.name = (fname), .kind = FORM_TEXT, .flags = (fflags) | FORM_TRIM, \
	.label = (flabel), .charset = FORM_LINE, .max_chars = (fmax)

#define WHEN(fname, flabel, fflags) \
	.name = (fname), .kind = FORM_DATETIME, .flags = (fflags), \
	.label = (flabel), .earliest = TIME_EARLIEST, .latest = TIME_LATEST, \
	.zone_field = "timezone"

static const struct form_field event_fields[EVF__MAX] = {
	[EVF_TITLE] = { TEXT_LINE("title", "Title", TITLE_MAX,
	    FORM_REQUIRED), .missing = "Give the event a title." },
	[EVF_SUMMARY] = { TEXT_LINE("summary", "Summary", SUMMARY_MAX, 0),
	    .hint = "One line under the title, on the event's card." },
	[EVF_DESCRIPTION] = { .name = "description", .kind = FORM_TEXT,
	    .flags = FORM_TRIM, .label = "Description", .charset = FORM_MULTILINE,
	    .max_chars = DESCRIPTION_MAX,
	    .hint = "Plain text: an empty line starts a new paragraph, and "
	    "web addresses (https://...) become links." },
	[EVF_VENUE] = { TEXT_LINE("venue", "Venue", VENUE_MAX, FORM_REQUIRED),
	    .missing = "Say where the event takes place." },
	[EVF_ADDRESS] = { TEXT_LINE("address", "Address", ADDRESS_MAX, 0),
	    .autocomplete = "street-address" },
	[EVF_CITY] = { TEXT_LINE("city", "City", CITY_MAX, FORM_REQUIRED),
	    .autocomplete = "address-level2",
	    .missing = "Enter the city: visitors find events by it." },
	[EVF_TIMEZONE] = { TEXT_LINE("timezone", "Time zone", TIMEZONE_MAX,
	    FORM_REQUIRED), .check = zone_check, .invalid = MSG_ZONE,
	    .missing = MSG_ZONE, .autocomplete = "off",
	    .hint = "Where the event takes place, as the IANA database names "
	    "it: Europe/Berlin, Europe/Lisbon, America/New_York, UTC. The "
	    "times below are in this zone." },
	[EVF_STARTS] = { WHEN("starts_at", "Starts", FORM_REQUIRED),
	    .missing = "Enter when the event starts." },
	[EVF_ENDS] = { WHEN("ends_at", "Ends", FORM_REQUIRED),
	    .missing = "Enter when the event ends." },
	[EVF_REFUNDS_UNTIL] = { WHEN("refunds_until", "Refunds until", 0),
	    .hint = "Until then a buyer may cancel a paid order and get the "
	    "money back. Leave it empty for no refunds." },
	[EVF_OFFLINE_DAYS] = { .name = "offline_payment_days", .kind = FORM_INT,
	    .label = "Days to pay offline", .min = 1, .max = 365,
	    .hint = "Let buyers reserve and pay by bank transfer or at the "
	    "door within this many days (never after the event ends). Leave "
	    "it empty not to offer it." },
	[EVF_OFFLINE_INSTRUCTIONS] = { .name = "offline_instructions",
	    .kind = FORM_TEXT, .flags = FORM_TRIM,
	    .label = "How to pay offline",
	    .charset = FORM_MULTILINE, .max_chars = INSTRUCTIONS_MAX,
	    .hint = "Shown to buyers who pay offline: the account, the "
	    "reference to give, or where to pay." },
	[EVF_STATUS] = { .name = "status", .kind = FORM_CHOICE,
	    .flags = FORM_REQUIRED, .label = "Status",
	    .choices = status_choices, .choice_labels = status_labels,
	    .nchoices = ARRAY_LEN(status_choices),
	    .hint = "Publishing needs a ticket type. A published event goes "
	    "back to draft only while nobody has ordered." },
};

/* The checks across fields, each where its fields passed; all decided
 * before any message is set, as a message clears its field's value. */
static void
event_cross(struct arena *a, struct form_result *res)
{
	const struct form_value *starts = &res->field[EVF_STARTS];
	const struct form_value *ends = &res->field[EVF_ENDS];
	const struct form_value *refunds = &res->field[EVF_REFUNDS_UNTIL];
	const struct form_value *days = &res->field[EVF_OFFLINE_DAYS];
	const struct form_value *how = &res->field[EVF_OFFLINE_INSTRUCTIONS];
	int end_first = starts->text != NULL && ends->text != NULL &&
	    ends->time <= starts->time;
	int late_refunds = refunds->text != NULL && ends->text != NULL &&
	    refunds->time > ends->time;
	int no_how = days->text != NULL && how->error == NULL &&
	    how->text == NULL;

	(void)a;
	if (end_first)
		form_set_error(res, EVF_ENDS, "The end must be after the start.");
	if (late_refunds)
		form_set_error(res, EVF_REFUNDS_UNTIL, "Refunds can run until "
		    "the event ends at the latest.");
	if (no_how)
		form_set_error(res, EVF_OFFLINE_INSTRUCTIONS, "Tell buyers how "
		    "to pay offline, or leave the days empty.");
}

const struct form event_form_new = { "event", event_fields, EVF_STATUS,
	event_cross };
const struct form event_form_edit = { "event", event_fields, EVF__MAX,
	event_cross };

/* The text of a field that passed, "" when it was left empty. */
static const char *
text_of(const struct form_result *res, size_t i)
{
	return res->field[i].text != NULL ? res->field[i].text : "";
}

void
event_form_read(const struct form_result *res, struct event *ev)
{
	const struct form_value *v = res->field;

	ev->title = text_of(res, EVF_TITLE);
	ev->summary = text_of(res, EVF_SUMMARY);
	ev->description = text_of(res, EVF_DESCRIPTION);
	ev->venue = text_of(res, EVF_VENUE);
	ev->address = text_of(res, EVF_ADDRESS);
	ev->city = text_of(res, EVF_CITY);
	ev->timezone = text_of(res, EVF_TIMEZONE);
	ev->starts_at = v[EVF_STARTS].time;
	ev->ends_at = v[EVF_ENDS].time;
	ev->has_refunds_until = v[EVF_REFUNDS_UNTIL].text != NULL;
	ev->refunds_until = v[EVF_REFUNDS_UNTIL].time;
	ev->offline_payment_days = v[EVF_OFFLINE_DAYS].text != NULL ?
	    v[EVF_OFFLINE_DAYS].num : 0;
	ev->offline_instructions = text_of(res, EVF_OFFLINE_INSTRUCTIONS);
	ev->status = res->form->nfields > EVF_STATUS &&
	    v[EVF_STATUS].text != NULL && v[EVF_STATUS].num == 1 ?
	    EVENT_PUBLISHED : EVENT_DRAFT;
}

/* t as a datetime-local value in zone. */
static const char *
local_value(struct arena *a, time_t t, const char *zone)
{
	return dates_local(a, t, zone, "%Y-%m-%dT%H:%M");
}

void
event_form_fill(struct arena *a, const struct event *ev,
    struct form_result *res)
{
	form_blank(a, &event_form_edit, res);
	form_set(res, EVF_TITLE, ev->title);
	form_set(res, EVF_SUMMARY, ev->summary);
	form_set(res, EVF_DESCRIPTION, ev->description ? ev->description : "");
	form_set(res, EVF_VENUE, ev->venue);
	form_set(res, EVF_ADDRESS, ev->address);
	form_set(res, EVF_CITY, ev->city);
	form_set(res, EVF_TIMEZONE, ev->timezone);
	form_set(res, EVF_STARTS, local_value(a, ev->starts_at, ev->timezone));
	form_set(res, EVF_ENDS, local_value(a, ev->ends_at, ev->timezone));
	if (ev->has_refunds_until)
		form_set(res, EVF_REFUNDS_UNTIL, local_value(a,
		    ev->refunds_until, ev->timezone));
	if (ev->offline_payment_days > 0)
		form_set(res, EVF_OFFLINE_DAYS, arena_printf(a, "%lld",
		    ev->offline_payment_days));
	form_set(res, EVF_OFFLINE_INSTRUCTIONS, ev->offline_instructions ?
	    ev->offline_instructions : "");
	form_set(res, EVF_STATUS, events_status_name(ev->status));
}

int
event_form_check_new(struct form_result *res, time_t now)
{
	const struct form_value *starts = &res->field[EVF_STARTS];

	if (starts->text == NULL || starts->time >= now)
		return 0;
	form_set_error(res, EVF_STARTS, "This time is past: a new event "
	    "starts in the future.");
	return 1;
}
