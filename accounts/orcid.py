"""ORCID sign-in (L3): OpenID Connect's authorization-code flow with Authlib, ``openid`` scope, nonce checked.

The ID token is checked here, not trusted from the transport: signature against the provider's JWKS, ``iss``
equal to ``PEERGRAPH_ORCID_ISSUER`` (default ``https://orcid.org``), ``aud`` equal to our client id, ``exp``
and ``iat``, and ``nonce`` equal to the one we sent. Its ``sub`` is the ORCID iD.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

ORCID_ID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
TIMEOUT = 10


class OrcidError(Exception):
    """The sign-in failed; the message says why (shown to the user, logged)."""


@dataclass(frozen=True)
class OrcidConfig:
    client_id: str
    client_secret: str
    issuer: str = "https://orcid.org"

    @property
    def enabled(self) -> bool:
        return bool(self.client_id and self.client_secret)


def _metadata(cfg: OrcidConfig) -> dict[str, Any]:
    url = f"{cfg.issuer.rstrip('/')}/.well-known/openid-configuration"
    try:
        meta = requests.get(url, timeout=TIMEOUT).json()
    except (requests.RequestException, ValueError) as exc:
        raise OrcidError(f"could not read the provider's configuration at {url}: {exc}") from None
    if meta.get("issuer", "").rstrip("/") != cfg.issuer.rstrip("/"):
        raise OrcidError(f"the provider at {url} says its issuer is {meta.get('issuer')!r}, not {cfg.issuer!r}")
    return dict(meta)


def start(cfg: OrcidConfig, redirect_uri: str) -> tuple[str, str, str]:
    """(authorization URL, state, nonce): keep state and nonce for ``finish``."""
    meta = _metadata(cfg)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    client = OAuth2Session(cfg.client_id, cfg.client_secret, scope="openid", redirect_uri=redirect_uri)
    url, _ = client.create_authorization_url(meta["authorization_endpoint"], state=state, nonce=nonce)
    return url, state, nonce


def finish(cfg: OrcidConfig, redirect_uri: str, code: str, nonce: str) -> str:
    """Exchange the code, check the ID token; the proved ORCID iD."""
    meta = _metadata(cfg)
    client = OAuth2Session(cfg.client_id, cfg.client_secret, scope="openid", redirect_uri=redirect_uri)
    try:
        token = client.fetch_token(meta["token_endpoint"], code=code, grant_type="authorization_code",
                                   timeout=TIMEOUT)
        jwks = requests.get(meta["jwks_uri"], timeout=TIMEOUT).json()
    except Exception as exc:  # Authlib's and requests' errors: the provider refused or could not be reached
        raise OrcidError(f"the provider refused the sign-in: {exc}") from None
    if not token.get("id_token"):
        raise OrcidError("the provider sent no ID token (is the 'openid' scope allowed for this client?)")
    return verify_id_token(token["id_token"], jwks, issuer=cfg.issuer, client_id=cfg.client_id, nonce=nonce)


def verify_id_token(id_token: str, jwks: dict[str, Any], *, issuer: str, client_id: str, nonce: str) -> str:
    """The ``sub`` of a valid ID token, else OrcidError saying which check failed."""
    try:
        token = jwt.decode(id_token, KeySet.import_key_set(jwks))  # type: ignore[arg-type]
    except (JoseError, ValueError) as exc:
        raise OrcidError(f"the ID token's signature does not verify: {exc}") from None
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(iss={"essential": True, "value": issuer.rstrip("/")},
                                     aud={"essential": True, "value": client_id},
                                     exp={"essential": True}, sub={"essential": True},
                                     nonce={"essential": True, "value": nonce})
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise OrcidError(f"the ID token is not valid for this sign-in: {exc.error}: {exc.description}") from None
    sub = str(claims["sub"]).rsplit("/", 1)[-1]
    if not ORCID_ID.match(sub):
        raise OrcidError(f"the ID token's subject {sub!r} is not an ORCID iD")
    return sub
