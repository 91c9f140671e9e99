"""Candidate pairs (arcs) and the pairs ruled out (exclusions), vectorised.

Pairs are formed by joining officials' skills with needs on the field (and on
the province when the sending agency is provincial): pairs of different field
or province are never listed. Every remaining pair is either an arc, with its
integer score and its parts, or an exclusion naming the rule(s) that removed
it (see :mod:`staffopt.rules`). No Python loop runs per pair.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.allowance import arc_costs, serving_pairs, term_months, zone_codes
from staffopt.geo import road_km
from staffopt.rules import RULES, PairArrays, Rule, RuleResult, exclusion_detail, last_day
from staffopt.schema import (
    ASSIGNMENT_COLUMNS,
    COST_COLUMN,
    Category,
    OfficialKind,
    Policy,
    Scenario,
    Zone,
    language_key,
)
from staffopt.sharing import SHARING_COLUMNS

#: The arc columns whose sum is the score, in the order explanations list them.
SCORE_PART_COLUMNS = (
    "base_pts",
    "zone_pts",
    "criticality_pts",
    "level_pts",
    "border_pts",
    "affinity",
    "travel_pts",
    "home_pts",
)
ARC_COLUMNS = [*ASSIGNMENT_COLUMNS, COST_COLUMN]
FloatArray = npt.NDArray[np.float64]
#: A string column taken by positions: pandas strings, or numpy objects.
IdColumn = pd.api.extensions.ExtensionArray | npt.NDArray[np.object_]


#: Extra columns of the arcs frame: positions and the score's parts.
ARC_DETAIL_COLUMNS = [
    "o_idx",
    "n_idx",
    "agency_id",
    "level",
    *SCORE_PART_COLUMNS,
    *SHARING_COLUMNS,
]
EXCLUSION_COLUMNS = ["official_id", "need_id", "rule", "detail", "rules", "value", "limit"]


def _codes(values: pd.Series | npt.ArrayLike, categories: pd.Index) -> npt.NDArray[np.int64]:
    return np.asarray(
        categories.get_indexer(pd.Index(np.asarray(values, dtype=object))), dtype=np.int64
    )


def _pairs(s: Scenario) -> pd.DataFrame:
    """Official x need pairs of matching field (and province) with o_idx, n_idx, level."""
    skills = s.skills_frame()
    off = s.frame("officials")
    needs = s.frame("needs")
    o_index = pd.Index(off["official_id"])
    ag_prov = {a.agency_id: a.province for a in s.agencies}
    sk = pd.DataFrame(
        {
            "o_idx": _codes(skills["official_id"], o_index),
            "field": skills["field"].astype(object),
            "level": skills["level"].to_numpy(np.int64),
        }
    )
    sk["province"] = off["agency_id"].map(ag_prov).to_numpy(object)[sk["o_idx"].to_numpy()]
    commune_prov = {c.commune_id: c.province for c in s.communes}
    nd = pd.DataFrame(
        {
            "n_idx": np.arange(len(needs), dtype=np.int64),
            "field": needs["field"].astype(object),
            "province": needs["commune_id"].map(commune_prov).astype(object),
        }
    )
    provincial = sk["province"].notna()
    parts = []
    if provincial.any():
        parts.append(sk[provincial].merge(nd, on=["field", "province"], how="inner"))
    if (~provincial).any():
        parts.append(
            sk[~provincial]
            .drop(columns="province")
            .merge(nd.drop(columns="province"), on="field", how="inner")
        )
    cols = ["o_idx", "n_idx", "field", "level"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=np.int64) for c in cols}).astype({"field": object})
    pairs = pd.concat([p[cols] for p in parts], ignore_index=True)
    return pairs.sort_values(["n_idx", "o_idx"], kind="stable").reset_index(drop=True)


def _pair_distance(
    s: Scenario, policy: Policy, o_idx: npt.NDArray[np.int64], c_idx: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Road km per pair: given distance, else 0 at home commune, else haversine x factor."""
    off = s.frame("officials")
    com = s.frame("communes")
    c_index = pd.Index(com["commune_id"])
    home_c = _codes(off["home_commune_id"], c_index)  # -1 if none
    c_lat = com["lat"].to_numpy(np.float64)
    c_lon = com["lon"].to_numpy(np.float64)
    h_lat = off["home_lat"].to_numpy(np.float64, na_value=np.nan)
    h_lon = off["home_lon"].to_numpy(np.float64, na_value=np.nan)
    # Home coordinates: explicit ones win; else the home commune's.
    use_c = np.isnan(h_lat) & (home_c >= 0)
    h_lat = np.where(use_c, c_lat[np.maximum(home_c, 0)], h_lat)
    h_lon = np.where(use_c, c_lon[np.maximum(home_c, 0)], h_lon)
    km = road_km(h_lat[o_idx], h_lon[o_idx], c_lat[c_idx], c_lon[c_idx], policy.road_factor)
    km[home_c[o_idx] == c_idx] = 0.0  # on-the-spot: already works in that commune
    if s.distances:
        d = s.frame("distances")
        o_index = pd.Index(off["official_id"])
        n_c = len(com)
        keys = _codes(d["official_id"], o_index) * n_c + _codes(d["commune_id"], c_index)
        table = pd.Series(d["km"].to_numpy(np.float64), index=keys)
        given = table.reindex(o_idx * n_c + c_idx).to_numpy()
        km = np.where(np.isnan(given), km, given)
    return np.asarray(km, dtype=np.float64)


