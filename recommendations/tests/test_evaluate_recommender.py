"""manage.py evaluate_recommender: CSV listening in, user_id,artist_id,rank out, no database."""

import csv
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

ARTISTS = [f"{n:03d}" for n in range(1, 41)]  # ids with leading zeros must come back as given


def write_csv(path, header, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def listening_rows(seed=5):
    """30 users, each with 6–10 of the first or last 20 artists."""
    rng = np.random.default_rng(seed)
    rows = []
    for user in range(30):
        pool = ARTISTS[:20] if user % 2 else ARTISTS[20:]
        for artist in rng.choice(pool, size=rng.integers(6, 11), replace=False):
            rows.append([f"u{user}", artist, int(rng.integers(1, 300))])
    return rows


def read_ranks(path):
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["user_id", "artist_id", "rank"]
        return list(reader)


def run(tmp_path, listening, users, *extra):
    out, err = StringIO(), StringIO()
    train = write_csv(tmp_path / "train.csv", ["user_id", "artist_id", "weight"], listening)
    wanted = write_csv(tmp_path / "users.csv", ["user_id"], [[u] for u in users])
    ranks = tmp_path / "ranks.csv"
    arguments = ["--listening", str(train), "--users", str(wanted), "--out", str(ranks), *extra]
    call_command("evaluate_recommender", *arguments, stdout=out, stderr=err)
    return read_ranks(ranks), out.getvalue(), err.getvalue()


def by_user(ranks):
    grouped = {}
    for row in ranks:
        grouped.setdefault(row["user_id"], []).append(row)
    return grouped


def test_every_requested_user_gets_20_contiguous_ranks_of_artists_they_do_not_have(tmp_path):
    listening = listening_rows()
    ranks, out, _ = run(tmp_path, listening, ["u1", "u2", "u3"])
    grouped = by_user(ranks)
    assert set(grouped) == {"u1", "u2", "u3"}
    for user, rows in grouped.items():
        assert [int(row["rank"]) for row in rows] == list(range(1, 21))
        has = {artist for u, artist, _ in listening if u == user}
        assert not has & {row["artist_id"] for row in rows}
        assert len({row["artist_id"] for row in rows}) == 20
        assert {row["artist_id"] for row in rows} <= set(ARTISTS)
    assert "60 ranks for 3 user(s)" in out


def test_a_fan_of_the_first_artists_is_offered_the_first_artists_first(tmp_path):
    ranks, _, _ = run(tmp_path, listening_rows(), ["u1"])
    top = [row["artist_id"] for row in ranks[:5]]
    assert set(top) <= set(ARTISTS[:20])


def test_a_user_absent_from_the_listening_gets_popular_artists(tmp_path):
    ranks, out, _ = run(tmp_path, listening_rows(), ["nobody", "u1", "nobody"])
    grouped = by_user(ranks)
    assert [int(row["rank"]) for row in grouped["nobody"]] == list(range(1, 21))
    assert "1 not in the listening" in out


def test_bad_rows_are_reported_with_their_line_and_the_good_ones_used(tmp_path):
    listening = listening_rows()
    bad = [["u1", "001"], ["u1", "002", "lots"], ["u1", "003", "-4"], ["u1", "", "7"], ["u1", "004", "nan"]]
    ranks, out, err = run(tmp_path, listening[:3] + bad + listening[3:], ["u1"])
    reported = err.splitlines()
    for line, reason in [(5, "field"), (6, "'lots'"), (7, "'-4'"), (8, "empty artist_id"), (9, "'nan'")]:
        assert f"train.csv line {line}:" in reported[line - 5] and reason in reported[line - 5]
    assert len(by_user(ranks)["u1"]) == 20
    assert "5 bad listening row(s) skipped" in out


def test_an_artist_with_weight_zero_is_still_never_recommended_to_that_user(tmp_path):
    listening = listening_rows()
    first_ranks, _, _ = run(tmp_path, listening, ["u1"])
    favourite = first_ranks[0]["artist_id"]
    ranks, _, _ = run(tmp_path, listening + [["u1", favourite, "0"]], ["u1"])
    assert favourite not in {row["artist_id"] for row in ranks}
    assert len(ranks) == 20


def test_tags_are_used_when_given_and_an_unreadable_tags_file_is_noted(tmp_path):
    tag_rows = [["u0", artist, "7"] for artist in ARTISTS[:20]] + [["u0", "050", "7"]]
    tags = write_csv(tmp_path / "tags.csv", ["user_id", "artist_id", "tag_id"], tag_rows)
    ranks, _, _ = run(tmp_path, listening_rows(), ["u1"], "--tags", str(tags), "--k", "25")
    assert [int(row["rank"]) for row in ranks] == list(range(1, 26))
    assert "050" in {row["artist_id"] for row in ranks}  # only known through its tag
    broken = write_csv(tmp_path / "broken.csv", ["artist", "label"], [["001", "x"]])
    ranks, _, err = run(tmp_path, listening_rows(), ["u1"], "--tags", str(broken))
    assert "tags ignored" in err and len(ranks) == 20


def test_a_listening_file_without_the_expected_columns_is_refused(tmp_path):
    train = write_csv(tmp_path / "train.csv", ["user_id", "artist_id"], [["u1", "001"]])
    users = write_csv(tmp_path / "users.csv", ["user_id"], [["u1"]])
    arguments = ["--listening", str(train), "--users", str(users), "--out", str(tmp_path / "ranks.csv")]
    with pytest.raises(CommandError, match="weight"):
        call_command("evaluate_recommender", *arguments, stdout=StringIO())
