"""The officials table: who they are, where they live, their skills and their department."""

from __future__ import annotations

from typing import Any

import numpy as np

from staffopt.scenarios.synthetic.reference import (
    DEPARTMENTS,
    DEPT_CODES,
    FIELDS,
    OFFICIAL_FIELD_SHARE,
    RELATED,
    ProvinceInfo,
)
from staffopt.scenarios.synthetic.sampling import (
    FloatArray,
    IntArray,
    draw_fields,
    draw_within,
    group_rank,
)
from staffopt.scenarios.synthetic.scales import SyntheticSpec
from staffopt.schema import Official

__all__ = ["draw_officials"]

# Names are drawn from common Vietnamese surnames, middle and given names.
_SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Phan", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Lò", "Quàng", "Vàng", "Giàng", "Hà", "Lường",
)  # fmt: skip
_SURNAME_P = (
    0.30, 0.10, 0.08, 0.06, 0.05, 0.04, 0.04, 0.03, 0.03, 0.03,
    0.03, 0.02, 0.02, 0.03, 0.03, 0.02, 0.03, 0.02, 0.02, 0.02,
)  # fmt: skip
_MIDDLE = {
    "male": ("Văn", "Minh", "Đức", "Hữu", "Thanh", "A"),
    "female": ("Thị", "Thu", "Ngọc", "Thanh", "Mai", "Thị"),
}
_GIVEN = {
    "male": ("Dũng", "Hùng", "Tuấn", "Nam", "Páo", "Sơn", "Thắng", "Long", "Quân", "Phong"),
    "female": ("Lan", "Hương", "Thảo", "Mai", "Hoa", "Linh", "Dung", "Hà", "Trang", "Yến"),
}


