"""The arcs and exclusions frames as code and users read them: dtypes and values.

``candidates()`` takes id and text columns from the tables' string columns and
builds the ``rule``/``rules``/``detail`` texts once per distinct value; these
tests hold those columns to their meaning row by row, and keep every column's
dtype what decode, explain, the reports and the plan's CSVs have always read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import need, official, scenario

from staffopt.eligibility import candidates
from staffopt.rules import RULES, exclusion_detail
from staffopt.scenarios.synthetic import synthetic

STRING_ARC_COLUMNS = ["official_id", "need_id", "commune_id", "field", "agency_id"]
FLOAT_ARC_COLUMNS = ["distance_km", "load", "max_km_between", "road_factor"]
STRING_EXCLUSION_COLUMNS = ["official_id", "need_id", "rule", "detail", "rules"]


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    s = synthetic("province", seed=1, part_time_share=0.3)
    arcs, exclusions = candidates(s, s.policy)
    return arcs, exclusions, s.frame("officials"), s.frame("needs")


def test_arc_and_exclusion_dtypes(
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    arcs, exclusions, _, _ = frames
    for c in STRING_ARC_COLUMNS:
        assert arcs[c].dtype == "str", c
    for c in FLOAT_ARC_COLUMNS:
        assert arcs[c].dtype == np.float64, c
    for c in set(arcs.columns) - set(STRING_ARC_COLUMNS) - set(FLOAT_ARC_COLUMNS):
        assert arcs[c].dtype == np.int64, c
    for c in STRING_EXCLUSION_COLUMNS:
        assert exclusions[c].dtype == "str", c
    assert exclusions["value"].dtype == exclusions["limit"].dtype == np.float64


def test_arc_ids_are_the_tables_ids_at_the_positions(
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    arcs, _, off, needs = frames
    o_idx = arcs["o_idx"].to_numpy()
    n_idx = arcs["n_idx"].to_numpy()
    assert arcs["official_id"].tolist() == off["official_id"].to_numpy(object)[o_idx].tolist()
    assert arcs["agency_id"].tolist() == off["agency_id"].to_numpy(object)[o_idx].tolist()
    assert arcs["need_id"].tolist() == needs["need_id"].to_numpy(object)[n_idx].tolist()
    assert arcs["commune_id"].tolist() == needs["commune_id"].to_numpy(object)[n_idx].tolist()
    assert arcs["field"].tolist() == needs["field"].to_numpy(object)[n_idx].tolist()


def test_exclusion_rules_in_catalogue_order_and_details_per_row(
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    _, exclusions, _, _ = frames
    order = [r.code for r in RULES]
    whole = {r.code for r in RULES if r.whole_numbers}
    assert exclusions["rules"].str.contains(";").any()  # several rules on some pairs
    for row in exclusions.itertuples(index=False):
        codes = str(row.rules).split(";")
        assert codes == sorted(codes, key=order.index)
        assert row.rule == codes[0]
        rule = str(row.rule)
        v, lim = float(row.value), float(row.limit)
        if rule in whole:
            v, lim = float(np.rint(v)), float(np.rint(lim))
        assert row.detail == exclusion_detail(rule, v, lim)


def test_a_pair_broken_by_two_rules_names_both_first_first() -> None:
    s = scenario([official("o1", available=False, protected=True)], [need("n1")])
    arcs, exclusions = candidates(s)
    assert arcs.empty
    assert exclusions[["official_id", "need_id", "rule", "rules"]].to_dict("records") == [
        {
            "official_id": "o1",
            "need_id": "n1",
            "rule": "unavailable",
            "rules": "unavailable;protected",
        }
    ]
    assert exclusions["detail"].tolist() == [exclusion_detail("unavailable", np.nan, np.nan)]
