"""Reference data the platform ships: Shanghai's 16 districts (GB/T 2260) and the other names they are written as."""

from __future__ import annotations

import re
from typing import Any

# (code, name, short name)
DISTRICTS: list[tuple[str, str, str]] = [
    ("310101", "黄浦区", "黄浦"),
    ("310104", "徐汇区", "徐汇"),
    ("310105", "长宁区", "长宁"),
    ("310106", "静安区", "静安"),
    ("310107", "普陀区", "普陀"),
    ("310109", "虹口区", "虹口"),
    ("310110", "杨浦区", "杨浦"),
    ("310112", "闵行区", "闵行"),
    ("310113", "宝山区", "宝山"),
    ("310114", "嘉定区", "嘉定"),
    ("310115", "浦东新区", "浦东"),
    ("310116", "金山区", "金山"),
    ("310117", "松江区", "松江"),
    ("310118", "青浦区", "青浦"),
    ("310120", "奉贤区", "奉贤"),
    ("310151", "崇明区", "崇明"),
]

# (alias, district code, historical): names found in documents that mean one of the 16 districts.
ALIASES: list[tuple[str, str, bool]] = [
    ("浦东区", "310115", False),
    ("卢湾", "310101", True),
    ("卢湾区", "310101", True),
    ("闸北", "310106", True),
    ("闸北区", "310106", True),
    ("南汇", "310115", True),
    ("南汇区", "310115", True),
    ("崇明县", "310151", True),
]


def load_districts(district_model: Any, alias_model: Any) -> None:
    """Creates or corrects the districts and aliases; takes the models so a data migration can call it."""
    for code, name, short_name in DISTRICTS:
        district_model.objects.update_or_create(code=code, defaults={"name": name, "short_name": short_name})
    by_code = {d.code: d for d in district_model.objects.all()}
    for alias, code, historical in ALIASES:
        alias_model.objects.update_or_create(
            name=alias, defaults={"district": by_code[code], "historical": historical}
        )


_WHITESPACE = re.compile(r"\s+")


class DistrictResolver:
    """Finds a district by any name it is written as: 浦东新区, 浦东, 浦东\\n新区, 浦东区, 南汇 …"""

    def __init__(self) -> None:
        from .models import District, DistrictAlias

        self.by_name: dict[str, District] = {}
        for district in District.objects.all():
            self.by_name[district.name] = district
            self.by_name[district.short_name] = district
            self.by_name[district.code] = district
        for alias in DistrictAlias.objects.select_related("district"):
            self.by_name[alias.name] = alias.district
        # Longest names first, so that 浦东新区 wins over 浦东 when reading a prefix.
        self._prefixes = sorted((n for n in self.by_name if n.endswith(("区", "县"))), key=len, reverse=True)

    def resolve(self, text: str) -> Any:
        return self.by_name.get(_WHITESPACE.sub("", text or ""))

    def from_name_prefix(self, organisation_name: str) -> Any:
        """The district an organisation's own name starts with (普陀区延河中学 → 普陀区), if any."""
        for prefix in self._prefixes:
            if organisation_name.startswith(prefix) and len(organisation_name) > len(prefix):
                return self.by_name[prefix]
        return None
