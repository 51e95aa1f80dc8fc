/*
 * cmd_serve.c: `keikai serve` runs the HTTP front (server/http.h) on a database
 * until SIGINT or SIGTERM, then stops it and closes the store, so that the process
 * exits cleanly (status 0) and leak checkers see everything released.
 *
 * main.c has already initialised the language, the clock (KEIKAI_NOW) and the
 * password cost (KEIKAI_PWHASH). The signals are blocked before the server's
 * threads start, so they inherit the mask and only sigwait() here receives them.
 * Documented in docs/cli/serve.md.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "http.h"
#include "keikai/store.h"
#include "keikai/util.h"

static const char usage[] =
	"usage: keikai serve --db ADDRESS [--listen ADDR:PORT] [--threads N] [--secure-cookies]\n"
	"  Serves the web pages and the API until SIGINT or SIGTERM.\n"
	"  --db ADDRESS        a file path (SQLite) or a postgresql:// URI; default $KEIKAI_DB.\n"
	"                      Several servers may share one PostgreSQL database.\n"
	"  --listen ADDR:PORT  address to listen on (default 127.0.0.1:8080); port 0 picks a free one\n"
	"  --threads N         a pool of N worker threads, each serving many connections\n"
	"                      (default: a thread per connection, at most 512 connections)\n"
	"  --secure-cookies    mark cookies Secure (when served behind TLS)\n"
	"  Prints \"keikai: listening on http://ADDR:PORT\" once it accepts connections.\n";

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

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "secure-cookies", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kk_server_config cfg = { "127.0.0.1:8080", 0, 0 };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *store = NULL;
	struct kk_server *srv = NULL;
	const char *db = NULL;
	sigset_t stop;
	int c, sig, rc = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l': cfg.listen = optarg; break;
		case 't':
			if (parse_threads(optarg, &cfg.threads) != 0) {
				fprintf(stderr, "keikai serve: --threads takes a number from 1 to 256\n");
				return 2;
			}
			break;
		case 's': cfg.secure_cookies = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!(db = cli_db(db)) || optind != argc) {
		fputs(usage, stderr);
		return 2;
	}

	/* before any thread exists, so every thread inherits the mask */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	store = cli_open("serve", db);
	if (!store)
		goto out;
	if (kk_server_start(store, &cfg, &srv, &err) != KK_OK) {
		rc = cli_fail("serve", &err);
		goto out;
	}
	if (sigwait(&stop, &sig) != 0) {
		fprintf(stderr, "keikai serve: sigwait failed\n");
		goto out;
	}
	rc = 0;
out:
	kk_server_stop(srv);
	kk_store_close(store);
	kk_error_release(&err);
	return rc;
}
