"""argon2id password hashes (argon2-cffi's defaults: RFC 9106's second recommended parameter set).

That set costs about 0.2 s of CPU a hash on a 2-core machine, on purpose. The test suite signs up and logs in
hundreds of times and sets ``PEERGRAPH_TEST_FAST_PASSWORD_HASHES=1`` (tests/conftest.py) for argon2's own
``CHEAPEST`` profile, made for tests; nothing else should. Hashes made so are rehashed with the real parameters
at the next login without the variable (``needs_rehash``), and the app warns at its start while it is set.
"""

from __future__ import annotations

import functools
import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12  # ASVS 4.0 2.1.1
MAX_LENGTH = 128  # ASVS 2.1.2 asks for at least 64; more than this is a paste gone wrong
FAST_FOR_TESTS = "PEERGRAPH_TEST_FAST_PASSWORD_HASHES"


def fast_for_tests() -> bool:
    return os.environ.get(FAST_FOR_TESTS) == "1"


def make_hasher() -> PasswordHasher:
    """The hasher of this process: RFC 9106's second set, or the test profile while ``FAST_FOR_TESTS`` is 1."""
    return PasswordHasher.from_parameters(profiles.CHEAPEST if fast_for_tests() else profiles.RFC_9106_LOW_MEMORY)


_hasher = functools.cache(make_hasher)  # made at first use, after the test suite has set its variable


@functools.cache
def _dummy() -> str:
    """Compared against when no account has the address, so a login takes as long either way."""
    return _hasher().hash("not a password of anyone's")


class PasswordRejected(ValueError):
    """The new password does not meet the rules; the message says which."""


def check_new(password: object) -> str:
    if not isinstance(password, str):
        raise PasswordRejected("'password' must be a string")
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"the password must have at most {MAX_LENGTH} characters")
    return password


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored``; with ``stored`` None the work is done all the same."""
    try:
        return _hasher().verify(stored or _dummy(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher().check_needs_rehash(stored)
