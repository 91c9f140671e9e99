"""The reference data of the synthetic scenarios: provinces, fields, departments, shares.

Only figures and the province lookup live here; every random draw is made
elsewhere. What is real (province names, unit counts, capitals, borders) and
what is a judgement or a calibration (terrain classes, shares) is said in the
package docstring and next to each table.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "DEMAND",
    "DEPARTMENTS",
    "DEPT_CODES",
    "FIELDS",
    "FIELD_TILT",
    "KM2_PER_COMMUNE",
    "NEED_FIELD_SHARE",
    "OFFICIAL_FIELD_SHARE",
    "PROVINCES",
    "RELATED",
    "ROAD_FACTOR",
    "SUPPLY",
    "TERRAINS",
    "ZONE_SHARE",
    "ProvinceInfo",
    "Terrain",
    "province_info",
]

Terrain = Literal["mountain", "highland", "mixed", "delta", "urban"]


@dataclass(frozen=True)
class ProvinceInfo:
    """A province of the post-2025 map: real name, unit count, rough capital position."""

    name: str
    communes: int
    lat: float
    lon: float
    terrain: Terrain
    border: bool

    @property
    def slug(self) -> str:
        return _slug(self.name)


#: The 34 provinces and centrally-run cities after 1 July 2025 with their number of
#: commune-level units (sum 3,321) and the rough position of the capital.
PROVINCES: tuple[ProvinceInfo, ...] = (
    ProvinceInfo("Hà Nội", 126, 21.03, 105.85, "urban", False),
    ProvinceInfo("Huế", 40, 16.46, 107.59, "mixed", True),
    ProvinceInfo("Lai Châu", 38, 22.40, 103.46, "mountain", True),
    ProvinceInfo("Điện Biên", 45, 21.39, 103.02, "mountain", True),
    ProvinceInfo("Sơn La", 75, 21.33, 103.91, "mountain", True),
    ProvinceInfo("Lạng Sơn", 65, 21.85, 106.76, "mountain", True),
    ProvinceInfo("Quảng Ninh", 54, 20.95, 107.08, "mixed", True),
    ProvinceInfo("Thanh Hóa", 166, 19.81, 105.78, "mixed", True),
    ProvinceInfo("Nghệ An", 130, 18.68, 105.68, "mixed", True),
    ProvinceInfo("Hà Tĩnh", 69, 18.34, 105.90, "mixed", True),
    ProvinceInfo("Cao Bằng", 56, 22.67, 106.26, "mountain", True),
    ProvinceInfo("Tuyên Quang", 124, 21.82, 105.21, "mountain", True),
    ProvinceInfo("Lào Cai", 99, 21.72, 104.90, "mountain", True),
    ProvinceInfo("Thái Nguyên", 92, 21.59, 105.85, "mixed", False),
    ProvinceInfo("Phú Thọ", 148, 21.32, 105.40, "mixed", False),
    ProvinceInfo("Bắc Ninh", 99, 21.27, 106.19, "delta", False),
    ProvinceInfo("Hưng Yên", 104, 20.45, 106.34, "delta", False),
    ProvinceInfo("Hải Phòng", 114, 20.86, 106.68, "delta", False),
    ProvinceInfo("Ninh Bình", 129, 20.25, 105.97, "delta", False),
    ProvinceInfo("Quảng Trị", 78, 17.47, 106.60, "mixed", True),
    ProvinceInfo("Đà Nẵng", 94, 16.05, 108.20, "mixed", True),
    ProvinceInfo("Quảng Ngãi", 96, 15.12, 108.80, "mixed", True),
    ProvinceInfo("Gia Lai", 135, 13.78, 109.22, "highland", True),
    ProvinceInfo("Khánh Hòa", 65, 12.24, 109.19, "mixed", False),
    ProvinceInfo("Lâm Đồng", 124, 11.94, 108.44, "highland", True),
    ProvinceInfo("Đắk Lắk", 102, 12.67, 108.04, "highland", True),
    ProvinceInfo("Hồ Chí Minh City", 168, 10.78, 106.70, "urban", False),
    ProvinceInfo("Đồng Nai", 95, 10.95, 106.82, "mixed", True),
    ProvinceInfo("Tây Ninh", 96, 10.54, 106.41, "delta", True),
    ProvinceInfo("Cần Thơ", 103, 10.03, 105.78, "delta", False),
    ProvinceInfo("Vĩnh Long", 124, 10.25, 105.97, "delta", False),
    ProvinceInfo("Đồng Tháp", 102, 10.36, 106.36, "delta", True),
    ProvinceInfo("Cà Mau", 64, 9.18, 105.15, "delta", False),
    ProvinceInfo("An Giang", 102, 10.01, 105.08, "delta", True),
)

#: Skill fields short in communes (DOMAIN.md), in a fixed order.
FIELDS: tuple[str, ...] = (
    "it",
    "land",
    "construction",
    "transport",
    "irrigation",
    "justice",
    "agriculture",
    "environment",
    "finance",
    "trade",
    "culture",
    "health",
)
#: Share of need slots per field: land, construction, IT and finance dominate.
NEED_FIELD_SHARE: tuple[float, ...] = (
    0.11, 0.15, 0.12, 0.05, 0.05, 0.08, 0.09, 0.07, 0.11, 0.03, 0.05, 0.09
)  # fmt: skip
#: Share of officials per main field: short where needs are largest.
OFFICIAL_FIELD_SHARE: tuple[float, ...] = (
    0.08, 0.10, 0.09, 0.06, 0.05, 0.07, 0.12, 0.06, 0.10, 0.06, 0.12, 0.09
)  # fmt: skip
#: Related fields: an official's second skill is usually one of these.
RELATED: dict[str, tuple[str, ...]] = {
    "it": ("finance", "trade", "culture"),
    "land": ("construction", "environment", "agriculture", "justice"),
    "construction": ("transport", "land", "irrigation"),
    "transport": ("construction", "irrigation"),
    "irrigation": ("agriculture", "construction", "environment"),
    "justice": ("land", "culture", "finance"),
    "agriculture": ("irrigation", "environment", "land"),
    "environment": ("land", "agriculture", "irrigation"),
    "finance": ("trade", "it", "land"),
    "trade": ("finance", "agriculture"),
    "culture": ("justice", "health", "it"),
    "health": ("culture", "environment"),
}

#: The provincial departments (post-2025 names) and the main fields of their staff.
DEPARTMENTS: dict[str, tuple[str, dict[str, float]]] = {
    "DOST": ("Department of Science and Technology", {"it": 0.85}),
    "DAE": (
        "Department of Agriculture and Environment",
        {"land": 1.0, "agriculture": 1.0, "irrigation": 1.0, "environment": 1.0},
    ),
    "DOC": ("Department of Construction", {"construction": 1.0, "transport": 1.0}),
    "DOJ": ("Department of Justice", {"justice": 0.8}),
    "DOF": ("Department of Finance", {"finance": 0.9}),
    "DOHA": ("Department of Home Affairs", {"justice": 0.2, "culture": 0.25, "finance": 0.1}),
    "DCST": ("Department of Culture, Sports and Tourism", {"culture": 0.45}),
    "DOIT": ("Department of Industry and Trade", {"trade": 1.0}),
    "DOET": ("Department of Education and Training", {"it": 0.15, "culture": 0.15}),
    "DERA": ("Department of Ethnic and Religious Affairs", {"culture": 0.15}),
    "DOH": ("Department of Health", {"health": 1.0}),
}
DEPT_CODES: tuple[str, ...] = tuple(DEPARTMENTS)

# Per terrain: zone shares (I, II, III), km² per commune, slots and officials per commune
# (relative), and the road factor used for a single-province scenario.
ZONE_SHARE: dict[str, tuple[float, float, float]] = {
    "mountain": (0.05, 0.13, 0.82),
    "highland": (0.12, 0.30, 0.58),
    "mixed": (0.22, 0.36, 0.42),
    "delta": (0.50, 0.38, 0.12),
    "urban": (0.75, 0.20, 0.05),
}
KM2_PER_COMMUNE = {
    "mountain": 210.0,
    "highland": 230.0,
    "mixed": 130.0,
    "delta": 55.0,
    "urban": 35.0,
}
DEMAND = {"mountain": 1.5, "highland": 1.3, "mixed": 1.0, "delta": 0.7, "urban": 0.5}
SUPPLY = {"mountain": 0.85, "highland": 0.95, "mixed": 1.05, "delta": 1.15, "urban": 1.4}
ROAD_FACTOR = {"mountain": 1.8, "highland": 1.6, "mixed": 1.5, "delta": 1.3, "urban": 1.3}
TERRAINS: tuple[str, ...] = ("mountain", "highland", "mixed", "delta", "urban")
#: Field mix by terrain: multipliers of both the need and the official field shares
#: (mountain communes ask for land, agriculture, culture and health; cities for IT,
#: finance, construction and justice; mixed provinces keep the national mix).
FIELD_TILT: dict[str, dict[str, float]] = {
    "mountain": {"land": 2, "agriculture": 2, "irrigation": 1.6, "culture": 2, "health": 2,
                 "finance": 0.6, "trade": 0.4, "transport": 0.8},
    "highland": {"land": 2, "agriculture": 2, "irrigation": 1.6, "environment": 1.6,
                 "culture": 1.6, "trade": 0.6, "justice": 0.8},
    "mixed": {},
    "delta": {"agriculture": 1.8, "irrigation": 1.8, "environment": 1.8, "trade": 1.6,
              "land": 1.4, "culture": 0.6, "health": 0.7},
    "urban": {"it": 2, "finance": 1.8, "construction": 1.8, "justice": 1.6, "trade": 1.6,
              "transport": 1.4, "agriculture": 0.3, "irrigation": 0.3, "culture": 0.7},
}  # fmt: skip


def province_info(name: str) -> ProvinceInfo:
    """The province called ``name``, matched by slug (accents, case and "City" do not count)."""
    key = _slug(name)
    for p in PROVINCES:
        if p.slug == key:
            return p
    known = ", ".join(p.name for p in PROVINCES)
    raise ValueError(f"unknown province '{name}'; known: {known}")


def _slug(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(ascii_text.lower().replace("city", "").split())
