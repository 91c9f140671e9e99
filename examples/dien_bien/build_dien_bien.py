"""Build the bundled Điện Biên example scenario (deterministic, fixed seed).

Writes communes.csv, agencies.csv, officials.csv, needs.csv, distances.csv,
locks.csv, affinity.csv, wishes.csv, policy.json and NOTES.md into

* ``src/staffopt/scenarios/data/dien_bien/`` (shipped with the package) and
* ``examples/dien_bien/data/`` (an identical copy to read and edit).

Run from anywhere::

    python examples/dien_bien/build_dien_bien.py

The instance mirrors the real October 2025 secondment round in Điện Biên
province (45 units, 52 departmental officials + 45 commune health-station
heads, zones as classified for 2026-2030). Unit names are real; coordinates,
staff figures, people, skills, needs and most distances are synthetic: see
the NOTES.md this script writes. Only the standard library is used, so the
script does not depend on ``staffopt.io``.
"""

from __future__ import annotations

import csv
import io
import json
import random
import textwrap
import unicodedata
from pathlib import Path
from typing import Any

SEED = 20251017  # the date of the Điện Biên decision
PROVINCE = "Điện Biên"

ROOT = Path(__file__).resolve().parents[2]
OUT_DIRS = (
    ROOT / "src" / "staffopt" / "scenarios" / "data" / "dien_bien",
    ROOT / "examples" / "dien_bien" / "data",
)

# -- columns: exactly the schema's field names, in schema order -----------------
COLUMNS: dict[str, list[str]] = {
    "communes": [
        "commune_id",
        "name",
        "province",
        "lat",
        "lon",
        "zone",
        "border",
        "staff_count",
        "staff_quota",
    ],
    "agencies": [
        "agency_id",
        "name",
        "headcount",
        "min_release",
        "max_release",
        "province",
        "name_en",
    ],
    "officials": [
        "official_id",
        "name",
        "agency_id",
        "skills",
        "home_commune_id",
        "home_lat",
        "home_lon",
        "gender",
        "category",
        "protected",
        "volunteer",
        "max_km",
        "capacity",
        "available",
        "kind",
        "years_rated_well",
        "languages",
        "available_from",
        "available_until",
        "months_seconded_before",
        "max_communes",
        "max_km_between",
        "current_communes",
        "years_of_service",
    ],
    "needs": [
        "need_id",
        "commune_id",
        "field",
        "slots",
        "min_level",
        "criticality",
        "workload",
        "mandatory",
        "start",
        "months",
        "language",
    ],
    "distances": ["official_id", "commune_id", "km"],
    "locks": ["official_id", "need_id", "kind"],
    "affinity": ["official_id", "need_id", "score"],
    "wishes": ["official_id", "commune_id", "rank"],
}

