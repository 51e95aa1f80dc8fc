#!/usr/bin/env python3
# bench/login_timing.py URL N PASSWORD EMAIL...: for bench/login.sh, times sign-ins
# through the HTML form (POST /login) for three kinds of attempt:
#
#   unknown      an e-mail with no user (unknown-I@nobody.example, a new one each time)
#   wrong        a known e-mail (EMAIL..., in turn) with a wrong password (new each time)
#   right        a known e-mail (in turn, another than the wrong one) with PASSWORD
#
# Each attempt is a browser's: a new connection, GET /login for the kk_csrf cookie and
# the hidden csrf field (as tests/e2e/lib/server.mjs login() does), then
# POST /login with email, password and csrf, the cookie sent back. Only the POST is
# timed, from sending it to the last byte of the answer. One attempt of each kind
# first, not counted (the first unknown e-mail also makes the server's dummy hash),
# then N rounds of one of each, in an order that turns with the round so that a
# drift of the machine's speed falls on all three alike.
#
# The server throttles sign-ins (429) per account and per source address after
# a few failures in a row (issue 7): give at least 3 EMAILs, so that a right
# password clears each account's count before it reaches 3, and each attempt
# comes from an address of its own on the loopback network (127.0.R.K for round
# R and kind K: any 127.x.y.z reaches a server on 127.0.0.1), so that no address
# reaches 10. Prints lines starting with "login_timing:":
#
#   login_timing: case=unknown n=N median_ms=M p90_ms=P min_ms=A max_ms=B status=401:N
#   login_timing: unexpected=K     (answers other than 401, 401, 303 in that order)

import http.client
import math
import statistics
import sys
import time
import urllib.parse
from html.parser import HTMLParser

EXPECTED = {"unknown": 401, "wrong": 401, "right": 303}


class CsrfField(HTMLParser):
    def __init__(self):
        super().__init__()
        self.value = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == "csrf" and self.value is None:
            self.value = a.get("value") or ""


def attempt(host, port, email, password, source):
    """One sign-in from the local address source; returns (status, seconds the POST took)."""
    conn = http.client.HTTPConnection(host, port, timeout=30, source_address=(source, 0))
    try:
        conn.request("GET", "/login", headers={"Accept-Language": "en"})
        res = conn.getresponse()
        page = res.read().decode("utf-8", "replace")
        cookies = []
        for name, value in res.getheaders():
            if name.lower() == "set-cookie":
                cookies.append(value.split(";", 1)[0].strip())
        p = CsrfField()
        p.feed(page)
        body = urllib.parse.urlencode({"email": email, "password": password, "csrf": p.value or ""})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "en",
            "Cookie": "; ".join(cookies),
        }
        t0 = time.perf_counter()
        conn.request("POST", "/login", body=body, headers=headers)
        res = conn.getresponse()
        res.read()
        return res.status, time.perf_counter() - t0
    finally:
        conn.close()


def main():
    if len(sys.argv) < 5:
        sys.exit("usage: login_timing.py URL N PASSWORD EMAIL...")
    url = urllib.parse.urlsplit(sys.argv[1])
    n = int(sys.argv[2])
    password = sys.argv[3]
    users = sys.argv[4:]
    host, port = url.hostname, url.port or 80

    times = {k: [] for k in EXPECTED}
    statuses = {k: {} for k in EXPECTED}
    unexpected = 0
    kinds = list(EXPECTED)
    # round -1 is the warm-up
    for i in range(-1, n):
        r = i + 1
        order = kinds[r % 3:] + kinds[:r % 3]
        for kind in order:
            if kind == "unknown":
                email, pw = "unknown-%d@nobody.example" % r, "wrong-password-%d" % r
            elif kind == "wrong":
                email, pw = users[r % len(users)], "wrong-password-%d" % r
            else:
                email, pw = users[(r + 2) % len(users)], password
            source = "127.0.%d.%d" % (r % 250 + 1, kinds.index(kind) + 2)
            status, secs = attempt(host, port, email, pw, source)
            if status != EXPECTED[kind]:
                unexpected += 1
            if i < 0:
                continue
            times[kind].append(secs * 1000)
            statuses[kind][status] = statuses[kind].get(status, 0) + 1

    for kind in kinds:
        t = sorted(times[kind])
        p90 = t[max(0, math.ceil(0.9 * len(t)) - 1)]
        st = " ".join("%d:%d" % (s, c) for s, c in sorted(statuses[kind].items()))
        print("login_timing: case=%s n=%d median_ms=%.1f p90_ms=%.1f min_ms=%.1f max_ms=%.1f status=%s"
              % (kind, len(t), statistics.median(t), p90, t[0], t[-1], st))
    print("login_timing: unexpected=%d" % unexpected)


if __name__ == "__main__":
    main()