_EPOCH = date(1970, 1, 1).toordinal()


def _days(d: date | None) -> float:
    """A date as days since 1970-01-01; NaN when not given."""
    return math.nan if d is None else float(d.toordinal() - _EPOCH)


def _term_days(s: Scenario, policy: Policy) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per need: the start and last day (days since 1970, NaN without a start) and months."""
    start, last, months = [], [], []
    for n in s.needs:
        first = n.start or policy.round_start
        m = n.months or policy.round_months
        start.append(_days(first))
        last.append(_days(None if first is None else last_day(first, m)))
        months.append(float(m))
    return np.array(start, dtype=np.float64), np.array(last, dtype=np.float64), np.array(months)


def _language_missing(
    s: Scenario, o_idx: npt.NDArray[np.int64], n_idx: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Per pair: the need names a language the official does not list.

    Only pairs of needs with a language are looked at (few), one set test each.
    """
    wanted = [None if n.language is None else language_key(n.language) for n in s.needs]
    missing = np.zeros(len(o_idx), dtype=bool)
    asks = np.flatnonzero(np.array([w is not None for w in wanted], dtype=bool)[n_idx])
    if len(asks) == 0:
        return missing
    spoken = [frozenset(language_key(x) for x in o.languages) for o in s.officials]
    missing[asks] = [
        wanted[n] not in spoken[o]
        for o, n in zip(o_idx[asks].tolist(), n_idx[asks].tolist(), strict=True)
    ]
    return missing


def _pair_lookup(
    s: Scenario,
    table: str,
    value: str,
    o_idx: npt.NDArray[np.int64],
    n_idx: npt.NDArray[np.int64],
    fill: float | str,
) -> npt.NDArray[np.generic]:
    """Values of an (official_id, need_id) keyed table per pair."""
    n_n = len(s.needs)
    df = s.frame(table)
    if df.empty:
        return np.full(len(o_idx), fill)
    keys = _codes(df["official_id"], pd.Index(s.frame("officials")["official_id"])) * n_n + _codes(
        df["need_id"], pd.Index(s.frame("needs")["need_id"])
    )
    series = pd.Series(df[value].to_numpy(), index=keys)
    return series.reindex(o_idx * n_n + n_idx).fillna(fill).to_numpy()