# -- communes -----------------------------------------------------------------
# (name, kind, lat, lon, border). Names: the first 30 are the real post-merger
# names listed in DOMAIN.md; the last 15 are real post-merger names as far as we
# know (not checked against the resolution). Coordinates are synthetic but put
# each unit near where it lies (old district centres), so haversine x 1.5 gives
# sensible road distances.
UNITS: list[tuple[str, str, float, float, bool]] = [
    # zone I and II, and the 30 names from public reports
    ("Điện Biên Phủ", "ward", 21.3860, 103.0170, False),
    ("Mường Thanh", "ward", 21.3720, 103.0300, False),
    ("Mường Lay", "ward", 22.0500, 103.1500, False),
    ("Thanh Nưa", "commune", 21.4400, 102.9900, False),
    ("Thanh An", "commune", 21.3000, 103.0200, False),
    ("Tuần Giáo", "commune", 21.5800, 103.4200, False),
    ("Mường Phăng", "commune", 21.4550, 103.1400, False),
    ("Mường Nhé", "commune", 22.1800, 102.4500, True),
    ("Sín Thầu", "commune", 22.3900, 102.2700, True),
    ("Mường Toong", "commune", 22.1000, 102.5600, True),
    ("Nậm Kè", "commune", 22.2200, 102.3500, True),
    ("Quảng Lâm", "commune", 22.2500, 102.5300, True),
    ("Nà Hỳ", "commune", 22.0500, 102.5200, True),
    ("Sam Mứn", "commune", 21.2300, 102.9900, False),
    ("Núa Ngam", "commune", 21.1800, 103.0600, True),
    ("Tủa Thàng", "commune", 21.8800, 103.2200, False),
    ("Mường Tùng", "commune", 21.9600, 103.1200, False),
    ("Chà Tở", "commune", 21.9900, 102.8000, False),
    ("Xa Dung", "commune", 21.2900, 103.2200, False),
    ("Pa Ham", "commune", 22.0200, 103.0100, False),
    ("Chiềng Sinh", "commune", 21.5300, 103.4900, False),
    ("Phình Giàng", "commune", 21.2300, 103.3500, False),
    ("Búng Lao", "commune", 21.5700, 103.2800, False),
    ("Mường Lạn", "commune", 21.4400, 103.3700, False),
    ("Pu Nhi", "commune", 21.3300, 103.4000, False),
    ("Nậm Nèn", "commune", 21.9500, 102.9200, False),
    ("Mường Chà", "commune", 21.8400, 103.0400, False),
    ("Tủa Chùa", "commune", 21.8700, 103.3500, False),
    ("Nậm Pồ", "commune", 22.0600, 102.6600, False),
    ("A Pa Chải", "commune", 22.3200, 102.3300, True),
    # 15 further units of the province
    ("Mường Ảng", "commune", 21.5200, 103.2200, False),
    ("Na Sang", "commune", 21.7600, 103.0700, False),
    ("Na Son", "commune", 21.3800, 103.2900, False),
    ("Mường Pồn", "commune", 21.6400, 103.0000, False),
    ("Quài Tở", "commune", 21.6200, 103.3300, False),
    ("Sáng Nhè", "commune", 21.7700, 103.2700, False),
    ("Mường Mùn", "commune", 21.7000, 103.3300, False),
    ("Keo Lôm", "commune", 21.4700, 103.2700, False),
    ("Thanh Yên", "commune", 21.3400, 102.9800, False),
    ("Mường Nhà", "commune", 21.0600, 103.0200, True),
    ("Nà Tấu", "commune", 21.5200, 103.0800, False),
    ("Sính Phình", "commune", 21.8200, 103.4500, False),
    ("Mường Luân", "commune", 21.1500, 103.3300, True),
    ("Pú Nhung", "commune", 21.6700, 103.5000, False),
    ("Nà Bủng", "commune", 22.1000, 102.4000, True),
]
ZONE_I = {"Điện Biên Phủ", "Mường Thanh"}
ZONE_II = {"Thanh Nưa", "Thanh An", "Tuần Giáo", "Mường Phăng", "Mường Lay"}
# Reported staff figures (the rest are synthetic): name -> (staff_count, staff_quota)
REPORTED_STAFF = {"Mường Tùng": (34, 44), "Xa Dung": (49, 59), "Nậm Nèn": (44, None)}

# Road km from Điện Biên Phủ / Mường Thanh wards. "reported" = public figures
# (DOMAIN.md); "estimate" = synthetic, for the far west where the straight line
# understates the mountain road most.
ROAD_KM: dict[str, tuple[float, str]] = {
    "Tủa Chùa": (125.0, "reported"),
    "Nậm Pồ": (140.0, "reported"),
    "Mường Nhé": (200.0, "reported"),
    "Sín Thầu": (280.0, "reported"),
    "A Pa Chải": (260.0, "reported"),
    "Chà Tở": (115.0, "estimate"),
    "Nà Hỳ": (165.0, "estimate"),
    "Nà Bủng": (185.0, "estimate"),
    "Mường Toong": (180.0, "estimate"),
    "Quảng Lâm": (215.0, "estimate"),
    "Nậm Kè": (230.0, "estimate"),
}

# -- agencies -------------------------------------------------------------------
# (agency_id, name, headcount, min_release, max_release or None, name_en). Names
# in Vietnamese as the province's own files write them, the English name for
# English output. Floors of 5 % of headcount (Nghệ An's rule) for four
# departments; ceilings for all but Culture and Health. Headcounts are synthetic.
AGENCIES: list[tuple[str, str, int, int, int | None, str]] = [
    ("DOST", "Sở Khoa học và Công nghệ", 80, 4, 6, "Department of Science and Technology"),
    (
        "DAE",
        "Sở Nông nghiệp và Môi trường",
        160,
        8,
        10,
        "Department of Agriculture and Environment",
    ),
    ("DOC", "Sở Xây dựng", 120, 6, 7, "Department of Construction"),
    ("DOJ", "Sở Tư pháp", 60, 3, 4, "Department of Justice"),
    ("DOF", "Sở Tài chính", 110, 0, 5, "Department of Finance"),
    ("DOHA", "Sở Nội vụ", 95, 0, 3, "Department of Home Affairs"),
    (
        "DCST",
        "Sở Văn hóa, Thể thao và Du lịch",
        90,
        0,
        None,
        "Department of Culture, Sports and Tourism",
    ),
    ("DOIT", "Sở Công Thương", 75, 0, 2, "Department of Industry and Trade"),
    ("DOET", "Sở Giáo dục và Đào tạo", 8400, 0, 10, "Department of Education and Training"),
    ("DERA", "Sở Dân tộc và Tôn giáo", 45, 0, 2, "Department of Ethnic and Religious Affairs"),
    ("DOH", "Sở Y tế", 2350, 0, None, "Department of Health"),
]