def draw_officials(
    rng: np.random.Generator,
    infos: list[ProvinceInfo],
    com: dict[str, Any],
    officials_p: IntArray,
    spec: SyntheticSpec,
) -> tuple[dict[str, IntArray], list[Official]]:
    """Officials clustered in the capital and towns; department from the main field."""
    n = int(officials_p.sum())
    prov = np.repeat(np.arange(len(infos)), officials_p)
    # Home commune: capital, other zone I, zone II, zone III weights spread over their communes.
    zone, k, c_prov = com["zone"], com["k"], com["prov"]
    cls = np.where(k == 0, 0, zone + 1)  # 0 capital, 1 zone I, 2 zone II, 3 zone III
    counts = np.zeros((len(infos), 4))
    np.add.at(counts, (c_prov, cls), 1.0)
    share = np.asarray(spec.home_share, dtype=np.float64)
    w = share[cls] / counts[c_prov, cls]
    home = draw_within(rng, c_prov, w, prov)

    n_f = len(FIELDS)
    main = draw_fields(rng, infos, OFFICIAL_FIELD_SHARE, prov)
    # Department: by the main field's owners.
    owner = np.zeros((n_f, len(DEPT_CODES)))
    for d, code in enumerate(DEPT_CODES):
        for f, wt in DEPARTMENTS[code][1].items():
            owner[FIELDS.index(f), d] = wt
    owner /= owner.sum(axis=1, keepdims=True)
    cum = np.cumsum(owner, axis=1)
    dept = (rng.random(n)[:, None] > cum[main]).sum(axis=1)
    dept = np.minimum(dept, len(DEPT_CODES) - 1)
    level1 = rng.choice([1, 2, 3], size=n, p=[0.2, 0.45, 0.35])
    # Second and third skills: related fields mostly, any other field sometimes.
    related = np.full((n_f, 4), -1)
    for f, rel in RELATED.items():
        related[FIELDS.index(f), : len(rel)] = [FIELDS.index(x) for x in rel]
    n_rel = (related >= 0).sum(axis=1)

    def other_field(exclude: list[IntArray]) -> IntArray:
        pick_rel = related[main, (rng.random(n) * n_rel[main]).astype(np.int64)]
        rand = (main + rng.integers(1, n_f, n)) % n_f
        f = np.where(rng.random(n) < 0.8, pick_rel, rand)
        clash = np.zeros(n, dtype=bool)
        for e in exclude:
            clash |= f == e
        # A clash falls back to the next field not yet held (at most 3 held).
        for _ in range(3):
            f = np.where(clash, (f + 1) % n_f, f)
            clash = np.zeros(n, dtype=bool)
            for e in exclude:
                clash |= f == e
        return f

    f2 = other_field([main])
    has2 = rng.random(n) < spec.second_skill
    f3 = other_field([main, f2])
    has3 = has2 & (rng.random(n) < spec.third_skill / max(spec.second_skill, 1e-9))
    level2 = rng.choice([1, 2, 3], size=n, p=[0.5, 0.38, 0.12])
    level3 = rng.choice([1, 2, 3], size=n, p=[0.6, 0.32, 0.08])

    female = rng.random(n) < 0.45
    civil = rng.random(n) < 0.45
    protected = female & (rng.random(n) < spec.protected_share / 0.45)
    volunteer = protected & (rng.random(n) < 0.25)
    has_limit = rng.random(n) < spec.personal_limit_share
    max_km = np.round(rng.uniform(40, 150, n), 0)
    available = rng.random(n) >= spec.unavailable_share
    surname = rng.choice(len(_SURNAMES), size=n, p=_normalise(_SURNAME_P))
    middle = rng.integers(0, 6, n)
    given = rng.integers(0, 10, n)

    slugs = [p.slug for p in infos]
    # Number officials within each (province, department).
    key = prov * len(DEPT_CODES) + dept
    seq = group_rank(key, np.arange(n, dtype=np.float64)) + 1
    c_ids = com["ids"]
    col = {
        name: arr.tolist()
        for name, arr in {
            "prov": prov, "dept": dept, "seq": seq, "home": home, "f1": main, "l1": level1,
            "f2": f2, "h2": has2, "l2": level2, "f3": f3, "h3": has3, "l3": level3,
            "female": female, "civil": civil, "protected": protected, "volunteer": volunteer,
            "has_limit": has_limit, "max_km": max_km, "available": available,
            "surname": surname, "middle": middle, "given": given,
        }.items()
    }  # fmt: skip
    records: list[Official] = []
    for i in range(n):
        skills = {FIELDS[col["f1"][i]]: col["l1"][i]}
        if col["h2"][i]:
            skills[FIELDS[col["f2"][i]]] = col["l2"][i]
            if col["h3"][i]:
                skills[FIELDS[col["f3"][i]]] = col["l3"][i]
        gender = "female" if col["female"][i] else "male"
        slug, code = slugs[col["prov"][i]], DEPT_CODES[col["dept"][i]]
        records.append(
            Official(
                official_id=f"{slug}-{code}-{col['seq'][i]:04d}",
                name=(
                    f"{_SURNAMES[col['surname'][i]]} {_MIDDLE[gender][col['middle'][i]]} "
                    f"{_GIVEN[gender][col['given'][i]]}"
                ),
                agency_id=f"{slug}-{code}",
                skills=skills,
                home_commune_id=c_ids[col["home"][i]],
                gender=gender,
                category="civil_servant" if col["civil"][i] else "public_employee",
                protected=col["protected"][i],
                volunteer=col["volunteer"][i],
                max_km=col["max_km"][i] if col["has_limit"][i] else None,
                available=col["available"][i],
            )
        )
    listed = np.zeros((len(infos), len(DEPT_CODES)), dtype=np.int64)
    np.add.at(listed, (prov, dept), 1)
    return {"listed": listed}, records


def _normalise(p: tuple[float, ...]) -> FloatArray:
    a = np.asarray(p, dtype=np.float64)
    return np.asarray(a / a.sum(), dtype=np.float64)
