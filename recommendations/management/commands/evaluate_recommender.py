"""manage.py evaluate_recommender --listening train.csv --users users.csv --out ranks.csv [--tags FILE] [--k 20]

Ranks artists for the requested users with the product's artist-ranking stage
(recommendations.engine), fitted on the given listening only, and writes
user_id,artist_id,rank (rank 1 = best, k rows per user). Touches no database.

- train.csv: header user_id,artist_id,weight (plays or any score, more = liked more).
  Repeated (user, artist) rows add up; a row with weight 0 fits nothing but the artist
  still counts as one the user has, so it is never recommended to them.
- users.csv: a user_id column. A user absent from train.csv gets the most listened artists.
- --tags: user_id,artist_id,tag_id rows (like HetRec's user_taggedartists); used as how
  often each tag was given to each artist. A tags file that cannot be read is ignored
  with a note.
A row that cannot be read is reported on stderr with its line and reason; the others are used.
"""

from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from recommendations.engine import evaluation


class Command(BaseCommand):
    help = "Rank artists for users from CSV listening with the recommendation engine; writes user_id,artist_id,rank."

    def add_arguments(self, parser):
        parser.add_argument("--listening", required=True, help="CSV: user_id,artist_id,weight")
        parser.add_argument("--users", required=True, help="CSV with a user_id column: the users to rank")
        parser.add_argument("--out", required=True, help="CSV to write: user_id,artist_id,rank")
        parser.add_argument("--tags", help="optional CSV: user_id,artist_id,tag_id")
        parser.add_argument("--k", type=int, default=20, help="artists per user (default 20)")

    def handle(self, *args, listening, users, out, tags, k, **options):
        if k < 1:
            raise CommandError("--k must be at least 1")
        plays = self._read(evaluation.read_listening, listening)
        requested, bad_users = self._read(evaluation.read_users, users)
        self._report(plays.bad + bad_users)
        tag_rows = self._tags(tags)
        with tqdm(total=len(requested), desc="ranking", unit="user", disable=None) as bar:
            ranks = evaluation.rank_users(plays, requested, tag_rows, k=k, progress=bar.update)
            written = evaluation.write_ranks(out, ranks)
        if written < k * len(requested):
            self.stderr.write(f"note: some users got fewer than {k} rows: the catalog has no more artists they do not have")
        self.stdout.write(self._summary(requested, plays, written, out, k))

    def _read(self, reader, path):
        try:
            return reader(path)
        except (OSError, ValueError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error

    def _tags(self, path) -> list:
        if not path:
            return []
        try:
            rows, bad = evaluation.read_tags(path)
        except (OSError, ValueError, UnicodeDecodeError) as error:
            self.stderr.write(f"note: tags ignored, {error}")
            return []
        self._report(bad)
        return rows

    def _report(self, bad_rows) -> None:
        for bad in bad_rows:
            self.stderr.write(f"skipped {bad}")

    def _summary(self, requested, plays, written, out, k) -> str:
        users = len({user for user, _ in plays.weights})
        unknown = len(set(requested) - {user for user, _ in plays.weights})
        return (
            f"{written} ranks for {len(requested)} user(s) ({unknown} not in the listening, given popular artists), "
            f"k={k}, fitted on {len(plays.weights)} pairs from {users} user(s), "
            f"{len(plays.bad)} bad listening row(s) skipped → {out}"
        )
