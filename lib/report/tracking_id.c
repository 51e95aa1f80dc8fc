/*
 * tracking_id.c: random tracking numbers (tracking_id.h).
 */
#include <sodium.h>
#include <stdio.h>

#include "tracking_id.h"

void kk_tracking_id_make(const char *prefix, char *out, size_t size)
{
	snprintf(out, size, "%s#%08u", prefix, (unsigned)randombytes_uniform(100000000));
}
