"""ORCID sign-in (L3): the ID token's checks with real signatures, and the whole flow against a local OpenID
Connect provider (oidc-provider-mock) over HTTP."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from accounts.orcid import OrcidError, verify_id_token
from tests.accounts_data import ADA_ORCID, csrf, load_people, outbox, sign_up

ISSUER, CLIENT = "https://orcid.example", "APP-PEERGRAPH"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
JWKS = KeySet([KEY]).as_dict(private=False)


def _token(key: RSAKey = KEY, **changes: object) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": ADA_ORCID, "iat": now, "exp": now + 600, "nonce": "n-1"}
    claims.update(changes)
    return jwt.encode({"alg": "RS256", "kid": key.kid}, {k: v for k, v in claims.items() if v is not None}, key)


def test_a_valid_id_token_gives_its_orcid() -> None:
    assert verify_id_token(_token(), JWKS, issuer=ISSUER, client_id=CLIENT, nonce="n-1") == ADA_ORCID
    url_sub = _token(sub=f"https://orcid.org/{ADA_ORCID}")
    assert verify_id_token(url_sub, JWKS, issuer=ISSUER, client_id=CLIENT, nonce="n-1") == ADA_ORCID


@pytest.mark.parametrize(("changes", "says"), [
    ({"iss": "https://evil.example"}, "iss"), ({"aud": "APP-OTHER"}, "aud"),
    ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "exp"), ({"nonce": "n-2"}, "nonce"),
    ({"nonce": None}, "nonce"), ({"sub": "someone"}, "not an ORCID iD")])
def test_a_wrong_id_token_is_refused_saying_which_check_failed(changes: dict, says: str) -> None:
    with pytest.raises(OrcidError, match=says):
        verify_id_token(_token(**changes), JWKS, issuer=ISSUER, client_id=CLIENT, nonce="n-1")


def test_a_token_signed_by_another_key_is_refused() -> None:
    other = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    with pytest.raises(OrcidError, match="signature"):
        verify_id_token(_token(other), JWKS, issuer=ISSUER, client_id=CLIENT, nonce="n-1")


# oidc-provider-mock 0.3 (the line for Python 3.11) calls Authlib APIs that Authlib 1.9 deprecates; the warning is
# raised in the provider's own thread, inside the test's process: ignore Authlib's deprecations, nothing else.
PROVIDER_WARNINGS = pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the mock imports Authlib's deprecated jose module
        from oidc_provider_mock import run_server_in_thread
    with run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def orcid_app(app, acct, provider: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the local provider speaks plain HTTP
    for key, value in {"ORCID_CLIENT_ID": CLIENT, "ORCID_CLIENT_SECRET": "s3cret", "ORCID_ISSUER": provider}.items():
        monkeypatch.setitem(app.config, key, value)
    return acct


def _sign_in_with_orcid(client, author: str, orcid_id: str) -> requests.Response:
    start = client.get(f"/api/account/orcid/start?author={quote(author, safe='')}")
    assert start.status_code == 302
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["scope"] == ["openid"] and query["nonce"][0] and query["state"][0]
    consent = requests.post(start.headers["Location"], data={"sub": orcid_id}, allow_redirects=False, timeout=10)
    assert consent.status_code == 302
    back = urlsplit(consent.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


@PROVIDER_WARNINGS
def test_orcid_sign_in_with_the_authors_id_claims_at_l3(app, orcid_app, db, tmp_path: Path) -> None:
    ada = load_people(db, tmp_path)["Ada Lovelace"]
    sign_up(orcid_app, outbox(app), "ada@example.org", "Zed Claimant")
    done = _sign_in_with_orcid(orcid_app, ada, ADA_ORCID)
    assert done.status_code == 302 and done.headers["Location"] == f"/claim/{quote(ada, safe='')}"
    assert orcid_app.get("/api/account").get_json()["orcid"] == ADA_ORCID
    claim = orcid_app.post(f"/api/authors/{quote(ada, safe='')}/claim", headers=csrf(orcid_app)).get_json()
    assert (claim["status"], claim["level"]) == ("claimed", "L3")
    assert claim["evidence"] == [{"kind": "orcid_signin", "orcid": ADA_ORCID}]


@PROVIDER_WARNINGS
def test_orcid_sign_in_with_another_id_does_not_give_l3(app, orcid_app, db, tmp_path: Path) -> None:
    ada = load_people(db, tmp_path)["Ada Lovelace"]
    sign_up(orcid_app, outbox(app), "ada@example.org", "Zed Claimant")
    assert _sign_in_with_orcid(orcid_app, ada, "0000-0001-5109-3700").status_code == 302
    claim = orcid_app.post(f"/api/authors/{quote(ada, safe='')}/claim", headers=csrf(orcid_app)).get_json()
    assert (claim["status"], claim["level"]) == ("pending", None)


@PROVIDER_WARNINGS
def test_a_callback_not_started_here_is_refused(app, orcid_app) -> None:
    # (A wrong issuer or audience is refused by verify_id_token, tested above with real signatures: this
    # provider names itself after whatever host it is reached by, so it cannot be made to lie about it.)
    sign_up(orcid_app, outbox(app), "ada@example.org", "Zed Claimant")
    forged = orcid_app.get("/api/account/orcid/callback?code=abc&state=made-up")
    assert forged.status_code == 400 and forged.get_json()["error"]["code"] == "orcid_state"
    assert orcid_app.get("/api/account").get_json()["orcid"] is None


def test_orcid_sign_in_needs_a_session_and_a_configured_client(app, acct) -> None:
    assert acct.get("/api/account/orcid/start").status_code == 401
    sign_up(acct, outbox(app), "ada@example.org")
    off = acct.get("/api/account/orcid/start")
    assert off.status_code == 503 and "PEERGRAPH_ORCID_CLIENT_ID" in off.get_json()["error"]["message"]
