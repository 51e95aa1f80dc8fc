/*
 * cmd_serve.c: `keikai serve` runs the HTTP front (server/http.h) on a database
 * until SIGINT or SIGTERM, then stops it and closes the store, so that the process
 * exits cleanly (status 0) and leak checkers see everything released.
 *
 * main.c has already initialised the language, the clock (KEIKAI_NOW) and the
 * password cost (KEIKAI_PWHASH). The signals are blocked before the server's
 * threads start, so they inherit the mask and only sigwait() here receives them.
 * The scheduler (schedule.h) runs in a thread of its own: every clock at once
 * and then every minute (KEIKAI_TICK_SECONDS may say otherwise, for tests),
 * stopped before the server at shutdown; what it fires goes to stdout and
 * every failure to stderr. The delivery worker (deliver.h; issue 11) runs in
 * another: the due messages at once and then every 10 seconds
 * (KEIKAI_DELIVERY_SECONDS; 0 turns it off), nothing while smtp.url is unset,
 * each message's outcome to stdout and a failed run to stderr; it is stopped
 * first, ending a transfer in progress (that message goes again later).
 * Documented in docs/cli/serve.md.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "http.h"
#include "http_budget.h"
#include "keikai/clock.h"
#include "keikai/deliver.h"
#include "keikai/i18n.h"
#include "keikai/schedule.h"
#include "keikai/store.h"
#include "keikai/util.h"
#include "keikai/vendor_search.h"

/* Reports one source address may submit an hour unless --report-limit says. */
#define SERVE_REPORT_LIMIT 30
/* SPEC 8: the clocks run every minute unless KEIKAI_TICK_SECONDS says. */
#define SERVE_TICK_SECONDS 60
/* issue 11: the outbox is looked at every 10 seconds unless KEIKAI_DELIVERY_SECONDS says */
#define SERVE_DELIVERY_SECONDS 10

static int parse_threads(const char *s, unsigned *out)
{
	char *end;
	unsigned long n;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n < 1 || n > 256)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* --report-limit: 0 (no limit) to 1,000,000. */
static int parse_limit(const char *s, unsigned *out)
{
	char *end;
	unsigned long n;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n > 1000000)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* Builds the registry's search index while the server starts taking requests,
 * so that the first search (SPEC 2.5) need not wait for it. A failure is told
 * and left to the first search, which builds it again. */
static void *warm_registry(void *arg)
{
	struct kk_registry_index_stats st;
	struct kk_error err = KK_ERROR_INIT;

	if (kk_registry_index_stats(arg, &st, &err) != KK_OK)
		fprintf(stderr, "keikai serve: %s: %s\n", _("the vendor registry's search index is not built yet"),
			err.msg);
	kk_error_release(&err);
	return NULL;
}

/* The environment's name (KEIKAI_TICK_SECONDS, KEIKAI_DELIVERY_SECONDS): a
 * number of seconds from min to 86400 into *out, def when unset; -1 for a
 * value that is not such a number. */
static int env_seconds(const char *name, unsigned min, unsigned def, unsigned *out)
{
	const char *s = getenv(name);
	char *end;
	unsigned long n;

	*out = def;
	if (!s || !*s)
		return 0;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n < min || n > 86400)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* Each delivered (or failed) message, from the delivery thread. */
static void delivery_log(const struct kk_deliver_outcome *o, void *arg)
{
	char at[KK_TIME_LEN];

	(void)arg;
	if (o->state[0] == 's')
		printf(_("keikai: message %lld to %s sent %s\n"), (long long)o->id, o->recipient, o->message_id);
	else if (o->state[0] == 'q')
		printf(_("keikai: message %lld to %s: try %lld failed, next try at %s: %s\n"), (long long)o->id,
		       o->recipient, (long long)o->tries, kk_time_format(o->next_at, at), o->error);
	else
		fprintf(stderr, _("keikai serve: message %lld to %s failed after %lld tries: %s\n"), (long long)o->id,
			o->recipient, (long long)o->tries, o->error);
	fflush(stdout);
}

static void delivery_fail(const struct kk_error *err, void *arg)
{
	(void)arg;
	fprintf(stderr, "keikai serve: %s: %s\n", _("delivery"), err->msg[0] ? err->msg : _("failed"));
}

/* Every tick's outcome (the ticker's thread): what fired to stdout, each
 * failure to stderr -- a reminder that failed is tried again next tick. */
static void tick_log(enum kk_result res, const struct kk_error *err, const json_t *out, void *arg)
{
	json_t *e;
	size_t i;

	(void)arg;
	if (out && json_integer_value(json_object_get(out, "total")) > 0) {
		printf(ngettext("keikai: the clocks fired %lld reminder\n", "keikai: the clocks fired %lld reminders\n",
				(unsigned long)json_integer_value(json_object_get(out, "total"))),
		       (long long)json_integer_value(json_object_get(out, "total")));
		fflush(stdout);
	}
	if (out)
		json_array_foreach(json_object_get(out, "errors"), i, e)
			fprintf(stderr, "keikai serve: %s: %s: %s\n", _("the clocks"),
				json_string_value(json_object_get(e, "clock")), json_string_value(json_object_get(e, "error")));
	else if (res)
		fprintf(stderr, "keikai serve: %s: %s\n", _("the clocks"), err->msg[0] ? err->msg : _("failed"));
}

