"""The console's lexical guard and its pure helpers, without a database."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards import console_widgets as widgets
from graph import console
from graph.guard import ALLOWED_PROCEDURES, Refused, check, position, tokens
from tests.hostile_queries import FULLWIDTH_CREATE, HOSTILE, READS


def test_the_corpora_are_big_enough() -> None:
    assert len(HOSTILE) >= 100
    assert len(set(HOSTILE)) == len(HOSTILE)
    assert len(READS) >= 30


@pytest.mark.parametrize("query", HOSTILE)
def test_every_hostile_query_is_refused_with_a_reason(query: str) -> None:
    with pytest.raises(Refused) as caught:
        check(query)
    message = str(caught.value)
    assert message.startswith("refused: ")
    assert len(caught.value.reason) > 10


@pytest.mark.parametrize("query", READS)
def test_legitimate_reads_pass(query: str) -> None:
    checked = check(query)
    assert checked.text.strip()


@pytest.mark.parametrize("saved", console.saved_queries(), ids=lambda q: q.name)
def test_every_saved_query_passes_the_guard(saved: console.SavedQuery) -> None:
    check(saved.text)


@pytest.mark.parametrize(("query", "word", "where"), [
    ("MATCH (n)\n  SET n.x = 1", "SET", (2, 3)),
    ("MATCH (n) /* a */ DETACH DELETE n", "DETACH", (1, 19)),
    ("CREATE (n)", "CREATE", (1, 1)),
    ("MATCH (n)\nWITH n\nMERGE (m)", "MERGE", (3, 1)),
])
def test_a_refusal_names_the_keyword_and_its_place(query: str, word: str, where: tuple[int, int]) -> None:
    with pytest.raises(Refused) as caught:
        check(query)
    assert word in str(caught.value)
    assert caught.value.position == where
    assert f"line {where[0]}, column {where[1]}" in str(caught.value)


def test_writes_say_writes_are_not_allowed() -> None:
    with pytest.raises(Refused, match=r"writes are not allowed in the console \(SET\)"):
        check("MATCH (n) SET n.x = 1")


def test_several_statements_are_refused_but_a_trailing_semicolon_is_not() -> None:
    with pytest.raises(Refused, match="several statements"):
        check("MATCH (n) RETURN n; MATCH (m) RETURN m")
    checked = check("MATCH (n) RETURN n;  // the end")
    assert ";" not in checked.text
    assert checked.text.startswith("MATCH (n) RETURN n")


def test_a_semicolon_inside_a_string_or_comment_is_not_a_statement_end() -> None:
    check("RETURN 'a; b' AS x /* ; */ // ;")


def test_look_alike_keywords_are_named() -> None:
    with pytest.raises(Refused, match="CREATE written with look-alike"):
        check(f"{FULLWIDTH_CREATE} (n)")


def test_non_ascii_names_outside_strings_are_refused_with_a_hint_but_fine_inside() -> None:
    with pytest.raises(Refused, match="backticks"):
        check("MATCH (café) RETURN café")
    check("MATCH (a) WHERE a.name = 'Müller' RETURN a.name AS `Nähe`")


def test_a_leading_explain_or_profile_becomes_the_mode_and_keeps_positions() -> None:
    checked = check("EXPLAIN MATCH (n) RETURN n")
    assert checked.mode == "explain"
    assert checked.text == " " * 7 + " MATCH (n) RETURN n"
    assert check("profile RETURN 1").mode == "profile"
    assert check("RETURN 1").mode is None


def test_allowed_procedures_pass_and_are_reported() -> None:
    for name in ALLOWED_PROCEDURES:
        checked = check("CALL " + name + "()")  # hostile text for the guard, not a query we run
        assert checked.procedures == [name]


def test_subqueries_are_allowed_when_they_only_read() -> None:
    check("CALL { MATCH (n) RETURN count(n) AS c } RETURN c")
    check("MATCH (a) CALL (a) { MATCH (a)-->(b) RETURN count(b) AS c } RETURN a, c")


def test_admin_words_as_variables_are_fine_but_commands_are_not() -> None:
    check("MATCH (start)-->(stop) WITH start, stop AS use RETURN start, use")
    for query in ("MATCH (n) WITH n CALL { USE neo4j MATCH (m) RETURN m } RETURN n", "SHOW USERS"):
        with pytest.raises(Refused, match="administration"):
            check(query)


def test_empty_and_overlong_queries_are_refused() -> None:
    for query in ("", "   ", "// only a comment", ";"):
        with pytest.raises(Refused):
            check(query)
    with pytest.raises(Refused, match="longer than"):
        check("RETURN 1 " + " " * 30_000)


def test_tokens_keep_strings_comments_and_names_whole() -> None:
    kinds = [(t.kind, t.text) for t in tokens("RETURN 'a\\'b' /* c */ `d``e` $p // f") if t.significant]
    assert kinds == [("word", "RETURN"), ("string", "'a\\'b'"), ("name", "`d``e`"), ("param", "$p")]
    assert position("ab\ncd", 4) == (2, 2)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("MATCH(n)RETURN SETcreate;'\"`/*\n$.{}:,\u200b\uff23é")), max_size=60))
def test_the_guard_never_fails_other_than_by_refusing(text: str) -> None:
    try:
        checked = check(text)
    except Refused:
        return
    # Positions in Neo4j's messages must still point into the analyst's text.
    assert len(checked.text) == len(text)
    # Whatever passes holds no write keyword outside strings, comments, property and map keys.
    significant = [t for t in tokens(checked.text) if t.significant]
    for k, token in enumerate(significant):
        before = significant[k - 1].text if k else ""
        after = significant[k + 1].text if k + 1 < len(significant) else ""
        if token.kind == "word" and before != "." and not (before in "{," and before and after == ":"):
            assert token.value not in {"SET", "CREATE", "MERGE", "DELETE", "DETACH", "REMOVE"}


# -- the console's pure helpers -----------------------------------------------------

def test_saved_query_headers_are_parsed() -> None:
    saved = console.parse_header(
        "analyst/x", 'title: T\ndescription: first line\n  second line\nparams: a (string) = "x"; b (integer) = 3\n'
        "columns: one, two", "MATCH (n) RETURN n")
    assert saved.title == "T"
    assert saved.description == "first line second line"
    assert saved.defaults() == {"a": "x", "b": 3}
    assert [p.type for p in saved.params] == ["string", "integer"]
    assert saved.columns == ["one", "two"]
    with pytest.raises(ValueError, match="title"):
        console.parse_header("analyst/y", "description: d", "RETURN 1")


def test_the_library_has_at_least_twelve_documented_queries() -> None:
    library = console.saved_queries()
    assert len(library) >= 12
    for saved in library:
        assert saved.title and len(saved.description) > 30 and saved.columns, saved.name
        assert "$" not in saved.text or saved.params, saved.name
        for param in saved.params:
            assert f"${param.name}" in saved.text, (saved.name, param.name)
    assert console.saved_query("top_collaborators").title == "Top collaborators of a researcher"
    assert console.saved_query("nope") is None


def test_params_box_parsing_gives_clear_messages() -> None:
    assert widgets.parse_params("") == {}
    assert widgets.parse_params('{"a": 1}') == {"a": 1}
    with pytest.raises(ValueError, match="not valid JSON.*line 1, column 2"):
        widgets.parse_params("{a: 1}")
    with pytest.raises(ValueError, match="must be a JSON object"):
        widgets.parse_params("[1, 2]")


def test_url_search_round_trips() -> None:
    from urllib.parse import parse_qs

    search = widgets.url_search("MATCH (n)\nRETURN n", '{"a": "b&c"}', "graph", "profile")
    args = parse_qs(search[1:])
    assert args == {"q": ["MATCH (n)\nRETURN n"], "params": ['{"a": "b&c"}'], "view": ["graph"], "mode": ["profile"]}


def test_cells_and_csv_show_nodes_short_and_structures_as_json() -> None:
    node = {"element_id": "4:x:1", "labels": ["Author"], "properties": {"id": "name:a_b", "name": "A B", "x": 1}}
    assert console.cell_text(node) == '(:Author {"id": "name:a_b", "name": "A B"})'
    assert console.cell_text([1, "a"]) == '[1, "a"]'
    csv_text = console.to_csv(["n", "flag", "missing", "list"], [[node, True, None, [1, 2]]])
    lines = csv_text.splitlines()
    assert lines[0] == "n,flag,missing,list"
    assert lines[1].endswith(',true,,"[1, 2]"')


def test_plan_lines_indent_children_and_show_figures() -> None:
    tree = {"operator": "ProduceResults", "details": "n", "estimated_rows": 3, "rows": 3, "db_hits": 7,
            "children": [{"operator": "AllNodesScan", "details": "n", "estimated_rows": 3, "rows": None,
                          "db_hits": None, "children": []}]}
    assert console.plan_lines(tree) == ["ProduceResults  n  [est. 3 rows, 3 rows, 7 db hits]",
                                        "  └ AllNodesScan  n  [est. 3 rows]"]


def test_widgets_table_sorts_and_pages() -> None:
    result = {"columns": ["name", "n"], "rows": [[f"a{i:02d}", i] for i in range(30)], "row_count": 30}
    table, label, prev_disabled, next_disabled = widgets.table(result, {"col": 1, "desc": True}, 0)
    assert label == "page 1 of 2" and prev_disabled and not next_disabled
    body = json.loads(json.dumps(table.to_plotly_json(), default=lambda c: c.to_plotly_json()))
    first_row = body["props"]["children"][1]["props"]["children"][0]["props"]["children"]
    assert [cell["props"]["children"] for cell in first_row] == ["a29", "29"]
    _, label, _, next_disabled = widgets.table(result, {}, 5)
    assert label == "page 2 of 2" and next_disabled


def test_limits_come_from_config_then_environment_then_defaults() -> None:
    assert console.Limits.from_config({}, {}) == console.Limits(10.0, 5000)
    assert console.Limits.from_config({}, {"PEERGRAPH_CONSOLE_TIMEOUT": "3", "PEERGRAPH_CONSOLE_ROW_CAP": "7"}) \
        == console.Limits(3.0, 7)
    assert console.Limits.from_config({"CONSOLE_ROW_CAP": 9}, {"PEERGRAPH_CONSOLE_ROW_CAP": "7"}).row_cap == 9
