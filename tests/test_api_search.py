"""``GET /api/search`` against the real sample, the Lucene escaping, and the OpenAPI document of every
path this part serves (each 200 answer validated against its schema)."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from graph.search import lucene_query
from tests.conftest import shared_file

SEED = ("seeds", "geiger-works.jsonl")


def seed_titles() -> list[str]:
    lines = shared_file(*SEED).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["title"] for line in lines if line.strip()]


@pytest.fixture(scope="module")
def graph(sample_db):
    """The bundled sample, loaded once for this module."""
    return sample_db


@pytest.fixture(scope="module")
def api(app, graph):
    return app.test_client()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_a_prefix_finds_the_researcher(api) -> None:
    body = api.get("/api/search?q=geig").get_json()
    assert body["query"] == "geig" and body["type"] is None
    top = body["results"][0]
    assert (top["type"], top["label"]) == ("author", "Mario Geiger")
    assert top["url"] == "/author/" + quote(top["id"], safe=":")


def test_paper_search_returns_the_titles_that_match_every_word(api) -> None:
    body = api.get("/api/search?q=equivariant%20neural&type=paper&limit=50").get_json()
    got = {r["label"] for r in body["results"]}
    assert all(r["type"] == "paper" for r in body["results"])
    for title in got:  # every word matches a word of the title, or its start
        assert all(any(t.startswith(q) for t in words(title)) for q in ("equivariant", "neural"))
    expected = {t for t in seed_titles()
                if all(any(w.startswith(q) for w in words(t)) for q in ("equivariant", "neural"))}
    assert expected and expected <= got


def test_limit_and_type_filter(api) -> None:
    body = api.get("/api/search?q=s&limit=3").get_json()
    assert len(body["results"]) <= 3
    topics = api.get("/api/search?q=machine%20learning&type=topic").get_json()["results"]
    assert topics and all(r["type"] == "topic" for r in topics)
    assert "arxiv:cs.LG" in {r["id"] for r in topics}


@pytest.mark.parametrize("q", ["((", "a:b", '"', "\\", "*", "-", "~x", "AND", "so(3)", "e(3)-equivariant", "x" * 150])
def test_lucene_syntax_in_user_input_is_only_text(api, q) -> None:
    answer = api.get("/api/search?q=" + quote(q, safe=""))
    assert answer.status_code == 200, answer.get_json()


def test_so3_finds_the_titles_with_so3(api) -> None:
    got = {r["label"] for r in api.get("/api/search?q=SO(3)&type=paper&limit=50").get_json()["results"]}
    expected = {t for t in seed_titles() if "so(3)" in t.lower()}
    assert expected and expected <= got


def test_lucene_query_escapes_every_special_character() -> None:
    assert lucene_query("a:b") == r"+(a\:b^2 OR a\:b*)"
    assert lucene_query("Geiger M") == "+(geiger^2 OR geiger*) +(m^2 OR m*)"
    assert lucene_query('x"(y)') == r'+(x\"\(y\)^2 OR x\"\(y\)*)'
    assert lucene_query("   ") is None


@pytest.mark.parametrize("query, status, message", [
    ("", 400, "'q' is required"),
    ("q=", 400, "'q' is required"),
    ("q=x&type=person", 400, "'type' must be one of author, paper, topic, institution"),
    ("q=x&limit=0", 400, "'limit' must be between 1 and 50"),
    ("q=x&limit=51", 400, "'limit' must be between 1 and 50"),
    ("q=x&limit=many", 400, "'limit' must be an integer"),
    ("q=" + "x" * 201, 400, "'q' is longer than 200 characters"),
])
def test_bad_parameters_are_400s(api, query, status, message) -> None:
    answer = api.get("/api/search?" + query)
    assert answer.status_code == status
    assert message in answer.get_json()["error"]["message"]


# -- OpenAPI: the document lists what is served, and the answers match it -----------------------------------
def check(value, schema: dict, doc: dict, where: str = "$") -> None:
    """A small JSON Schema check (type, enum, required, properties, additionalProperties, items, oneOf, $ref)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return check(value, doc["components"]["schemas"][name], doc, where)
    if "oneOf" in schema:
        errors = []
        for option in schema["oneOf"]:
            try:
                check(value, option, doc, where)
                return None
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{where}: matches no option: {errors}")
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        python = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list,
                  "object": dict, "null": type(None)}
        ok = any(isinstance(value, python[k]) and not (k in ("integer", "number") and isinstance(value, bool))
                 for k in kinds)
        assert ok, f"{where}: {value!r} is not {kinds}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: '{key}' is missing"
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(props)
            assert not extra, f"{where}: undocumented fields {sorted(extra)}"
        for key, sub in props.items():
            if key in value:
                check(value[key], sub, doc, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            check(item, schema["items"], doc, f"{where}[{i}]")
    return None


def test_check_itself_rejects_wrong_answers() -> None:
    doc = {"components": {"schemas": {}}}
    schema = {"type": "object", "additionalProperties": False, "required": ["a"],
              "properties": {"a": {"type": "integer"}}}
    check({"a": 1}, schema, doc)
    for wrong in ({}, {"a": "1"}, {"a": 1, "b": 2}, {"a": True}):
        with pytest.raises(AssertionError):
            check(wrong, schema, doc)


def test_openapi_lists_and_describes_every_served_path(api) -> None:
    doc = api.get("/api/openapi.json").get_json()
    geiger = api.get("/api/search?q=Mario%20Geiger&type=author").get_json()["results"][0]["id"]
    author = quote(geiger, safe="")
    served = {
        "/api/search": "/api/search?q=geiger",
        "/api/authors/{author_id}": f"/api/authors/{author}",
        "/api/authors/{author_id}/works": f"/api/authors/{author}/works?limit=5",
        "/api/authors/{author_id}/recommendations": f"/api/authors/{author}/recommendations",
        "/api/topics/{topic_id}": "/api/topics/arxiv%3Acs.LG",
        "/api/institutions/{institution_id}": None,
    }
    row = api.get("/api/search?q=university&type=institution&limit=1").get_json()["results"]
    if row:
        served["/api/institutions/{institution_id}"] = "/api/institutions/" + quote(row[0]["id"], safe="")
    for path, url in served.items():
        assert path in doc["paths"], f"{path} is not in the OpenAPI document"
        op = doc["paths"][path]["get"]
        assert "404" in op["responses"] or path == "/api/search"
        assert "503" in op["responses"]
        if url is None:
            continue
        answer = api.get(url)
        assert answer.status_code == 200, (url, answer.get_json())
        check(answer.get_json(), op["responses"]["200"]["content"]["application/json"]["schema"], doc, url)
    # the error answers match the Error schema too
    bad = api.get("/api/search?q=x&limit=0")
    check(bad.get_json(), {"$ref": "#/components/schemas/Error"}, doc)