# -- departmental officials (52) ------------------------------------------------------
# (agency, skills, category, home unit, options). Options: gender, protected,
# volunteer, max_km, available.
CS, PE = "civil_servant", "public_employee"
DBP, MT = "Điện Biên Phủ", "Mường Thanh"
DEPARTMENTAL: list[tuple[str, str, str, str, dict[str, Any]]] = [
    # Science and Technology (7): IT / digital transformation
    ("DOST", "it:3", CS, DBP, {}),  # the IT specialist who goes to Nậm Nèn
    ("DOST", "it:3;transport:1", PE, MT, {}),
    ("DOST", "it:2", PE, DBP, {}),
    ("DOST", "it:2;finance:1", CS, MT, {}),
    ("DOST", "it:2", PE, DBP, {"gender": "female"}),
    ("DOST", "it:1;culture:1", PE, DBP, {}),
    ("DOST", "it:2;trade:1", CS, MT, {}),
    # Agriculture and Environment (11): land, agriculture, irrigation, environment
    ("DAE", "land:3", CS, DBP, {"languages": "Hmông"}),  # affinity for Sín Thầu
    ("DAE", "land:2;environment:1", CS, MT, {}),
    ("DAE", "agriculture:3", PE, DBP, {}),
    ("DAE", "agriculture:2;irrigation:2", PE, DBP, {}),
    ("DAE", "irrigation:3", PE, MT, {}),
    ("DAE", "environment:2;land:1", CS, DBP, {}),
    ("DAE", "environment:3", PE, DBP, {"available": False}),  # long sick leave
    ("DAE", "agriculture:2", PE, MT, {"gender": "female", "protected": True}),
    ("DAE", "land:2;agriculture:1", CS, DBP, {}),
    ("DAE", "irrigation:2;agriculture:1", PE, "Tuần Giáo", {}),
    ("DAE", "environment:2", PE, DBP, {"gender": "female"}),
    # Construction (8): construction, transport
    ("DOC", "construction:3;transport:2", CS, DBP, {}),
    ("DOC", "construction:2;land:2", CS, MT, {}),  # locked to Sam Mứn
    ("DOC", "transport:3", PE, DBP, {}),
    # 30 months before: this round makes 36 (allowed), a next round would pass the limit
    ("DOC", "construction:2", PE, DBP, {"months_seconded_before": 30}),
    ("DOC", "transport:2;construction:1", CS, MT, {}),
    ("DOC", "construction:3", PE, "Mường Lay", {}),
    ("DOC", "construction:1;land:1", PE, DBP, {}),
    ("DOC", "transport:2;irrigation:1", PE, DBP, {"max_km": 60.0}),
    # Justice (5)
    ("DOJ", "justice:3", CS, DBP, {}),
    ("DOJ", "justice:2", CS, MT, {"max_km": 60.0}),
    ("DOJ", "justice:2;land:1", CS, DBP, {}),
    ("DOJ", "justice:1", PE, DBP, {}),
    ("DOJ", "justice:2", CS, MT, {"gender": "female", "protected": True}),
    # Finance (6): finance and planning, trade
    ("DOF", "finance:3", CS, DBP, {}),
    ("DOF", "finance:2;trade:1", CS, MT, {}),
    ("DOF", "finance:2", PE, DBP, {"gender": "female", "protected": True, "volunteer": True}),
    ("DOF", "finance:1;it:1", PE, DBP, {}),
    ("DOF", "finance:2;land:1", CS, "Thanh An", {}),
    ("DOF", "trade:2;finance:1", CS, MT, {}),
    # Home Affairs (4)
    ("DOHA", "culture:2;justice:1", CS, DBP, {}),
    ("DOHA", "finance:1;it:2", CS, MT, {}),
    # rated well only the last 2 years: not eligible under min_years_rated_well = 3
    ("DOHA", "culture:2", CS, DBP, {"gender": "female", "years_rated_well": 2}),
    ("DOHA", "justice:1;culture:1", CS, "Tuần Giáo", {}),
    # Culture, Sports and Tourism (4)
    ("DCST", "culture:3", PE, DBP, {}),
    ("DCST", "culture:2", PE, MT, {"gender": "female"}),
    # seconded 32 months before: 6 more would pass the 3-year limit (rule term)
    ("DCST", "culture:2;it:1", PE, DBP, {"months_seconded_before": 32}),
    ("DCST", "culture:1", PE, DBP, {}),
    # Industry and Trade (3)
    ("DOIT", "trade:3", CS, DBP, {}),
    # leaves for a training course on 1 March 2026: cannot serve the whole term
    ("DOIT", "trade:2;finance:1", CS, MT, {"available_until": "2026-02-28"}),
    ("DOIT", "trade:2;environment:1", PE, "Mường Ảng", {}),
    # Education and Training, department staff (2)
    ("DOET", "it:2;culture:1", PE, DBP, {}),
    ("DOET", "culture:2", PE, MT, {"gender": "female"}),
    # Ethnic and Religious Affairs (2)
    ("DERA", "culture:2;justice:1", CS, DBP, {"languages": "Hmông;Thái"}),
    ("DERA", "culture:1;agriculture:1", CS, MT, {}),
]

