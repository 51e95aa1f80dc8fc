/*
 * Unit tests of the HTTP front's defences against floods (issue 7): the budget
 * of buffered request bodies (server/http_budget.c), shared by threads that race
 * for its last bytes, and the source keys limits count by (server/http_guard.c).
 * The hooks on real connections are covered end to end by tests/e2e (t0130,
 * t0800).
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>

#include "http_budget.h"
#include "http_guard.h"

Test(budget, shares_are_taken_grown_and_given_back)
{
	struct http_budget b;
	size_t one = 0, two = 0;

	http_budget_init(&b, 1000);
	cr_assert_eq(http_budget_take(&b, &one, 600), 0);
	cr_assert_eq(one, 600);
	cr_assert_eq(http_budget_take(&b, &two, 500), -1, "past the budget");
	cr_assert_eq(two, 0, "a refused share holds nothing");
	cr_assert_eq(http_budget_take(&b, &two, 400), 0);
	cr_assert_eq(http_budget_in_use(&b), 1000);
	cr_assert_eq(http_budget_take(&b, &two, 300), 0, "holding more than asked is enough");
	cr_assert_eq(http_budget_take(&b, &two, 401), -1, "a chunked body grows its share");
	http_budget_give(&b, &one);
	cr_assert_eq(one, 0);
	cr_assert_eq(http_budget_in_use(&b), 400);
	cr_assert_eq(http_budget_take(&b, &two, 1000), 0, "given-back memory is there again");
	cr_assert_eq(http_budget_take(&b, &one, 1), -1);
	http_budget_give(&b, &two);
	http_budget_give(&b, &two);
	cr_assert_eq(http_budget_in_use(&b), 0, "giving twice gives once");
	cr_assert_eq(http_budget_take(&b, &one, UINT64_MAX), -1, "no overflow");
}

Test(budget, zero_is_the_default)
{
	struct http_budget b;

	http_budget_init(&b, 0);
	cr_assert_eq(b.total, HTTP_BODY_BUDGET_DEFAULT);
}

#define RACERS 8
#define ROUNDS 20000

struct racer {
	struct http_budget *b;
	int overdrawn;
};

static void *race(void *arg)
{
	struct racer *r = arg;

	for (int i = 0; i < ROUNDS; i++) {
		size_t held = 0;

		if (http_budget_take(r->b, &held, 300) == 0) {
			if (http_budget_in_use(r->b) > r->b->total)
				r->overdrawn = 1;
			http_budget_give(r->b, &held);
		}
	}
	return NULL;
}

/* Threads racing for the last bytes never overdraw it, and all comes back. */
Test(budget, racing_threads_never_overdraw)
{
	struct http_budget b;
	struct racer r[RACERS];
	pthread_t t[RACERS];

	http_budget_init(&b, 1000);
	for (int i = 0; i < RACERS; i++) {
		r[i] = (struct racer){ &b, 0 };
		cr_assert_eq(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < RACERS; i++) {
		pthread_join(t[i], NULL);
		cr_assert_not(r[i].overdrawn);
	}
	cr_assert_eq(http_budget_in_use(&b), 0);
}

Test(budget, sizes_parse_with_suffixes)
{
	size_t n = 0;

	cr_assert_eq(http_budget_parse("256M", &n), 0);
	cr_assert_eq(n, (size_t)256 << 20);
	cr_assert_eq(http_budget_parse("64K", &n), 0);
	cr_assert_eq(n, (size_t)64 << 10);
	cr_assert_eq(http_budget_parse("1g", &n), 0);
	cr_assert_eq(n, (size_t)1 << 30);
	cr_assert_eq(http_budget_parse("1048576", &n), 0);
	cr_assert_eq(n, (size_t)1 << 20);
	cr_assert_eq(http_budget_parse("63K", &n), -1, "under the least");
	cr_assert_eq(http_budget_parse("0", &n), -1);
	cr_assert_eq(http_budget_parse("", &n), -1);
	cr_assert_eq(http_budget_parse("-1M", &n), -1);
	cr_assert_eq(http_budget_parse("12MB", &n), -1);
	cr_assert_eq(http_budget_parse("1T", &n), -1);
	cr_assert_eq(http_budget_parse("99999999999999999999", &n), -1);
	cr_assert_eq(http_budget_parse("17179869184G", &n), -1, "past SIZE_MAX");
}

static int key_of(const char *text, char *out)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(text, ':')) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;

		a6->sin6_family = AF_INET6;
		cr_assert_eq(inet_pton(AF_INET6, text, &a6->sin6_addr), 1);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;

		a4->sin_family = AF_INET;
		cr_assert_eq(inet_pton(AF_INET, text, &a4->sin_addr), 1);
	}
	return http_source_key((struct sockaddr *)&ss, out, HTTP_SOURCE_MAX);
}

/* One host has a whole IPv6 /64, so that is what limits count. */
Test(source, keys_of_peer_addresses)
{
	char k[HTTP_SOURCE_MAX];
	struct sockaddr_storage unix_ss = { .ss_family = AF_UNIX };

	cr_assert_eq(key_of("203.0.113.7", k), 0);
	cr_assert_str_eq(k, "203.0.113.7");
	cr_assert_eq(key_of("2001:db8:1:2:aaaa:bbbb:cccc:dddd", k), 0);
	cr_assert_str_eq(k, "2001:db8:1:2::/64");
	cr_assert_eq(key_of("2001:db8:1:2::1", k), 0);
	cr_assert_str_eq(k, "2001:db8:1:2::/64", "the same host");
	cr_assert_eq(key_of("::ffff:192.0.2.1", k), 0);
	cr_assert_str_eq(k, "192.0.2.1", "an IPv4-mapped address is the IPv4 one");
	cr_assert_eq(http_source_key((struct sockaddr *)&unix_ss, k, sizeof(k)), -1);
	cr_assert_eq(http_source_key(NULL, k, sizeof(k)), -1);
}

/* Behind a proxy the source is the address it appended, the last one. */
Test(source, keys_of_x_forwarded_for)
{
	char k[HTTP_SOURCE_MAX];

	cr_assert_eq(http_forwarded_key("198.51.100.4", k, sizeof(k)), 0);
	cr_assert_str_eq(k, "198.51.100.4");
	cr_assert_eq(http_forwarded_key("10.0.0.1, 203.0.113.9", k, sizeof(k)), 0);
	cr_assert_str_eq(k, "203.0.113.9", "what a client wrote first does not count");
	cr_assert_eq(http_forwarded_key("forged,2001:db8::5 ", k, sizeof(k)), 0);
	cr_assert_str_eq(k, "2001:db8::/64");
	cr_assert_eq(http_forwarded_key("203.0.113.9, unknown", k, sizeof(k)), -1);
	cr_assert_eq(http_forwarded_key("203.0.113.9 x", k, sizeof(k)), -1);
	cr_assert_eq(http_forwarded_key("", k, sizeof(k)), -1);
	cr_assert_eq(http_forwarded_key(NULL, k, sizeof(k)), -1);
}
