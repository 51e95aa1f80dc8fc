#!/usr/bin/python3
"""smtp_server.py: a real SMTP server for the delivery tests (issue 11), Debian's
aiosmtpd on a loopback port. Run it with /usr/bin/python3 (the system's, which has
python3-aiosmtpd), not a python3 earlier on PATH.

Every message is saved as DIR/NNNN.eml (as it came, CRLF and all) with its envelope
in DIR/NNNN.json: {"mail_from", "rcpt_tos", "tls", "auth"}; the .json is written
last, so a reader that sees it sees the whole message.

DIR/plan.json, read again before every answer, tells the server to misbehave:
  {"rcpt": [{"address": "a@x.example", "code": 451, "times": 2}],
   "data": [{"address": "b@x.example", "code": 550, "times": 1},
            {"address": "c@x.example", "sleep": 30, "times": 1}]}
A rule answers RCPT TO (or the end of DATA) for a message to address with code,
`times` times and then no more; a "sleep" rule saves the message, writes
DIR/sleeping-NNNN and waits that many seconds before it answers 250 (the tests
kill the sender meanwhile). Counts live in this process.

Options: --dir DIR (required), --port N (0: a free one), --tls-cert PEM --tls-key PEM
with --starttls (offered; --require-starttls: nothing before it) or --implicit-tls
(smtps), --auth USER:PASSWORD (AUTH required). Prints "READY PORT" on stdout once it
accepts connections, and runs until SIGTERM or SIGINT.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Plan:
    def __init__(self, directory):
        self.path = os.path.join(directory, "plan.json")
        self.used = {}
        self.lock = threading.Lock()

    def rule(self, stage, addresses):
        """The first rule of stage for one of addresses that has times left, counted as used."""
        try:
            with open(self.path, encoding="utf-8") as f:
                plan = json.load(f)
        except FileNotFoundError:
            return None
        with self.lock:
            for i, r in enumerate(plan.get(stage, [])):
                if r.get("address", "").lower() not in [a.lower() for a in addresses]:
                    continue
                key = (stage, i, json.dumps(r, sort_keys=True))
                if self.used.get(key, 0) < r.get("times", 1):
                    self.used[key] = self.used.get(key, 0) + 1
                    return r
        return None


class Handler:
    def __init__(self, directory, implicit_tls):
        self.dir = directory
        self.plan = Plan(directory)
        self.implicit_tls = implicit_tls
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        r = self.plan.rule("rcpt", [address])
        if r and "code" in r:
            return "%d %s" % (r["code"], r.get("message", "planned answer to RCPT"))
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def save(self, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.dir, "%04d" % n)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(base + ".eml", "wb") as f:
            f.write(data)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": bool(self.implicit_tls or session.ssl is not None),
            "auth": session.authenticated is True,
        }
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(meta, f)
        os.rename(base + ".json.tmp", base + ".json")
        return n

    async def handle_DATA(self, server, session, envelope):
        r = self.plan.rule("data", envelope.rcpt_tos)
        if r and "code" in r:
            return "%d %s" % (r["code"], r.get("message", "planned answer to DATA"))
        n = self.save(session, envelope)
        if r and "sleep" in r:
            # the relay has the message; the answer is what the sender never hears
            open(os.path.join(self.dir, "sleeping-%04d" % n), "w").close()
            await asyncio.sleep(float(r["sleep"]))
        return "250 OK queued as %04d" % n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--starttls", action="store_true")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth")
    a = p.parse_args()

    context = None
    if a.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.tls_cert, a.tls_key)
    kwargs = {"hostname": "127.0.0.1", "port": a.port, "data_size_limit": 50 * 1024 * 1024,
              "decode_data": False}
    if a.implicit_tls:
        kwargs["ssl_context"] = context
    elif a.starttls or a.require_starttls:
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = a.require_starttls
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok)

        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = False

    if a.port == 0:
        # a free port: bind, read it, close, and let the controller take it
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        kwargs["port"] = s.getsockname()[1]
        s.close()
    controller = Controller(Handler(a.dir, a.implicit_tls), **kwargs)
    controller.start()
    print("READY %d" % kwargs["port"], flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