# Teachers seconded on the spot (biệt phái tại chỗ): (home unit, skills, field of
# the part-time need in that unit).
TEACHERS: list[tuple[str, str, str]] = [
    ("Pa Ham", "culture:2", "culture"),
    ("Chà Tở", "it:1", "it"),
    ("Mường Luân", "culture:2", "culture"),
    ("Sính Phình", "culture:2;it:1", "culture"),
    ("Quảng Lâm", "it:1;culture:1", "it"),
]

# Ethnic groups' languages, for the health-station heads drawn from them.
LANGUAGE_OF: dict[str | None, str] = {"thai": "Thái", "hmong": "Hmông"}
# Two neighbouring units (about 20 road km apart) that share one part-time IT
# specialist for their one-stop digital services.
SHARED_IT: list[str] = ["Tủa Thàng", "Mường Tùng"]

# -- needs ---------------------------------------------------------------------
# A need that asks for a language: Sín Thầu's culture post works with Hmông villages.
NEED_LANGUAGE: dict[str, dict[str, str]] = {"Sín Thầu": {"culture": "Hmông"}}
# Hand-made needs for the units in the reports and a few others:
# (unit, field, slots, min_level, criticality, mandatory)
FIXED_NEEDS: list[tuple[str, str, int, int, int, bool]] = [
    ("Điện Biên Phủ", "it", 1, 3, 1, False),
    ("Mường Thanh", "finance", 1, 2, 1, False),
    ("Mường Lay", "transport", 1, 2, 2, False),
    ("Mường Lay", "land", 1, 1, 1, False),
    # Nậm Nèn: an IT specialist arrives, construction, justice, agriculture and
    # environment stay short.
    ("Nậm Nèn", "it", 1, 2, 3, False),
    ("Nậm Nèn", "construction", 1, 2, 1, False),
    ("Nậm Nèn", "justice", 1, 2, 1, False),
    ("Nậm Nèn", "agriculture", 1, 2, 1, False),
    ("Nậm Nèn", "environment", 1, 2, 1, False),
    # Sam Mứn: a Construction civil servant for land and construction files.
    ("Sam Mứn", "construction", 1, 2, 3, True),
    ("Sam Mứn", "land", 1, 2, 2, False),
    # Mường Tùng: construction 1 of 3 in post.
    ("Mường Tùng", "construction", 2, 1, 3, False),
    ("Mường Tùng", "land", 1, 1, 2, False),
    ("Xa Dung", "land", 1, 2, 3, False),
    ("Xa Dung", "finance", 1, 1, 2, False),
    ("Mường Nhé", "it", 1, 2, 3, True),
    ("Mường Nhé", "justice", 1, 2, 2, False),
    ("Mường Nhé", "finance", 1, 1, 2, False),
    # only one environment:3 official, and on sick leave: no eligible candidate
    ("Mường Nhé", "environment", 1, 3, 2, False),
    ("Sín Thầu", "land", 1, 2, 3, True),
    ("Sín Thầu", "it", 1, 1, 3, False),
    ("Sín Thầu", "culture", 1, 1, 2, False),
    ("A Pa Chải", "justice", 1, 2, 3, True),
    ("A Pa Chải", "agriculture", 1, 1, 2, False),
]
# Other units draw 1-3 needs from the short fields (weights: how often short).
FIELD_WEIGHTS: dict[str, int] = {
    "it": 6,
    "land": 5,
    "construction": 4,
    "transport": 2,
    "irrigation": 2,
    "justice": 3,
    "agriculture": 3,
    "environment": 2,
    "finance": 3,
    "trade": 1,
    "culture": 2,
}

