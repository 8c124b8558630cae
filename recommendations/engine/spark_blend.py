"""The engine's blend fitted with Spark: the same sources as `fit_model`, as DataFrame work.

`fit_spark_blend(spark, plays, artist_ids, artist_tags, config)` returns the `ArtistModel` the
in-process `fit_model` returns, from Spark's own operations:

* rank damping (weighting.rank_damped): a window per listener, rank of each artist's plays;
* listener counts: a group-by;
* co-listening pairs: the damped listening joined with itself on the listener, aggregated
  per artist pair (Σ wᵢwⱼ, listeners in common); the random walk (RP3beta) is the same join
  with each step's transition probability;
* tags: log-count × idf vectors, unit length, joined on the tag and summed (cosines);
* factors: Spark MLlib's implicit ALS, then factors.factor_neighbours' projection
  V(VᵀV + l2·I)⁻¹Vᵀ, scored on the co-listened pairs with Spark's array functions;
* each source's `k` strongest neighbours per artist: a window ranking.

One step is not distributed: EASE's inverse. Spark has no distributed matrix inverse; the
Gram matrix of the EASE artists (at most `ease_max_artists`, aggregated by Spark) is inverted
on the driver with the same `ease_from_gram` the in-process fit uses, and its strongest
neighbours cut there. That matrix is artists², bounded by the config, not by the listeners.

Data moves in and out as CSV files in a scratch folder (no pandas/pyarrow needed); on a
cluster that folder would be shared storage. Only the kept neighbours come back.
"""

import tempfile
from pathlib import Path

import numpy as np
from scipy import sparse

from .model import MIN_COLISTENERS, ArtistModel, EngineConfig, unit_scaled
from .similarity import _embedded, by_row_blocks, ease_artists, ease_from_gram
from .weighting import RANK_FLOOR


def spark_session(master: str = "local[2]", app: str = "vinilogy-engine", driver_memory: str = "2g"):
    """A session for one fit. `driver_memory` is the driver JVM's heap: it holds EASE's dense
    inverse and the collected similarity blocks (the whole of HetRec's 17.6k artists needs more
    than 2 GB; benchmarks/recommendation_quality.py --spark gives it 8 GB)."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        # The joins on the listener and the tag multiply small inputs into millions of pairs:
        # coalescing by input size would put them all in one task (one core).
        .config("spark.sql.adaptive.coalescePartitions.enabled", "false")
        .config("spark.driver.memory", driver_memory)
        .getOrCreate()
    )


def fit_spark_blend(spark, plays, artist_ids, *, artist_tags=None, config: EngineConfig, als_factors=None) -> ArtistModel:
    """The blend of `fit_model` computed with `spark`; `als_factors(spark, damped frame) →
    item factors frame (id, features)` fits the factor source (Spark MLlib ALS by default)."""
    from pyspark.sql import functions as F

    plays = sparse.csr_matrix(plays, dtype=np.float64)
    ids = np.asarray(artist_ids)
    n = len(ids)
    with tempfile.TemporaryDirectory(prefix="vinilogy-spark-") as scratch:
        io = _Files(spark, Path(scratch))
        listening = io.frame(plays, ("user", "item", "plays")).filter(F.col("plays") > 0).cache()
        damped = _rank_damped(listening).cache()
        counts = _listener_counts(damped, n, io)
        tags = None
        if artist_tags is not None:
            tags = unit_scaled(
                io.matrix(_top_k(_tag_cosines(io.frame(artist_tags, ("item", "tag", "count")), n), config.tag_neighbours), n)
            )
        empty = sparse.csr_matrix((n, n))
        users = damped.select("user").distinct().count()
        if users < max(config.min_listeners, MIN_COLISTENERS):
            return ArtistModel(ids, counts, empty, empty, empty, tags, config)
        pairs = _pairs(damped).cache()
        penalty = _penalties(spark, counts)
        walk = io.matrix(_top_k(_walk(damped, config, penalty), config.rp3_neighbours), n)
        ease = _ease(pairs, counts, config, io, n)
        factors_frame = (als_factors or _mllib_als)(spark, damped, config)
        factors = io.matrix(
            _top_k(_factor_scores(spark, pairs, factors_frame, penalty, config), config.als_neighbours, signed=True), n
        )
        return ArtistModel(ids, counts, unit_scaled(ease), unit_scaled(walk), unit_scaled(factors), tags, config)


class _Files:
    """Matrices to Spark frames and Spark frames back to matrices, through CSV files."""

    def __init__(self, spark, folder: Path):
        self.spark, self.folder, self.count = spark, folder, 0

    def _path(self, name: str) -> str:
        self.count += 1
        return str(self.folder / f"{self.count}-{name}")

    def frame(self, matrix, columns: tuple[str, str, str]):
        coo = sparse.coo_matrix(matrix)
        path = self._path(columns[2] + ".csv")
        np.savetxt(path, np.column_stack([coo.row, coo.col, coo.data]), fmt=["%d", "%d", "%.17g"], delimiter=",")
        schema = f"{columns[0]} INT, {columns[1]} INT, {columns[2]} DOUBLE"
        # One small file is one partition: spread it, or every join built on it runs on one core.
        partitions = max(int(self.spark.conf.get("spark.sql.shuffle.partitions")), 1)
        return self.spark.read.csv(path, schema=schema).repartition(partitions, columns[0])

    def rows(self, frame, columns: list[str]) -> np.ndarray:
        """The frame's numeric columns as a float64 array (rows × columns)."""
        path = self._path("out")
        frame.select(*columns).write.csv(path)
        parts = [np.loadtxt(p, delimiter=",", ndmin=2) for p in sorted(Path(path).glob("part-*")) if p.stat().st_size]
        return np.vstack(parts) if parts else np.zeros((0, len(columns)))

    def matrix(self, frame, n: int) -> sparse.csr_matrix:
        """A frame of (i, j, score) edges as an n × n matrix."""
        edges = self.rows(frame, ["i", "j", "score"])
        rows, columns = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64)
        return sparse.csr_matrix((edges[:, 2], (rows, columns)), shape=(n, n))