def _score_parts(
    s: Scenario,
    policy: Policy,
    o_idx: npt.NDArray[np.int64],
    n_idx: npt.NDArray[np.int64],
    level: npt.NDArray[np.int64],
    c_idx: npt.NDArray[np.int64],
    distance_km: npt.NDArray[np.float64],
    home_preferred: npt.NDArray[np.bool_],
) -> dict[str, npt.NDArray[np.int64]]:
    """The integer parts of each pair's score (see Policy for the formula)."""
    com = s.frame("communes")
    needs = s.frame("needs")
    zone_pts = np.array([policy.zone_points[Zone(z)] for z in com["zone"]], dtype=np.int64)
    crit_lut = np.zeros(4, dtype=np.int64)
    level_lut = np.zeros(4, dtype=np.int64)
    for k in (1, 2, 3):
        crit_lut[k] = policy.criticality_points[k]
        level_lut[k] = policy.level_points[k]
    n = len(o_idx)
    return {
        "base_pts": np.full(n, policy.base_points, dtype=np.int64),
        "zone_pts": zone_pts[c_idx],
        "criticality_pts": crit_lut[needs["criticality"].to_numpy(np.int64)[n_idx]],
        "level_pts": level_lut[level],
        "border_pts": np.where(com["border"].to_numpy(bool)[c_idx], policy.border_points, 0).astype(
            np.int64
        ),
        "affinity": _pair_lookup(s, "affinity", "score", o_idx, n_idx, 0).astype(np.int64),
        # Python's round and numpy's rint both round half to even.
        "travel_pts": -np.rint(policy.travel_points_per_km * distance_km).astype(np.int64),
        "home_pts": np.where(home_preferred, policy.home_commune_points, 0).astype(np.int64),
    }