# -- names (synthetic) ----------------------------------------------------------------
SURNAMES = {
    "kinh": ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đỗ", "Bùi", "Vũ", "Đặng", "Ngô"],
    "thai": ["Lò", "Lường", "Quàng", "Cà", "Tòng", "Lù", "Điêu"],
    "hmong": ["Giàng", "Sùng", "Vàng", "Thào", "Lầu", "Mùa", "Hờ", "Lý"],
}
MIDDLE = {
    ("kinh", "male"): ["Văn", "Đức", "Minh", "Quang", "Hữu", "Tiến"],
    ("kinh", "female"): ["Thị", "Thu", "Thanh", "Ngọc", "Hồng"],
    ("thai", "male"): ["Văn"],
    ("thai", "female"): ["Thị"],
    ("hmong", "male"): ["A", "Văn"],
    ("hmong", "female"): ["Thị"],
}
GIVEN = {
    ("kinh", "male"): ["Hùng", "Dũng", "Tuấn", "Thắng", "Hải", "Sơn", "Cường", "Long", "Khánh"],
    ("kinh", "female"): ["Hoa", "Lan", "Hương", "Thảo", "Mai", "Nga", "Hạnh", "Huyền", "Yến"],
    ("thai", "male"): ["Thắng", "Chiến", "Bình", "Quyết", "Toàn", "Ngọc", "Phong", "Xuân"],
    ("thai", "female"): ["Hoa", "Liên", "Nhung", "Xuân", "Dung", "Ngân", "Tâm", "Pánh"],
    ("hmong", "male"): ["Páo", "Dình", "Chứ", "Sình", "Lử", "Tủa", "Chá", "Vảng"],
    ("hmong", "female"): ["Mai", "Dợ", "Chu", "Sua", "Pà", "Máy", "Dua", "Vư"],
}


def slug(name: str) -> str:
    """ASCII id from a Vietnamese name: 'Điện Biên Phủ' -> 'dien-bien-phu'."""
    text = name.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(text.lower().split())


