"""api.spec: the OpenAPI schema and the JSON answer come from the same type hints (no Neo4j needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypedDict

import jsonschema_rs
import pytest

from api.spec import dump, operation, schema_of


class Row(TypedDict):
    id: str
    works: int


@dataclass(frozen=True)
class Inner:
    """A nested answer."""

    name: str
    score: float | None


@dataclass(frozen=True)
class Outer:
    source: str = field(metadata={"json": "from", "description": "where it starts"})
    kind: Literal["a", "b"] = "a"
    count: Annotated[int, "how many"] = 0
    inner: Inner | None = None
    rows: list[Row] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    extra: Any = None


def test_schema_of_a_dataclass_follows_its_hints() -> None:
    components: dict[str, Any] = {}
    assert schema_of(Outer, components) == {"$ref": "#/components/schemas/Outer"}
    outer = components["Outer"]
    assert outer["required"] == ["from", "kind", "count", "inner", "rows", "totals", "extra"]
    assert outer["additionalProperties"] is False
    props = outer["properties"]
    assert props["from"] == {"type": "string", "description": "where it starts"}
    assert props["kind"] == {"enum": ["a", "b"]}
    assert props["count"] == {"type": "integer", "description": "how many"}
    assert props["inner"] == {"oneOf": [{"$ref": "#/components/schemas/Inner"}, {"type": "null"}]}
    assert props["rows"] == {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}
    assert props["totals"] == {"type": "object", "additionalProperties": {"type": "integer"}}
    assert props["extra"] == {}
    assert components["Inner"]["properties"] == {"name": {"type": "string"}, "score": {"type": ["number", "null"]}}
    assert components["Inner"]["description"] == "A nested answer."
    assert components["Row"]["required"] == ["id", "works"]


def test_dump_writes_what_the_schema_describes() -> None:
    value = Outer("x", "b", 3, Inner("n", None), [Row(id="r", works=2)], {"a": 1}, {"free": [1]})
    data = dump(value)
    assert data == {"from": "x", "kind": "b", "count": 3, "inner": {"name": "n", "score": None},
                    "rows": [{"id": "r", "works": 2}], "totals": {"a": 1}, "extra": {"free": [1]}}
    components: dict[str, Any] = {}
    schema_of(Outer, components)
    schema = {"$ref": "#/components/schemas/Outer", "components": {"schemas": components}}
    validator = jsonschema_rs.validator_for(schema)
    assert validator.is_valid(data)
    assert not validator.is_valid({**data, "source": "x"})  # the Python name is not the JSON key
    assert not validator.is_valid({**data, "kind": "c"})


def test_a_type_without_a_schema_is_refused() -> None:
    with pytest.raises(TypeError, match="no JSON Schema"):
        schema_of(set[int], {})


def test_an_operation_must_describe_its_path_parameters() -> None:
    with pytest.raises(ValueError, match=r"describe exactly its path parameters \['thing_id'\]"):
        operation("GET", "/things/<path:thing_id>", summary="s", operation_id="thing", answer=Inner)


# -- real answers against the generated document ---------------------------------------------------------------
# Every endpoint of the modules converted from hand-written OpenAPI (console, explore, export, accounts) is
# called below, on the sample or on a fresh account, and its answer validated against the document's schema
# for that status; the last test checks none was left out.
_checked: set[str] = set()
CONVERTED = ("api.console", "api.explore", "api.export", "api.accounts")


def _document() -> dict[str, Any]:
    from api.openapi import document

    return document()


def agrees(doc: dict[str, Any], method: str, path: str, response: Any) -> Any:
    """The answer's JSON, after checking it against ``doc``'s schema for ``method path`` and its status."""
    documented = doc["paths"][path][method.lower()]["responses"]
    assert str(response.status_code) in documented, f"{method} {path}: {response.status_code} is not documented"
    content = documented[str(response.status_code)].get("content", {})
    _checked.add(f"{method.upper()} {path}")
    if response.mimetype != "application/json":
        assert response.mimetype in content or not content, f"{method} {path}: {response.mimetype} undocumented"
        return None
    body = response.get_json()
    validator = jsonschema_rs.validator_for({**content["application/json"]["schema"],
                                             "components": doc["components"]})
    errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, f"{method} {path} answered outside its schema: {errors[:3]}"
    return body


def test_graph_answers_agree_with_the_document(app, sample_db) -> None:
    from urllib.parse import quote

    doc = _document()
    client = app.test_client()
    me = "name:geiger_m"
    other = sample_db.driver.execute_query(
        "MATCH (:Author {id: $id})-[c:COAUTHOR]-(b:Author) RETURN b.id AS id ORDER BY c.works DESC, b.id LIMIT 1",
        id=me, database_=sample_db.database).records[0]["id"]
    topic = sample_db.driver.execute_query("MATCH (t:Topic) RETURN t.id AS id ORDER BY t.id LIMIT 1",
                                           database_=sample_db.database).records[0]["id"]
    inst = sample_db.driver.execute_query("MATCH (i:Institution) RETURN i.id AS id ORDER BY i.id LIMIT 1",
                                          database_=sample_db.database).records[0]["id"]
    enc = quote(me, safe="")
    slice_ = agrees(doc, "GET", "/api/authors/{id}/neighbourhood",
                    client.get(f"/api/authors/{enc}/neighbourhood?depth=2&year_from=2015"))
    assert slice_["depth"] == 2 and slice_["nodes"][0]["data"]["id"] == me
    agrees(doc, "GET", "/api/neighbourhood", client.get(f"/api/neighbourhood?id={enc}"))
    expanded = agrees(doc, "GET", "/api/neighbourhood/expand",
                      client.get(f"/api/neighbourhood/expand?id={enc}&key=AUTHORED:out&limit=3"))
    assert "depth" not in expanded and expanded["limit"] == 3  # left out, not null, where it does not apply
    agrees(doc, "GET", "/api/neighbourhood/counts", client.get(f"/api/neighbourhood/counts?id={enc}"))
    agrees(doc, "GET", "/api/neighbourhood", client.get("/api/neighbourhood?id=nobody:0"))  # 404
    path = agrees(doc, "GET", "/api/paths", client.get(f"/api/paths?from={enc}&to={quote(other, safe='')}"))
    assert path["paths"][0]["hops"][0]["from"] == me and path["to"]["id"] == other
    agrees(doc, "GET", "/api/paths", client.get(f"/api/paths?from={enc}&to={enc}"))  # 400

    query = "MATCH (a:Author {id: $id})-[c:COAUTHOR]-(b) RETURN a, c, b LIMIT 3"
    ran = agrees(doc, "POST", "/api/cypher", client.post("/api/cypher", json={"query": query, "params": {"id": me}}))
    assert ran["row_count"] == 3 and "plan" not in ran and ran["graph"]["nodes"]
    assert "plan" in agrees(doc, "POST", "/api/cypher",
                            client.post("/api/cypher", json={"query": query, "params": {"id": me}, "mode": "explain"}))
    refused = agrees(doc, "POST", "/api/cypher", client.post("/api/cypher", json={"query": "RETURN 1 +"}))
    assert refused["error"]["code"] == "bad_query" and set(refused["error"]["position"]) == {"line", "column"}
    agrees(doc, "POST", "/api/cypher", client.post("/api/cypher?format=csv", json={"query": "RETURN 1 AS one"}))
    saved = agrees(doc, "GET", "/api/cypher/saved", client.get("/api/cypher/saved"))
    assert len(saved["queries"]) == len(list(Path("cypher/analyst").glob("*.cypher")))
    agrees(doc, "GET", "/api/schema", client.get("/api/schema"))

    for kind, plural, node in (("author", "authors", me), ("topic", "topics", topic),
                               ("institution", "institutions", inst)):
        url = f"/api/{plural}/{quote(node, safe='')}/export"
        agrees(doc, "GET", f"/api/{plural}/{{{kind}_id}}/export", client.get(f"{url}?format=csv-nodes"))
        agrees(doc, "GET", f"/api/{plural}/{{{kind}_id}}/export", client.get(f"{url}?format=nope"))  # 400


def test_account_answers_agree_with_the_document(app, acct, db, tmp_path: Path) -> None:
    from urllib.parse import quote

    from accounts.web import EXTENSION
    from tests.accounts_data import PW, csrf, load_people, outbox, sign_up

    doc = _document()
    ada = quote(load_people(db, tmp_path)["Ada Lovelace"], safe="")
    agrees(doc, "GET", "/api/account/csrf", acct.get("/api/account/csrf"))
    agrees(doc, "GET", "/api/account", acct.get("/api/account"))  # 401
    headers = csrf(acct)
    agrees(doc, "POST", "/api/account/register", acct.post("/api/account/register", json={
        "email": "x@example.org", "password": PW, "name": "X"}, headers=headers))
    sign_up(acct, outbox(app), "root@example.org", "Root", login=False)
    app.extensions[EXTENSION].store.set_role("root@example.org", "admin")
    login = acct.post("/api/account/login", json={"email": "root@example.org", "password": PW}, headers=headers)
    assert agrees(doc, "POST", "/api/account/login", login)["account"]["role"] == "admin"
    claim = agrees(doc, "POST", "/api/authors/{author_id}/claim",
                   acct.post(f"/api/authors/{ada}/claim", headers=headers))
    agrees(doc, "POST", "/api/authors/{author_id}/follow", acct.post(f"/api/authors/{ada}/follow", headers=headers))
    agrees(doc, "DELETE", "/api/authors/{author_id}/follow",
           acct.delete(f"/api/authors/{ada}/follow", headers=headers))
    summary = agrees(doc, "GET", "/api/account", acct.get("/api/account"))
    assert [c["id"] for c in summary["claims"]] == [claim["id"]]
    assert agrees(doc, "GET", "/api/admin/claims", acct.get("/api/admin/claims"))["claims"][0]["id"] == claim["id"]
    agrees(doc, "GET", "/api/authors/{author_id}/trust", acct.get(f"/api/authors/{ada}/trust"))
    agrees(doc, "DELETE", "/api/authors/{author_id}/claim", acct.delete(f"/api/authors/{ada}/claim", headers=headers))
    agrees(doc, "POST", "/api/admin/claims/{claim_id}",  # a withdrawn claim: a documented 4xx
           acct.post(f"/api/admin/claims/{claim['id']}", json={"decision": "reject", "reason": "test"},
                     headers=headers))
    agrees(doc, "POST", "/api/account/password", acct.post("/api/account/password", json={
        "current_password": PW, "new_password": PW + "2"}, headers=headers))
    agrees(doc, "POST", "/api/account/password-reset", acct.post("/api/account/password-reset", json={
        "email": "root@example.org"}, headers=headers))
    agrees(doc, "POST", "/api/account/password-reset/confirm", acct.post("/api/account/password-reset/confirm",
           json={"token": "nope", "password": PW}, headers=headers))  # 400
    agrees(doc, "POST", "/api/account/verify", acct.post("/api/account/verify", json={"token": "nope"},
                                                         headers=headers))  # 400
    agrees(doc, "GET", "/api/account/orcid/start", acct.get("/api/account/orcid/start"))  # 503: not configured
    agrees(doc, "GET", "/api/account/orcid/callback", acct.get("/api/account/orcid/callback"))
    agrees(doc, "POST", "/api/account/logout", acct.post("/api/account/logout", headers=headers))
    agrees(doc, "DELETE", "/api/account", acct.delete("/api/account", headers=headers))  # 401 once signed out


def test_every_converted_endpoint_was_checked() -> None:
    """Each operation of the converted modules had a real answer validated above."""
    from api.spec import OPERATIONS

    _document()
    converted = {f"{op.method.upper()} {op.path}" for op in OPERATIONS if op.module in CONVERTED}
    assert len({op.module for op in OPERATIONS if op.module in CONVERTED}) == len(CONVERTED)
    assert converted <= _checked, f"not checked: {sorted(converted - _checked)}"
