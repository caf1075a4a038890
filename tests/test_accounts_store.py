"""The account store on SQLite and on a real PostgreSQL: accounts, sessions, mailed tokens, claims, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from accounts import passwords
from accounts.models import Account, Audit, EmailToken, Session, utcnow
from accounts.store import AccountError, Store

PW = "correct horse battery"


def _verified(store: Store, email: str = "ada@example.org", name: str = "Ada") -> int:
    _, token = store.register(email, PW, name)
    assert token is not None
    return store.verify_email(token).id


def test_register_stores_an_argon2id_hash_and_answers_alike_for_a_taken_address(store: Store) -> None:
    address, token = store.register(" Ada@Example.ORG ", PW, "Ada")
    assert address == "ada@example.org" and token
    again, second = store.register("ada@example.org", "another long password", "Impostor")
    assert again == "ada@example.org" and second is None
    with store.tx() as s:
        account = s.scalar(select(Account))
        assert account is not None and account.password_hash.startswith("$argon2id$")
        assert PW not in account.password_hash and account.name == "Ada"
        assert not account.email_verified


def test_real_accounts_get_rfc_9106_hashes_and_a_test_profile_hash_is_upgraded_at_login(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite hashes with argon2's test profile (tests/conftest.py); without that setting the parameters are
    RFC 9106's second set, and a hash made with other ones is replaced by a real one at the next login."""
    _verified(store)
    with store.tx() as s:
        cheap = s.scalar(select(Account.password_hash))
    assert cheap is not None and ",p=1$" in cheap  # the test profile: one lane
    monkeypatch.delenv(passwords.FAST_FOR_TESTS)
    passwords._hasher.cache_clear()
    try:
        real = passwords.make_hasher()
        assert (real.time_cost, real.memory_cost, real.parallelism, real.hash_len, real.salt_len) == \
               (3, 64 * 1024, 4, 32, 16)
        assert passwords.needs_rehash(cheap)
        assert store.login("ada@example.org", PW) is not None
        with store.tx() as s:
            upgraded = s.scalar(select(Account.password_hash))
        assert upgraded is not None and upgraded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert store.login("ada@example.org", PW) is not None and not passwords.needs_rehash(upgraded)
    finally:
        passwords._hasher.cache_clear()  # the test profile again for the tests after this one


@pytest.mark.parametrize(("email", "password", "name", "code"), [
    ("not-an-address", PW, "A", "bad_email"), ("a@b", PW, "A", "bad_email"),
    ("a@example.org", "short", "A", "bad_password"), ("a@example.org", PW, "  ", "bad_name"),
    ("a@example.org", 12345678901234, "A", "bad_password")])
def test_register_refuses_bad_input_saying_what(store: Store, email, password, name, code) -> None:
    with pytest.raises(AccountError) as err:
        store.register(email, password, name)
    assert err.value.code == code and err.value.message
    with store.tx() as s:
        assert s.scalar(select(Account)) is None