class NameMaker:
    """Unique synthetic Vietnamese full names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self, gender: str, people: str | None = None) -> str:
        rng = self.rng
        for _ in range(1000):
            group = people or rng.choices(["kinh", "thai", "hmong"], weights=[5, 4, 2])[0]
            name = " ".join(
                (
                    rng.choice(SURNAMES[group]),
                    rng.choice(MIDDLE[group, gender]),
                    rng.choice(GIVEN[group, gender]),
                )
            )
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of names")


def fmt(value: Any) -> str:
    """A CSV cell: '' for None, true/false for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def build() -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(SEED)
    record_rng = random.Random(SEED + 1)  # years rated well (added in issue 13)
    names = NameMaker(rng)
    ids = {name: slug(name) for name, *_ in UNITS}
    assert len(set(ids.values())) == len(UNITS) == 45, "unit ids must be unique"

    # communes
    communes = []
    for name, kind, lat, lon, border in UNITS:
        zone = "I" if name in ZONE_I else "II" if name in ZONE_II else "III"
        quota = rng.randint(55, 68) if kind == "ward" else rng.randint(32, 50)
        count = quota - rng.randint(3, 10)
        rep_count, rep_quota = REPORTED_STAFF.get(name, (None, None))
        if rep_count is not None:
            count = rep_count
            quota = max(quota, min(50, count + 5))
        if rep_quota is not None:
            quota = rep_quota
        communes.append(
            {
                "commune_id": ids[name],
                "name": name,
                "province": PROVINCE,
                "lat": f"{lat:.4f}",
                "lon": f"{lon:.4f}",
                "zone": zone,
                "border": border,
                "staff_count": count,
                "staff_quota": quota,
            }
        )
    zone_of = {c["name"]: c["zone"] for c in communes}

    agencies = [
        {
            "agency_id": aid,
            "name": name,
            "headcount": head,
            "min_release": lo,
            "max_release": hi,
            "province": PROVINCE,
            "name_en": name_en,
        }
        for aid, name, head, lo, hi, name_en in AGENCIES
    ]

    # officials
    officials: list[dict[str, Any]] = []
    per_agency: dict[str, int] = {}

    def official(oid: str, agency: str, skills: str, category: str, home: str, **opt: Any) -> None:
        gender = opt.get("gender") or rng.choice(["male", "male", "female"])
        officials.append(
            {
                "official_id": oid,
                "name": names(gender, opt.get("people")),
                "agency_id": agency,
                "skills": skills,
                "home_commune_id": ids[home],
                "home_lat": None,
                "home_lon": None,
                "gender": gender,
                "category": category,
                "protected": opt.get("protected", False),
                "volunteer": opt.get("volunteer", False),
                "max_km": opt.get("max_km"),
                "capacity": opt.get("capacity", 1.0),
                "available": opt.get("available", True),
                "kind": opt.get("kind", "seconded"),
                # Drawn from their own generator: the draws above stay as they were.
                "years_rated_well": opt.get("years_rated_well", record_rng.randint(3, 8)),
                "languages": opt.get("languages", LANGUAGE_OF.get(opt.get("people"))),
                "available_from": None,
                "available_until": opt.get("available_until"),
                "months_seconded_before": opt.get("months_seconded_before", 0),
                "max_communes": None,
                "max_km_between": None,
                "current_communes": None,
                # not known for this synthetic roster: seniority falls back to official_id
                "years_of_service": None,
            }
        )

    for agency, skills, category, home, opt in DEPARTMENTAL:
        per_agency[agency] = per_agency.get(agency, 0) + 1
        official(f"{agency}-{per_agency[agency]:02d}", agency, skills, category, home, **opt)
    n_departmental = len(officials)
    assert n_departmental == 52, n_departmental

    hmong_units = {"Sín Thầu", "A Pa Chải", "Nậm Kè", "Chà Tở", "Pu Nhi", "Phình Giàng"}
    for i, (name, *_rest) in enumerate(UNITS, start=1):
        people = "hmong" if name in hmong_units else rng.choice(["thai", "thai", "kinh", "hmong"])
        level = rng.choices([2, 3], weights=[3, 2])[0]
        official(f"DOH-{i:02d}", "DOH", f"health:{level}", PE, name, people=people)

    for i, (home, skills, _field) in enumerate(TEACHERS, start=1):
        official(f"DOET-T{i}", "DOET", skills, PE, home, capacity=0.5, kind="local")

    # needs
    needs: list[dict[str, Any]] = []

    def need(unit: str, field: str, slots: int, min_level: int, crit: int, **opt: Any) -> str:
        suffix = opt.get("suffix", "")
        nid = f"{ids[unit]}-{field}{suffix}"
        needs.append(
            {
                "need_id": nid,
                "commune_id": ids[unit],
                "field": field,
                "slots": slots,
                "min_level": min_level,
                "criticality": crit,
                "workload": opt.get("workload", 1.0),
                "mandatory": opt.get("mandatory", False),
                "start": None,  # the round's: policy round_start, 6 months
                "months": None,
                "language": opt.get("language"),
            }
        )
        return nid

    fixed_units = {u for u, *_ in FIXED_NEEDS}
    for unit, field, slots, lvl, crit, mandatory in FIXED_NEEDS:
        need(
            unit,
            field,
            slots,
            lvl,
            crit,
            mandatory=mandatory,
            language=NEED_LANGUAGE.get(unit, {}).get(field),
        )
    fields, weights = list(FIELD_WEIGHTS), list(FIELD_WEIGHTS.values())
    for name, *_ in UNITS:
        if name in fixed_units:
            continue
        zone = zone_of[name]
        k = rng.choices([1, 2, 3], weights=[4, 4, 1] if zone == "III" else [3, 1, 0])[0]
        chosen: list[str] = []
        while len(chosen) < k:
            f = rng.choices(fields, weights=weights)[0]
            if f not in chosen:
                chosen.append(f)
        for f in chosen:
            slots = rng.choices([1, 2], weights=[6, 1])[0]
            lvl = rng.choices([1, 2, 3], weights=[4, 5, 1])[0]
            crit = rng.choices([1, 2, 3], weights=[1, 3, 3] if zone == "III" else [2, 2, 0])[0]
            need(name, f, slots, lvl, crit)
    # part-time needs for the on-the-spot teachers
    part_time = [need(home, f, 1, 1, 2, workload=0.5, suffix="-pt") for home, _s, f in TEACHERS]
    # two neighbouring communes share one part-time IT specialist (one-stop shops)
    shared = [need(unit, "it", 1, 2, 2, workload=0.5, suffix="-pt") for unit in SHARED_IT]
    # one health-station head per unit
    health = [need(name, "health", 1, 2, 3 if zone_of[name] == "III" else 2) for name, *_ in UNITS]

    # distances: reported / estimated road km for the city-based officials
    distances = [
        {"official_id": o["official_id"], "commune_id": ids[unit], "km": f"{km:.1f}"}
        for o in officials[:n_departmental]
        if o["home_commune_id"] in (ids[DBP], ids[MT])
        for unit, (km, _kind) in ROAD_KM.items()
    ]

    # planner's decisions
    locks = [
        {"official_id": "DOC-02", "need_id": "sam-mun-construction", "kind": "lock"},
        {"official_id": "DOH-09", "need_id": health[8], "kind": "lock"},  # Sín Thầu
        {"official_id": "DOH-08", "need_id": health[7], "kind": "lock"},  # Mường Nhé
        # conflict of interest: a close relative chairs the commune's People's Committee
        {"official_id": "DOF-01", "need_id": "muong-nhe-finance", "kind": "forbid"},
    ]
    assert UNITS[8][0] == "Sín Thầu" and UNITS[7][0] == "Mường Nhé"
    affinity = [
        # asked for the post; ran Nậm Nèn's digital-government pilot
        {"official_id": "DOST-01", "need_id": "nam-nen-it", "score": 30},
        # speaks Hmong
        {"official_id": "DAE-01", "need_id": "sin-thau-land", "score": 15},
        {"official_id": "DERA-01", "need_id": "sin-thau-culture", "score": 15},
        # stated at the hearing: elderly parents at home, prefers not to go far
        {"official_id": "DOF-02", "need_id": "muong-nhe-finance", "score": -20},
    ]
    affinity += [
        {"official_id": f"DOET-T{i}", "need_id": nid, "score": 10}
        for i, nid in enumerate(part_time, start=1)
    ]
    # stated at the hearing: will run both communes' one-stop digital services
    affinity += [{"official_id": "DOST-03", "need_id": nid, "score": 25} for nid in shared]
    # stated wishes (1 = first choice), read by the allocation mechanisms only
    commune_of = {n["need_id"]: n["commune_id"] for n in needs}
    home_of = {o["official_id"]: o["home_commune_id"] for o in officials}
    wishes = [
        # asked for the post in Nậm Nèn
        {"official_id": "DOST-01", "commune_id": commune_of["nam-nen-it"], "rank": 1},
        # elderly parents at home: near home first, then the next ward
        {"official_id": "DOF-02", "commune_id": home_of["DOF-02"], "rank": 1},
        {"official_id": "DOF-02", "commune_id": ids[DBP], "rank": 2},
    ]
    wishes += [
        # the on-the-spot teachers help where they already work
        {"official_id": f"DOET-T{i}", "commune_id": commune_of[nid], "rank": 1}
        for i, nid in enumerate(part_time, start=1)
    ]
    return {
        "communes": communes,
        "agencies": agencies,
        "officials": officials,
        "needs": needs,
        "distances": distances,
        "locks": locks,
        "affinity": affinity,
        "wishes": wishes,
    }


