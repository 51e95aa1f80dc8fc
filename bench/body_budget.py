#!/usr/bin/env python3
# bench/body_budget.py URL SERVER_PID N SIZE: for bench/body_budget.sh, the attack
# of issue 7 against a real server: N connections each POST /api/v1/reports with
# a Content-Length of SIZE bytes and send all of it but the last KiB, then hold.
# The server holds bodies within its budget (keikai serve --body-budget) and
# answers the rest 503 at once. Reads the server's memory (VmRSS, VmHWM of
# /proc/SERVER_PID/status) before, while the bodies are held, and after they are
# let go. Prints lines starting with "body_budget:":
#
#   body_budget: connections=N held=H refused=R other=O
#   body_budget: rss_before_kib=A rss_held_kib=B rss_after_kib=C hwm_kib=D

import select
import socket
import sys
import time
import urllib.parse


def mem(pid):
    v = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, rest = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                v[k] = int(rest.split()[0])
    return v


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: body_budget.py URL SERVER_PID N SIZE")
    url = urllib.parse.urlsplit(sys.argv[1])
    pid, n, size = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    host, port = url.hostname, url.port
    head = ("POST /api/v1/reports HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
            "Accept-Language: en\r\nContent-Length: %d\r\n\r\n" % (host, port, size)).encode()
    before = mem(pid)["VmRSS"]
    socks = []
    for _ in range(n):
        s = socket.create_connection((host, port), timeout=30)
        s.sendall(head)
        socks.append(s)
    time.sleep(1)  # the refusals are answered when the headers are in
    held, refused, other = [], 0, 0
    for s in socks:
        ready, _, _ = select.select([s], [], [], 0)
        if not ready:
            held.append(s)
            continue
        first = s.recv(64)
        if first.startswith(b"HTTP/1.1 503"):
            refused += 1
        else:
            other += 1
        s.close()
    piece = b" " * 65536
    for s in held:
        left = size - 1024
        while left > 0:
            k = min(left, len(piece))
            s.sendall(piece[:k])
            left -= k
    time.sleep(1)
    during = mem(pid)["VmRSS"]
    for s in held:
        s.close()
    time.sleep(2)
    after = mem(pid)
    print("body_budget: connections=%d held=%d refused=%d other=%d" % (n, len(held), refused, other))
    print("body_budget: rss_before_kib=%d rss_held_kib=%d rss_after_kib=%d hwm_kib=%d"
          % (before, during, after["VmRSS"], after["VmHWM"]))


if __name__ == "__main__":
    main()
