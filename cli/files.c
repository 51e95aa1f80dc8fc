/*
 * files.c: reading a whole file named on the command line, with a cap, for the
 * commands that take one (keikai holidays import, keikai vendor set-key).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

char *cli_read_file(const char *path, size_t max, size_t *size, struct kk_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f) {
		kk_error_set(err, KK_EIO, _("cannot open %s: %s"), path, strerror(errno));
		return NULL;
	}
	if (!(buf = kk_malloc(max + 1))) {
		fclose(f);
		kk_error_nomem(err);
		return NULL;
	}
	*size = fread(buf, 1, max + 1, f);
	if (ferror(f) || *size > max) {
		kk_error_set(err, ferror(f) ? KK_EIO : KK_ETOOBIG, _("cannot read %s: %s"), path,
			     ferror(f) ? strerror(errno) : _("the file is too big"));
		free(buf);
		buf = NULL;
	} else {
		buf[*size] = '\0';
	}
	fclose(f);
	return buf;
}

char *cli_absolute_path(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return kk_strdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	return kk_strdupf("%s/%s", cwd, path);
}