# Policy: the round of 20 October 2025 (6 months), the record Điện Biên asked
# for (rated well 3 years), shared support within reach, and the allowance
# rates and budget; default weights.
POLICY: dict[str, Any] = {
    "round_start": "2025-10-20",
    "min_years_rated_well": 3,
    "max_communes": 3,
    "max_km_between": 60,
    # Allowance rates: the defaults, written out so a planner sees where they go
    # (VND; zone III one-off = 10 x base salary 2,340,000, monthly = 70 % of a
    # specialist's salary 2.34 x 2,340,000; Lâm Đồng's travel and housing money).
    "one_off_allowance": {"I": 0, "II": 0, "III": 23_400_000},
    "monthly_allowance": {"I": 0, "II": 0, "III": 3_832_920},
    "travel_allowance_per_month": 2_000_000,
    "travel_allowance_per_km": 0,
    "housing_allowance_per_month": 3_000_000,
    # A budget that binds (synthetic): the unbounded plan's allowances come to
    # about 3.3 billion VND; 2.3 billion leaves some remote posts empty.
    "budget": 2_300_000_000,
}
# Solve options: a 10 s time limit (the example solves in about a second).
OPTIONS: dict[str, Any] = {"time_limit_s": 10.0}

NOTES = """\
# Điện Biên example scenario: what is real and what is synthetic

This folder is written by `examples/dien_bien/build_dien_bien.py` (fixed seed
{seed}); do not edit it by hand, edit and rerun the script. The same files are
bundled with staffopt (`staffopt.scenarios.dien_bien()`,
`staffopt example dien-bien DIR`).

**The people, the needs and most figures here are SYNTHETIC.** The instance
mirrors the real secondment round of Điện Biên province (decision of
17 October 2025: 52 departmental civil servants / public employees seconded to
45 commune-level units and 45 commune health-station heads assigned through the
Department of Health), but no row describes a real person or a real request.

## Real (public figures)
- The province and its 45 commune-level units after the 1 July 2025 merger:
  42 communes and 3 wards (Điện Biên Phủ, Mường Thanh, Mường Lay).
{real_names}
- The remoteness zones (2026-2030 classification): zone I = Điện Biên Phủ and
  Mường Thanh; zone II = Thanh Nưa, Thanh An, Tuần Giáo, Mường Phăng,
  Mường Lay; zone III = the other 38 units.
- The scale of the round: 52 departmental officials, 45 health-station heads.
- The fields short of staff (IT, land, construction, transport, irrigation,
  justice, agriculture, environment, finance, trade, culture, health).
- Staff figures reported for three units: Mường Tùng 34 staff of a quota of 44
  (construction 1 of 3, hence a construction need of 2 slots), Xa Dung 49 of
  59 (as reported, above the usual cap of 50), Nậm Nèn 44 staff.
{reported}
- The stories the needs retell: Nậm Nèn gets an IT specialist from Science and
  Technology and still lacks construction, justice, agriculture and environment
  staff; Sam Mứn gets a Construction civil servant for land and construction
  files (a lock).

## Believed real, not verified
{other_names}
{border}

## Synthetic
- All coordinates (near each unit's real location, not surveyed).
- `staff_count` / `staff_quota` except the reported figures above.
- Agency headcounts, floors (5 % of headcount for Science and Technology,
  Agriculture and Environment, Construction and Justice, after Nghệ An's rule)
  and ceilings; department names are the post-2025 merged ones in English.
- Every official: names, genders, skills and levels, homes, categories,
  protected / volunteer flags, personal distance limits, availability.
- Every need (fields, slots, levels, criticality, mandatory flags), the
  part-time needs for the five on-the-spot teachers (workload 0.5), the locks,
  forbids, affinities and wishes (`wishes.csv`: stated preferences the
  allocation mechanisms read; the score ignores them). `years_of_service` is
  left empty: the seniority mechanism then orders officials by id.
- The rules of a real round, shown on a few people (`staffopt rules` lists
  them): the five teachers are local on-the-spot officials (`kind` = local:
  they serve only their own commune); every official's `years_rated_well`
  (3-8, drawn; one Home Affairs official has 2 and is excluded by `record`);
  `months_seconded_before` (a Culture official with 32 months is excluded by
  `term`: 32 + 6 > 36; a Construction official has 30: 30 + 6 = 36 is allowed
  in this round, and a next round six months on sends them home); a Trade official
  available only until 28 February 2026 (excluded by `term`); `languages` of
  the Hmông- and Thái-speaking officials and health-station heads, and
  Sín Thầu's culture post asking for Hmông (`language`); two part-time IT
  needs (0.5 FTE) in neighbouring Tủa Thàng and Mường Tùng, meant to share one
  specialist who asked for both (affinity).

## Real practice, synthetic figures
- The round starts on 20 October 2025 for 6 months and the criterion "rated
  'completed tasks well' in each of the last 3 years" is the one Điện Biên
  used (Decision of 17 October 2025); the 3-year limit on a secondment is the
  law's (Decree 170/2025 art. 26; Law on Public Employees art. 36). Who has
  which record, history or language here is synthetic.

## Policy
`policy.json` keeps the default weights and sets the round: `round_start`
2025-10-20 (6 months), `min_years_rated_well` 3, and shared support within
reach (`max_communes` 3, `max_km_between` 60 road km). It also writes out the
allowance rates (real figures: the base salary 2,340,000 VND, zone III's
one-off of 10 months' base salary and its attraction allowance of 70 % of a
specialist's salary; Lâm Đồng's 2 and 3 million VND a month of travel and
housing money) with a SYNTHETIC budget of 2.3 billion VND that binds: the plan
without it would pay about 3.3 billion. `options.json` sets a 10 s time limit
(a solve option, not a planning rule).
"""


