/*
 * http_budget.c: the budget of buffered request bodies (http_budget.h): a
 * compare-and-swap on one counter, so that two requests racing for the last
 * bytes cannot both have them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "http_budget.h"

void http_budget_init(struct http_budget *b, size_t total)
{
	b->total = total ? total : HTTP_BODY_BUDGET_DEFAULT;
	atomic_init(&b->in_use, 0);
}

int http_budget_take(struct http_budget *b, size_t *held, uint64_t want)
{
	size_t used, more;

	if (want <= *held)
		return 0;
	if (want > b->total)
		return -1;
	more = (size_t)want - *held;
	used = atomic_load(&b->in_use);
	do {
		if (used > b->total || more > b->total - used)
			return -1;
	} while (!atomic_compare_exchange_weak(&b->in_use, &used, used + more));
	*held += more;
	return 0;
}

void http_budget_give(struct http_budget *b, size_t *held)
{
	if (*held)
		atomic_fetch_sub(&b->in_use, *held);
	*held = 0;
}

size_t http_budget_in_use(struct http_budget *b)
{
	return atomic_load(&b->in_use);
}

int http_budget_parse(const char *s, size_t *out)
{
	unsigned long long n;
	unsigned shift = 0;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	default: return -1;
	}
	if (*end || n > (SIZE_MAX >> shift))
		return -1;
	n <<= shift;
	if (n < HTTP_BODY_BUDGET_MIN)
		return -1;
	*out = (size_t)n;
	return 0;
}