def test_verify_link_is_single_use_and_expires_after_24_hours(store: Store) -> None:
    _, token = store.register("ada@example.org", PW, "Ada")
    assert store.verify_email(token).email_verified
    with pytest.raises(AccountError, match="already used or expired"):
        store.verify_email(token)
    _, token2 = store.register("bob@example.org", PW, "Bob")
    with store.tx() as s:
        row = s.scalar(select(EmailToken).where(EmailToken.used_at.is_(None)))
        assert row is not None
        assert timedelta(hours=23, minutes=59) < row.expires_at - utcnow() <= timedelta(hours=24)
        s.execute(update(EmailToken).where(EmailToken.id == row.id).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(AccountError, match="expired"):
        store.verify_email(token2)


def test_login_logout_revokes_the_session_on_the_server(store: Store) -> None:
    _verified(store)
    assert store.login("ada@example.org", "wrong password!!") is None
    assert store.login("nobody@example.org", PW) is None
    account, token = store.login("ADA@example.org", PW)
    assert store.session_account(token) == account
    store.logout(token)
    assert store.session_account(token) is None
    with store.tx() as s:
        row = s.scalar(select(Session))
        assert row is not None and row.revoked_at is not None and row.token_hash != token


def test_reset_sets_the_password_and_ends_every_session(store: Store) -> None:
    _verified(store)
    _, old = store.login("ada@example.org", PW)
    assert store.request_reset("nobody@example.org") is None
    _, token = store.request_reset("ada@example.org")
    store.confirm_reset(token, "a brand new passphrase")
    assert store.session_account(old) is None
    assert store.login("ada@example.org", PW) is None
    assert store.login("ada@example.org", "a brand new passphrase") is not None
    with pytest.raises(AccountError):
        store.confirm_reset(token, "yet another passphrase")


def test_change_password_needs_the_current_one_and_keeps_only_this_session(store: Store) -> None:
    account_id = _verified(store)
    _, here = store.login("ada@example.org", PW)
    _, elsewhere = store.login("ada@example.org", PW)
    with pytest.raises(AccountError) as err:
        store.change_password(account_id, "wrong current pw", "a brand new passphrase", here)
    assert err.value.status == 403
    store.change_password(account_id, PW, "a brand new passphrase", here)
    assert store.session_account(here) is not None and store.session_account(elsewhere) is None


def test_claims_pending_dispute_approve_and_withdraw(store: Store) -> None:
    ada, bob = _verified(store), _verified(store, "bob@example.org", "Bob")
    first = store.open_claim(ada, "name:x", level=None, evidence=[])
    assert first.status == "pending" and first.level is None
    second = store.open_claim(bob, "name:x", level="L2", evidence=[{"kind": "email_domain"}])
    assert second.status == "disputed"  # institutional evidence does not settle a second claim
    assert {c.status for c in store.claims(author_id="name:x")} == {"disputed"}
    store.withdraw(bob, "name:x")
    assert store.author_claim("name:x").status == "pending"
    admin = _verified(store, "root@example.org", "Root")
    with pytest.raises(AccountError, match="reason"):
        store.decide(admin, first.id, "approve", " ")
    decided = store.decide(admin, first.id, "approve", "knows the papers; checked by phone")
    assert (decided.status, decided.level) == ("claimed", "L2")
    assert decided.evidence[-1]["kind"] == "admin_approval"
    revoked = store.decide(admin, first.id, "revoke", "claimed in error")
    assert revoked.status == "revoked" and store.author_claim("name:x") is None
    actions = [a["action"] for a in store.audit_log(author_id="name:x")][::-1]
    assert actions == ["claim.pending", "claim.disputed", "claim.disputed", "claim.withdrawn", "claim.pending",
                       "claim.claimed", "claim.revoked"]


def test_claim_needs_a_confirmed_address_and_one_open_claim_per_author(store: Store) -> None:
    _, _token = store.register("ada@example.org", PW, "Ada")
    with store.tx() as s:
        ada = s.scalar(select(Account.id))
    with pytest.raises(AccountError) as err:
        store.open_claim(ada, "name:x", level=None, evidence=[])
    assert err.value.code == "email_not_verified"
    store.verify_email(_token)
    store.open_claim(ada, "name:x", level="L3", evidence=[])
    with pytest.raises(AccountError) as err:
        store.open_claim(ada, "name:x", level="L3", evidence=[])
    assert err.value.status == 409


def test_deleting_an_account_takes_its_claims_and_sessions_and_keeps_the_audit(store: Store) -> None:
    ada = _verified(store)
    store.login("ada@example.org", PW)
    store.open_claim(ada, "name:x", level="L2", evidence=[])
    assert store.delete_account(ada) == ["name:x"]
    assert store.claims() == []
    with store.tx() as s:
        assert s.scalar(select(Account)) is None and s.scalar(select(Session)) is None
        assert s.scalar(select(EmailToken)) is None
        kept = list(s.scalars(select(Audit)))
        assert kept and all(a.account_id is None for a in kept)
        assert "account.delete" in {a.action for a in kept}


def test_migrations_run_twice_without_harm(store: Store) -> None:
    store.migrate()
    _verified(store)
