"""Following an author: the count on the profile and on the Author node; follows go with a deleted account."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from tests.accounts_data import csrf, load_people, outbox, sign_up
from tests.loader_helpers import rows


def test_follow_unfollow_and_delete(app, acct, db, tmp_path: Path) -> None:
    ada_id = load_people(db, tmp_path)["Ada Lovelace"]
    ada = quote(ada_id, safe="")
    assert acct.post(f"/api/authors/{ada}/follow", headers=csrf(acct)).status_code == 401
    sign_up(acct, outbox(app), "fan@example.org", "Fan")
    other = app.test_client()
    sign_up(other, outbox(app), "fan2@example.org", "Fan 2")
    assert acct.post(f"/api/authors/{ada}/follow", headers=csrf(acct)).get_json() == {"followers": 1}
    assert acct.post(f"/api/authors/{ada}/follow", headers=csrf(acct)).get_json() == {"followers": 1}  # idempotent
    assert other.post(f"/api/authors/{ada}/follow", headers=csrf(other)).get_json() == {"followers": 2}
    assert acct.get(f"/api/authors/{ada}").get_json()["followers"] == 2
    assert acct.get("/api/account").get_json()["following"] == [ada_id]
    assert other.delete(f"/api/authors/{ada}/follow", headers=csrf(other)).get_json() == {"followers": 1}
    assert acct.delete("/api/account", headers=csrf(acct)).status_code == 204
    assert rows(db, "MATCH (a:Author {id: $id}) RETURN a.followers AS n", id=ada_id)[0]["n"] == 0
    assert other.get(f"/api/authors/{ada}").get_json()["followers"] == 0
    assert other.post("/api/authors/name%3Anobody_x/follow", headers=csrf(other)).status_code == 404
