"""A real SMTP server on loopback for the tests (aiosmtpd): it keeps every mail it receives,
with the envelope's recipients, and refuses the recipients it is told to refuse."""

from __future__ import annotations

import contextlib
import email
import email.policy
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.browser import free_port


@dataclass
class Received:
    """One mail as the server got it."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content()


@dataclass
class Inbox:
    """What the server has received; `refuse` holds addresses answered with 550."""

    host: str
    port: int
    refuse: set[str] = field(default_factory=set)
    mails: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refuse:
            return "550 5.1.1 Mottakeren finnes ikke"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.mails.append(Received(envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [m for m in self.mails if address in m.recipients]


@contextlib.contextmanager
def smtp_server(refuse: set[str] = frozenset()) -> Iterator[Inbox]:
    """An SMTP server on 127.0.0.1 (a free port) for the duration of the block."""
    inbox = Inbox("127.0.0.1", free_port(), {a.lower() for a in refuse})
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()  # returns once the server answers
    try:
        yield inbox
    finally:
        controller.stop()