def _rank_damped(listening, floor: float = RANK_FLOOR):
    """(user, item, w): each listener's strongest artist 1, down towards `floor` by rank (ties share)."""
    from pyspark.sql import Window, functions as F

    per_user = Window.partitionBy("user")
    stronger = F.rank().over(per_user.orderBy(F.desc("plays"))) - 1
    return listening.select("user", "item", (1.0 - (1.0 - floor) * stronger / F.count("*").over(per_user)).alias("w"))


def _listener_counts(damped, n: int, io: _Files) -> np.ndarray:
    counted = io.rows(damped.groupBy("item").count(), ["item", "count"])
    counts = np.zeros(n)
    counts[counted[:, 0].astype(np.int64)] = counted[:, 1]
    return counts


def _penalties(spark, counts: np.ndarray):
    """(item, listeners): the popularity each source's penalty divides by (at least 1)."""
    listened = np.flatnonzero(counts)
    rows = [(int(item), float(counts[item])) for item in listened]
    return spark.createDataFrame(rows, "j INT, listeners DOUBLE")


def _pairs(damped):
    """(i, j, gram Σ wᵢwⱼ, common listeners) over every pair of artists a listener shares, i == j too."""
    from pyspark.sql import functions as F

    a, b = damped.alias("a"), damped.alias("b")
    joined = a.join(b, F.col("a.user") == F.col("b.user"))
    return joined.groupBy(F.col("a.item").alias("i"), F.col("b.item").alias("j")).agg(
        F.sum(F.col("a.w") * F.col("b.w")).alias("gram"), F.count("*").alias("common")
    )


def _walk(damped, config: EngineConfig, penalty):
    """RP3beta: Σ_u P(i→u)^α P(u→j)^α / listeners(j)^β over co-listened pairs, i ≠ j."""
    from pyspark.sql import Window, functions as F

    alpha = config.rp3_alpha
    steps = damped.select(
        "user",
        "item",
        F.pow(F.col("w") / F.sum("w").over(Window.partitionBy("item")), alpha).alias("to_user"),
        F.pow(F.col("w") / F.sum("w").over(Window.partitionBy("user")), alpha).alias("to_item"),
    )
    a, b = steps.alias("a"), steps.alias("b")
    walked = (
        a.join(b, F.col("a.user") == F.col("b.user"))
        .where(F.col("a.item") != F.col("b.item"))
        .groupBy(F.col("a.item").alias("i"), F.col("b.item").alias("j"))
        .agg(F.sum(F.col("a.to_user") * F.col("b.to_item")).alias("walk"), F.count("*").alias("common"))
    )
    if config.min_common_listeners > 1:
        walked = walked.where(F.col("common") >= config.min_common_listeners)
    penalised = walked.join(penalty, "j").select(
        "i", "j", (F.col("walk") * F.pow(F.greatest(F.col("listeners"), F.lit(1.0)), -config.rp3_beta)).alias("score")
    )
    return penalised.where(F.col("score") > 0)


def _tag_cosines(tags, n_artists: int, min_artists_per_tag: int = 2):
    """(i, j, score): cosine of log-count × idf tag vectors, for artists sharing a tag."""
    from pyspark.sql import Window, functions as F

    used = tags.where(F.col("count") > 0).withColumn("used_by", F.count("*").over(Window.partitionBy("tag")))
    used = used.where(F.col("used_by") >= min_artists_per_tag)
    weighted = used.select(
        "item", "tag", (F.log1p("count") * F.log(F.lit(float(max(n_artists, 1))) / F.col("used_by"))).alias("x")
    )
    norms = weighted.groupBy("item").agg(F.sqrt(F.sum(F.col("x") * F.col("x"))).alias("norm"))
    unit = weighted.join(norms, "item").select("item", "tag", (F.col("x") / F.col("norm")).alias("x")).where(F.col("x") != 0)
    a, b = unit.alias("a"), unit.alias("b")
    return (
        a.join(b, F.col("a.tag") == F.col("b.tag"))
        .where(F.col("a.item") != F.col("b.item"))
        .groupBy(F.col("a.item").alias("i"), F.col("b.item").alias("j"))
        .agg(F.sum(F.col("a.x") * F.col("b.x")).alias("score"))
        .where(F.col("score") > 0)
    )


