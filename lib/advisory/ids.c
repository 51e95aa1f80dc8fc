/*
 * ids.c: the public IDs of advisories (advisory.h; issue 12 item 2, SPEC 6
 * (1)), like JVN's: "JVN#12345678" for a case of one domestic vendor,
 * "JVNVU#12345678" for several vendors or one abroad, "JVNTA#12345678" for a
 * technical alert the coordinator chose; the prefixes are settings
 * (advisory_prefix_jvn, _vu, _ta). An ID is drawn in the publishing
 * transaction, 8 uniformly random digits (like tracking numbers, so it says
 * nothing about volume or order), and recorded in advisory_ids, a table that
 * refers to nothing: an ID any advisory ever had is never drawn again, even
 * when the advisory is gone. The public address is the ID without its "#".
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "internal.h"

int kk_advisory_id_parse(const char *s, char *out, size_t n)
{
	size_t letters = 0, digits = 0;
	const char *p;

	if (!s)
		return -1;
	while (letters < 9 && s[letters] >= 'A' && s[letters] <= 'Z')
		letters++;
	if (letters < 1 || letters > 8)
		return -1;
	p = s + letters + (s[letters] == '#');
	while (p[digits] >= '0' && p[digits] <= '9')
		digits++;
	if (digits != 8 || p[digits] != '\0' || letters + 10 > n)
		return -1;
	snprintf(out, n, "%.*s#%s", (int)letters, s, p);
	return 0;
}

char *kk_advisory_id_slug(const char *id, char *out, size_t n)
{
	size_t k = 0;

	for (const char *p = id ? id : ""; *p && k + 1 < n; p++)
		if (*p != '#')
			out[k++] = *p;
	if (n)
		out[k < n ? k : n - 1] = '\0';
	return out;
}

enum kk_result adv_id_kind(struct kk_tx *tx, int64_t case_id, const json_t *content, char *kind,
			   struct kk_error *err)
{
	const char *chosen = json_string_value(json_object_get(content, "kind"));
	int64_t vendors = 0;
	int domestic = 0;
	enum kk_result res;

	if (chosen) {
		snprintf(kind, 8, "%s", chosen);
		return KK_OK;
	}
	/* issue 12 item 2: JVN# for one domestic vendor, JVNVU# for several or one abroad */
	res = kk_advisory_case_vendors(tx, case_id, &vendors, &domestic, err);
	if (!res)
		snprintf(kind, 8, "%s", vendors == 1 && domestic ? "jvn" : "vu");
	return res;
}

enum kk_result adv_id_draw(struct kk_tx *tx, int64_t case_id, const char *kind, char *id, struct kk_error *err)
{
	const char *key = !strcmp(kind, "jvn") ? "advisory_prefix_jvn"
			  : !strcmp(kind, "ta") ? "advisory_prefix_ta"
						: "advisory_prefix_vu";
	const char *def = !strcmp(kind, "jvn") ? KK_ADVISORY_PREFIX_JVN_DEFAULT
			  : !strcmp(kind, "ta") ? KK_ADVISORY_PREFIX_TA_DEFAULT
						: KK_ADVISORY_PREFIX_VU_DEFAULT;
	char *prefix = NULL;
	enum kk_result res = kk_setting_read(tx, key, def, &prefix, err);

	for (int i = 0; !res && i < KK_ADVISORY_ID_TRIES; i++) {
		int taken = 0;

		snprintf(id, KK_ADVISORY_ID_MAX, "%.8s#%08u", prefix, (unsigned)randombytes_uniform(100000000));
		/* never reused: every ID ever given is in advisory_ids */
		res = kk_advisory_ids_take(tx, id, case_id, kk_now(), &taken, err);
		if (!res && taken) {
			free(prefix);
			return KK_OK;
		}
	}
	free(prefix);
	if (!res)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("No free public ID could be drawn; try again."));
	id[0] = '\0';
	return res;
}

enum kk_result adv_id_url(struct kk_tx *tx, const char *id, char **url, struct kk_error *err)
{
	char *base = NULL, slug[KK_ADVISORY_ID_MAX];
	enum kk_result res = kk_setting_read(tx, "base_url", "", &base, err);

	*url = NULL;
	if (res)
		return res;
	*url = kk_strdupf("%s/advisories/%s", base, kk_advisory_id_slug(id, slug, sizeof(slug)));
	free(base);
	return *url ? KK_OK : kk_error_nomem(err);
}
