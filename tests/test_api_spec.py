"""api.spec: the OpenAPI schema and the JSON answer come from the same type hints (no Neo4j needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
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
