"""argon2id password hashes (argon2-cffi's defaults: RFC 9106's second recommended parameter set)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12  # ASVS 4.0 2.1.1
MAX_LENGTH = 128  # ASVS 2.1.2 asks for at least 64; more than this is a paste gone wrong

_hasher = PasswordHasher()
# Compared against when no account has the address, so a login takes as long either way.
_DUMMY = _hasher.hash("not a password of anyone's")


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
    return _hasher.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored``; with ``stored`` None the work is done all the same."""
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)
