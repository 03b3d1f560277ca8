"""A real SMTP server for the mail tests (aiosmtpd).

Usage: smtp_server.py PORT DIR. Writes each message to DIR/<n>.eml and, as
Python's email package reads it, DIR/<n>.json (headers, text and HTML
parts, decoded); answers
550 to any recipient containing "reject", prints "ready" once listening, and
stops when its stdin closes.
"""
import email
import email.policy
import itertools
import json
import os
import sys

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "reject" in address:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        base = os.path.join(self.directory, f"{os.getpid()}-{next(self.counter)}")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        summary = {
            "headers": [[k, str(v)] for k, v in msg.items()],
            "subject": str(msg["Subject"]),
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "message_id": str(msg["Message-ID"]),
            "content_type": msg.get_content_type(),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
            "rcpt_tos": envelope.rcpt_tos,
        }
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        with open(base + ".tmp", "w") as f:
            json.dump(summary, f)
        os.rename(base + ".tmp", base + ".json")
        return "250 Message accepted"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Handler(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
