"""Outgoing mail: SMTP when ``PEERGRAPH_SMTP_URL`` is set, else one ``.eml`` file per mail in ``<data dir>/outbox``.

``smtp://[user:pass@]host:port[?starttls=1]`` (``smtps://`` for TLS from the start).
"""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger(__name__)


class Mailer:
    def __init__(self, *, outbox: Path, smtp_url: str = "", sender: str = "peergraph <noreply@localhost>") -> None:
        self.outbox, self.smtp_url, self.sender = outbox, smtp_url.strip(), sender
        if self.smtp_url:
            parts = urlsplit(self.smtp_url)
            if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
                raise ValueError("PEERGRAPH_SMTP_URL reads like smtp://[user:pass@]host:port[?starttls=1], "
                                 f"not {parts.scheme}://...")

    def send(self, to: str, subject: str, body: str, *, headers: dict[str, str] | None = None) -> Path | None:
        """Send one plain-text mail (with extra ``headers``, e.g. List-Unsubscribe); the ``.eml`` file written when
        there is no SMTP server (else None)."""
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, to, subject
        msg["Message-ID"] = f"<{uuid.uuid4().hex}@peergraph>"
        for name, value in (headers or {}).items():
            msg[name] = value
        msg.set_content(body)
        if self.smtp_url:
            self._smtp(msg)
            return None
        self.outbox.mkdir(parents=True, exist_ok=True)
        # Names sort in sending order (nanoseconds, not seconds: two mails in one second must not be ordered by
        # the random suffix), so "the newest mail" is the last name.
        now = time.time_ns()
        stamp = time.strftime('%Y%m%dT%H%M%S', time.localtime(now // 1_000_000_000))
        path = self.outbox / f"{stamp}.{now % 1_000_000_000:09d}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(bytes(msg))
        path.chmod(0o600)  # it holds a one-time link
        log.info("no PEERGRAPH_SMTP_URL: mail %r written to %s", subject, path)
        return path

    def _smtp(self, msg: EmailMessage) -> None:
        parts = urlsplit(self.smtp_url)
        query = parse_qs(parts.query)
        cls = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with cls(parts.hostname or "localhost", parts.port or (465 if parts.scheme == "smtps" else 25),
                 timeout=10) as smtp:
            if query.get("starttls", ["0"])[0] in {"1", "true", "yes"}:
                smtp.starttls()
            if parts.username:
                smtp.login(unquote(parts.username), unquote(parts.password or ""))
            smtp.send_message(msg)