def _top_k(edges, k: int, *, signed: bool = False):
    """Each artist's `k` strongest edges (by magnitude with `signed`), ties by neighbour."""
    from pyspark.sql import Window, functions as F

    strength = F.abs(F.col("score")) if signed else F.col("score")
    order = Window.partitionBy("i").orderBy(strength.desc(), F.col("j"))
    return edges.withColumn("place", F.row_number().over(order)).where(F.col("place") <= k).select("i", "j", "score")


def _ease(pairs, counts: np.ndarray, config: EngineConfig, io: _Files, n: int) -> sparse.csr_matrix:
    """EASE over the most listened artists: the Gram matrix aggregated by Spark, its inverse and
    each row's strongest weights on the driver (see the module's docstring)."""
    from pyspark.sql import functions as F

    columns = ease_artists(counts, min_listeners=config.ease_min_listeners, max_artists=config.ease_max_artists)
    if len(columns) < 2:
        return sparse.csr_matrix((n, n))
    # Pairs between EASE artists only, each with its place in the Gram matrix.
    spark = pairs.sparkSession
    places = [(int(item), int(place)) for place, item in enumerate(columns)]
    at_i = F.broadcast(spark.createDataFrame(places, "i INT, pi INT"))
    at_j = F.broadcast(spark.createDataFrame(places, "j INT, pj INT"))
    kept = pairs.join(at_i, "i").join(at_j, "j").select("pi", "pj", "gram", F.col("common").cast("double"))
    entries = io.rows(kept, ["pi", "pj", "gram", "common"])
    i, j = entries[:, 0].astype(np.int64), entries[:, 1].astype(np.int64)
    gram = np.zeros((len(columns), len(columns)))
    gram[i, j] = entries[:, 2]
    common = sparse.csr_matrix((entries[:, 3], (i, j)), shape=gram.shape)
    weights = ease_from_gram(gram, config.ease_l2, config.ease_diagonal_l2)
    weights *= np.maximum(counts[columns], 1.0) ** -config.ease_beta
    min_common = config.min_common_listeners

    def block(rows):
        part = weights[rows].copy()
        if min_common > 0:
            unshared = common[rows].toarray() < min_common
            part[unshared & (part > 0)] = 0
        part[np.arange(part.shape[0]), np.arange(rows.start, rows.stop)] = 0
        return part

    return _embedded(by_row_blocks(len(columns), block, config.ease_neighbours, signed=True), columns, n)


def _mllib_als(spark, damped, config: EngineConfig):
    """(id, features) of Spark MLlib's implicit ALS on the damped weights."""
    from pyspark.ml.recommendation import ALS

    als = ALS(
        rank=config.als_factors,
        maxIter=config.als_iterations,
        regParam=config.als_regularization / 100,
        alpha=config.als_alpha,
        implicitPrefs=True,
        seed=config.als_seed,
        userCol="user",
        itemCol="item",
        ratingCol="w",
        coldStartStrategy="drop",
    )
    return als.fit(damped).itemFactors


def _factor_scores(spark, pairs, factors, penalty, config: EngineConfig):
    """factors.factor_neighbours on the co-listened pairs: leftᵢ·Vⱼ / listeners(j)^β with
    left = V(VᵀV + l2·I)⁻¹; the factors × factors inverse is the only driver step."""
    from pyspark.sql import functions as F

    features = F.col("features")
    rank = len(factors.first()["features"])
    # VᵀV by Spark: per factor pair, the sum over artists (a rank² aggregation).
    products = [F.sum(features[a] * features[b]).alias(f"g{a}_{b}") for a in range(rank) for b in range(a, rank)]
    summed = factors.agg(*products).first()
    gram = np.zeros((rank, rank))
    for a in range(rank):
        for b in range(a, rank):
            gram[a, b] = gram[b, a] = summed[f"g{a}_{b}"]
    projection = np.linalg.inv(gram + config.als_l2 * np.eye(rank))
    # left = V @ projection, as Spark array arithmetic with the projection's columns as literals.
    left_columns = [
        sum((features[a] * float(projection[a, b]) for a in range(rank)), F.lit(0.0)).alias(f"l{b}") for b in range(rank)
    ]
    left = factors.select(F.col("id").alias("i"), F.array(*left_columns).alias("left"))
    right = factors.select(F.col("id").alias("j"), F.col("features").alias("right"))
    pairs = pairs.where(F.col("i") != F.col("j"))
    if config.min_common_listeners > 1:
        pairs = pairs.where(F.col("common") >= config.min_common_listeners)
    dot = F.aggregate(F.zip_with("left", "right", lambda x, y: x * y), F.lit(0.0), lambda acc, x: acc + x)
    scored = pairs.select("i", "j").join(left, "i").join(right, "j").join(penalty, "j")
    return scored.select(
        "i", "j", (dot * F.pow(F.greatest(F.col("listeners"), F.lit(1.0)), -config.als_beta)).alias("score")
    ).where(F.col("score") != 0)