GLUE = "\x00"  # a space that textwrap must not break at


def bullet(text: str) -> str:
    """A wrapped Markdown list item; names and distances are never split."""
    wrapped = textwrap.fill(text, width=79, initial_indent="- ", subsequent_indent="  ")
    return wrapped.replace(GLUE, " ")


def notes() -> str:
    def items(values: list[str]) -> str:
        return ", ".join(v.replace(" ", GLUE) for v in values)

    real = items([name for name, *_ in UNITS[:30]])
    other = items([name for name, *_ in UNITS[30:]])
    border = items([name for name, _k, _a, _o, b in UNITS if b])
    reported = items([f"{u} {km:.0f} km" for u, (km, k) in ROAD_KM.items() if k == "reported"])
    estimates = items([f"{u} {km:.0f} km" for u, (km, k) in ROAD_KM.items() if k == "estimate"])
    return NOTES.format(
        seed=SEED,
        real_names=bullet(f"The 30 unit names from public reports: {real}."),
        reported=bullet(
            "Road distances from Điện Biên Phủ (distances.csv, for the departmental "
            f"officials living in the Điện Biên Phủ and Mường Thanh wards): {reported}."
        ),
        other_names=bullet(
            f"The other 15 unit names ({other}) are post-merger names of the province "
            "as far as we know; treat them as plausible placeholders."
        ),
        border=bullet(f"Which units touch the Laos / China border (`border`): {border}."),
        estimates=bullet(
            f"Road distances marked as estimates: {estimates}. All other distances are "
            "computed by staffopt as straight line x road factor 1.5."
        ),
    )


def render(tables: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """File name -> text of every file of the scenario folder."""
    files: dict[str, str] = {}
    for table, rows in tables.items():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS[table])
        for row in rows:
            w.writerow([fmt(row[c]) for c in COLUMNS[table]])
        files[f"{table}.csv"] = buf.getvalue()
    files["policy.json"] = json.dumps(POLICY, indent=2) + "\n"
    files["options.json"] = json.dumps(OPTIONS, indent=2) + "\n"
    files["NOTES.md"] = notes()
    return files


def write(files: dict[str, str], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="")


def main() -> None:
    tables = build()
    files = render(tables)
    for out in OUT_DIRS:
        write(files, out)
        print(f"wrote {out}")
    slots = sum(int(n["slots"]) for n in tables["needs"])
    print(
        f"{len(tables['communes'])} units, {len(tables['agencies'])} agencies, "
        f"{len(tables['officials'])} officials, {len(tables['needs'])} needs, {slots} slots"
    )


if __name__ == "__main__":
    main()