static int serve(const struct cli_args *a)
{
	struct kk_server_config cfg = { .listen = "127.0.0.1:8080", .reports_per_hour = SERVE_REPORT_LIMIT };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *store = NULL;
	struct kk_server *srv = NULL;
	struct kk_ticker *ticker = NULL;
	struct kk_deliverer *deliverer = NULL;
	unsigned tick_every, deliver_every;
	pthread_t warm;
	int warming = 0;
	sigset_t stop;
	int sig, rc = 1;

	if (cli_value(a, "listen"))
		cfg.listen = cli_value(a, "listen");
	if (cli_value(a, "threads") && parse_threads(cli_value(a, "threads"), &cfg.threads) != 0)
		return cli_usage_error(a, "%s", _("--threads takes a number from 1 to 256"));
	cfg.secure_cookies = cli_value(a, "secure-cookies") != NULL;
	/* issue 7: floods */
	if (cli_value(a, "body-budget") && http_budget_parse(cli_value(a, "body-budget"), &cfg.body_budget) != 0)
		return cli_usage_error(a, "%s", _("--body-budget takes a size of at least 64K, such as 256M"));
	if (cli_value(a, "report-limit") && parse_limit(cli_value(a, "report-limit"), &cfg.reports_per_hour) != 0)
		return cli_usage_error(a, "%s", _("--report-limit takes a number from 0 (no limit) to 1000000"));
	cfg.behind_proxy = cli_value(a, "behind-proxy") != NULL;
	if (env_seconds("KEIKAI_TICK_SECONDS", 1, SERVE_TICK_SECONDS, &tick_every) != 0)
		return cli_usage_error(a, "%s", _("KEIKAI_TICK_SECONDS takes a number of seconds from 1 to 86400"));
	if (env_seconds("KEIKAI_DELIVERY_SECONDS", 0, SERVE_DELIVERY_SECONDS, &deliver_every) != 0)
		return cli_usage_error(a, "%s",
				       _("KEIKAI_DELIVERY_SECONDS takes a number of seconds from 0 (no delivery) to 86400"));

	/* before any thread exists, so every thread inherits the mask */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	store = cli_open(a);
	if (!store)
		goto out;
	if (kk_server_start(store, &cfg, &srv, &err) != KK_OK) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	warming = pthread_create(&warm, NULL, warm_registry, store) == 0;
	if (!warming)
		fprintf(stderr, "keikai serve: %s\n", _("the vendor registry's search index is not built yet"));
	/* SPEC 8: the scheduler, inside the server */
	if (kk_ticker_start(store, tick_every, tick_log, NULL, &ticker, &err) != KK_OK) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	/* issue 11: the outbox goes out from inside the server */
	if (deliver_every &&
	    kk_deliverer_start(store, deliver_every, delivery_log, delivery_fail, NULL, &deliverer, &err) != KK_OK) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (sigwait(&stop, &sig) != 0) {
		fprintf(stderr, "keikai serve: %s\n", _("sigwait failed"));
		goto out;
	}
	rc = 0;
out:
	/* delivery and the clocks first: a run in progress ends before the server
	 * and the store go */
	kk_deliverer_stop(deliverer);
	kk_ticker_stop(ticker);
	if (warming)
		pthread_join(warm, NULL);
	kk_server_stop(srv);
	kk_store_close(store);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option options[] = {
	{ "listen", 0, "ADDR:PORT", 0,
	  N_("the address to listen on (default 127.0.0.1:8080); port 0 picks a free one") },
	{ "threads", 0, "N", 0,
	  N_("a pool of N worker threads, each serving many connections\n"
	     "(default: a thread per connection, at most 512 connections)") },
	{ "secure-cookies", 0, NULL, 0, N_("mark cookies Secure (when served behind TLS)") },
	{ "body-budget", 0, "SIZE", 0,
	  N_("request bodies held in memory at once, all connections together\n"
	     "(default 256M; K, M and G suffixes); past it a request is answered 503") },
	{ "report-limit", 0, "N", 0,
	  N_("reports one source address may submit an hour (default 30; 0: no limit)") },
	{ "behind-proxy", 0, NULL, 0,
	  N_("take the source address from the last X-Forwarded-For address\n"
	     "(only behind a proxy that adds it)") },
	{ NULL, 0, NULL, 0, NULL },
};

const struct cli_command cmd_serve = {
	.name = "serve",
	.run = serve,
	.flags = CLI_DB,
	.options = options,
	.summary = N_("serve the web pages and the API"),
	.description = N_("Serves the web pages and the API until SIGINT or SIGTERM. Several servers may\n"
			  "share one PostgreSQL database. Prints \"keikai: listening on http://ADDR:PORT\"\n"
			  "once it accepts connections. Runs every clock of the scheduler at once and then\n"
			  "every minute (as `keikai tick` does; KEIKAI_TICK_SECONDS sets another interval).\n"
			  "Delivers the outbox over SMTP every 10 seconds once smtp.url and smtp.from are\n"
			  "set (as `keikai outbox send` does; KEIKAI_DELIVERY_SECONDS sets another\n"
			  "interval, 0 none)."),
};