def candidates(
    scenario: Scenario, policy: Policy | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pairs that may be chosen (arcs) and the pairs ruled out (exclusions).

    arcs: one row per eligible (official, need) pair with ``official_id,
    need_id, commune_id, field, distance_km, score, load, cost`` (``cost``:
    allowances in VND for the need's term, :mod:`staffopt.allowance`) and, for
    explanations and model building, ``o_idx, n_idx`` (positions in
    ``scenario.officials`` / ``scenario.needs``), ``agency_id``, ``level`` and
    the score parts ``base_pts, zone_pts, criticality_pts, level_pts,
    border_pts, affinity, travel_pts, home_pts`` (they sum to ``score``).

    exclusions: one row per pair of matching field ruled out, with ``rule``
    (the first rule in :data:`staffopt.rules.RULES` that removed it),
    ``detail`` (English text), ``rules`` (all rules that apply, ``;``-joined),
    and the compared ``value`` / ``limit`` of the first rule.
    """
    s = scenario
    policy = policy or s.policy
    pairs = _pairs(s)
    off = s.frame("officials")
    needs = s.frame("needs")
    o_idx = pairs["o_idx"].to_numpy(np.int64)
    n_idx = pairs["n_idx"].to_numpy(np.int64)
    c_index = pd.Index(s.frame("communes")["commune_id"])
    need_c = _codes(needs["commune_id"], c_index)
    c_idx = need_c[n_idx]
    distance_km = _pair_distance(s, policy, o_idx, c_idx)

    local = (off["kind"] == OfficialKind.LOCAL).to_numpy(bool)[o_idx]
    at_home = _codes(off["home_commune_id"], c_index)[o_idx] == c_idx
    start_day, last, months = _term_days(s, policy)
    from_day = np.array([_days(o.available_from) for o in s.officials], dtype=np.float64)
    until_day = np.array([_days(o.available_until) for o in s.officials], dtype=np.float64)
    rated = off["years_rated_well"].to_numpy(np.float64, na_value=np.nan)

    forbidden = np.zeros(len(pairs), dtype=bool)
    if s.locks:
        kind = _pair_lookup(s, "locks", "kind", o_idx, n_idx, "")
        forbidden = kind == "forbid"
    arrays = PairArrays(
        available=off["available"].to_numpy(bool)[o_idx],
        forbidden=forbidden,
        protected=off["protected"].to_numpy(bool)[o_idx],
        volunteer=off["volunteer"].to_numpy(bool)[o_idx],
        civil_servant=(off["category"] == Category.CIVIL_SERVANT).to_numpy(bool)[o_idx],
        level=pairs["level"].to_numpy(np.float64),
        min_level=needs["min_level"].to_numpy(np.float64)[n_idx],
        workload=needs["workload"].to_numpy(np.float64)[n_idx],
        capacity=off["capacity"].to_numpy(np.float64)[o_idx],
        distance_km=distance_km,
        personal_max_km=off["max_km"].to_numpy(np.float64, na_value=np.nan)[o_idx],
        policy=policy,
        start_day=start_day[n_idx],
        last_day=last[n_idx],
        available_from_day=from_day[o_idx],
        available_until_day=until_day[o_idx],
        months=months[n_idx],
        months_before=off["months_seconded_before"].to_numpy(np.float64)[o_idx],
        years_rated_well=rated[o_idx],
        language_missing=_language_missing(s, o_idx, n_idx),
        local=local,
        at_home=at_home,
    )
    results = [(rule, rule.check(arrays)) for rule in RULES]
    excluded = np.zeros(len(pairs), dtype=bool)
    for _, r in results:
        excluded |= r.excluded

    exclusions = _exclusions(results, excluded, off["official_id"], needs["need_id"], o_idx, n_idx)
    # The arcs are built from the kept pairs only, with the rules' arrays
    # released first: on the nation they hold ~0.5 GB the arcs never read.
    keep = np.flatnonzero(~excluded)
    level = pairs["level"].to_numpy(np.int64)[keep]
    del arrays, results, pairs
    o_idx, n_idx, c_idx = o_idx[keep], n_idx[keep], c_idx[keep]
    distance_km = distance_km[keep]
    home_preferred = (policy.home_commune == "prefer") & at_home[keep] & ~local[keep]
    parts = _score_parts(s, policy, o_idx, n_idx, level, c_idx, distance_km, home_preferred)
    # Summed in place: stacking the parts first would copy them all once more.
    score = np.zeros(len(keep), dtype=np.int64)
    for part in parts.values():
        score += part
    arcs = pd.DataFrame(
        {
            "official_id": _take_ids(off["official_id"], o_idx),
            "need_id": _take_ids(needs["need_id"], n_idx),
            "commune_id": _take_ids(needs["commune_id"], n_idx),
            # The pairs were joined on the field, so the need's field is the pair's.
            "field": _take_ids(needs["field"], n_idx),
            "distance_km": distance_km,
            "score": score,
            "load": needs["workload"].to_numpy(np.float64)[n_idx],
            COST_COLUMN: arc_costs(
                policy,
                zone_codes(s.frame("communes")["zone"])[c_idx],
                distance_km,
                term_months(s, policy)[n_idx],
                serving_pairs(s, o_idx, c_idx),
            ),
            "o_idx": o_idx,
            "n_idx": n_idx,
            "agency_id": _take_ids(off["agency_id"], o_idx),
            "level": level,
            **parts,
            **{k: v[o_idx] for k, v in _sharing_limits(s, policy).items()},
        }
    )
    return arcs, exclusions


def _take_ids(column: pd.Series, positions: npt.NDArray[np.int64]) -> IdColumn:
    """``column``'s values at ``positions``, as a column of the same dtype.

    The tables' id and text columns are already pandas strings: taking from
    them copies Arrow buffers, where a numpy object array is converted back to
    Arrow strings value by value (about a second in all on the nation). Other
    dtypes, and empty results (which were ``object`` columns), go through numpy
    objects as before.
    """
    if len(positions) and column.dtype == "str":
        taken: IdColumn = column.array.take(positions)
        return taken
    return column.to_numpy(object)[positions]


def _sharing_limits(s: Scenario, policy: Policy) -> dict[str, npt.NDArray[np.generic]]:
    """Per official: the max_communes (0 = none) and max_km_between (NaN = none) in
    force (their own, else the policy's) and the road factor (see :mod:`staffopt.sharing`)."""
    off = s.frame("officials")
    own_c = off["max_communes"].to_numpy(np.float64, na_value=np.nan)
    own_km = off["max_km_between"].to_numpy(np.float64, na_value=np.nan)
    pol_c = np.nan if policy.max_communes is None else float(policy.max_communes)
    pol_km = np.nan if policy.max_km_between is None else float(policy.max_km_between)
    communes = np.where(np.isnan(own_c), pol_c, own_c)
    return {
        "max_communes": np.nan_to_num(communes, nan=0.0).astype(np.int64),
        "max_km_between": np.where(np.isnan(own_km), pol_km, own_km),
        "road_factor": np.full(len(off), policy.road_factor),
    }


def _exclusions(
    results: list[tuple[Rule, RuleResult]],
    excluded: npt.NDArray[np.bool_],
    official_ids: pd.Series,
    need_ids: pd.Series,
    o_idx: npt.NDArray[np.int64],
    n_idx: npt.NDArray[np.int64],
) -> pd.DataFrame:
    idx = np.flatnonzero(excluded)
    # Rules are tracked as positions in RULES (the first) and a bit set (all):
    # integer work per pair, and text only once per distinct combination.
    first = np.full(len(idx), -1, dtype=np.int64)
    hits = np.zeros(len(idx), dtype=np.int64)
    value = np.full(len(idx), np.nan)
    limit = np.full(len(idx), np.nan)
    for i, (_, res) in enumerate(results):
        hit = res.excluded[idx]
        new = hit & (first < 0)
        first[new] = i
        value[new] = res.value[idx][new]
        limit[new] = res.limit[idx][new]
        hits |= hit.astype(np.int64) << i
    codes = [rule.code for rule, _ in results]
    sets, set_of_row = np.unique(hits, return_inverse=True)
    rule_sets = [";".join(c for b, c in enumerate(codes) if int(s) >> b & 1) for s in sets.tolist()]
    return pd.DataFrame(
        {
            "official_id": _take_ids(official_ids, o_idx[idx]),
            "need_id": _take_ids(need_ids, n_idx[idx]),
            "rule": _texts(codes, first),
            "detail": _details(codes, results, first, value, limit),
            "rules": _texts(rule_sets, set_of_row.reshape(-1)),
            "value": value,
            "limit": limit,
        }
    )


def _texts(distinct: list[str], which: npt.NDArray[np.int64]) -> IdColumn:
    """``distinct[which]`` as a string column, converting each distinct text once."""
    return _take_ids(pd.Series(distinct, dtype="str"), which)


def _details(
    codes: list[str],
    results: list[tuple[Rule, RuleResult]],
    first: npt.NDArray[np.int64],
    value: npt.NDArray[np.float64],
    limit: npt.NDArray[np.float64],
) -> IdColumn:
    """:func:`staffopt.rules.exclusion_detail` for every row, once per distinct sentence.

    Hundreds of thousands of exclusions share a few thousand sentences (km are
    shown rounded), so formatting the distinct (rule, value, limit) keys and
    mapping back is ~10x faster than a call per row, with identical text.
    """
    whole_rules = [i for i, (rule, _) in enumerate(results) if rule.whole_numbers]
    whole = np.isin(first, whole_rules)
    v = np.where(whole, np.rint(value), value)
    lim = np.where(whole, np.rint(limit), limit)
    keys = pd.DataFrame({"rule": first, "value": v, "limit": lim})
    group = keys.groupby(["rule", "value", "limit"], sort=False, dropna=False).ngroup().to_numpy()
    firsts = np.unique(group, return_index=True)[1]
    texts = [
        exclusion_detail(codes[int(first[i])], float(v[i]), float(lim[i])) for i in firsts.tolist()
    ]
    return _texts(texts, group.astype(np.int64))
