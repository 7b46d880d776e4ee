"""Behaviour and population profiles: TOML data files shipped in `profiles/`, read with tomllib.

A profile may `extends` another: its tables are merged over the other's, key by key. Each
service's behaviour is `[services.default]` with `[services.<code>]` over it.
"""

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from services.registries.regions import REGION_CODES

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"


class ProfileError(ValueError):
    """A profile that cannot be read or whose figures make no sense."""


@dataclass(frozen=True)
class AgeBand:
    band: str  # the metrics' age band name, "18-29" .. "60+"
    share: float
    internet: float  # multiplies the region's internet access
    lowest_age: int
    highest_age: int


@dataclass(frozen=True)
class Population:
    age_bands: tuple[AgeBand, ...]
    internet: dict[str, float]  # region code -> share of people online
    counter_share_online: float
    counter_reach: dict[str, float]  # region code -> share of offline people who reach a counter


@dataclass(frozen=True)
class Behaviour:
    """How citizens and officers of one service behave (see profiles/today.toml for each figure)."""

    weight: float
    drop_off_per_page: float
    prefilled_page_factor: float
    drop_off_check: float
    resume_share: float
    resume_days: tuple[int, int]
    withdraw_share: float
    decision_days: tuple[int, int]
    approve: float
    request_info: float
    reject: float
    response_rate: float
    response_days: tuple[int, int]
    satisfaction_answer_rate: float
    satisfaction_issued: tuple[float, ...]
    satisfaction_other: tuple[float, ...]


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    population: Population
    services: dict[str, Behaviour]  # service code -> behaviour; "default" for any other service

    def behaviour(self, service_code: str) -> Behaviour:
        """The behaviour for a service, the default one for a service the profile does not name."""
        return self.services.get(service_code, self.services["default"])


def profile_names() -> list[str]:
    """The profiles shipped with the simulator."""
    return sorted(path.stem for path in PROFILES_DIR.glob("*.toml"))


def profile_load(name: str, *, lever: str | None = None, overrides: dict[str, Any] | None = None) -> Profile:
    """Read a shipped profile, with `overrides` (the same tables as the file) merged over it.

    With `lever`, only that lever of the profile (its `[levers]` table) is pulled: the profile it
    extends, changed by the entries the lever names and nothing else.
    """
    data = _merged(_read(name, lever=lever), overrides or {})
    if lever:
        data["name"] = f"{data['name']}:{lever}"
    return _profile(data)


def profile_levers(name: str) -> list[str]:
    """The levers a profile pulls, in the order of its file."""
    return list(_file(name).get("levers", {}))


def _read(name: str, *, lever: str | None = None) -> dict[str, Any]:
    data = _file(name)
    levers = data.pop("levers", {})
    parent = data.pop("extends", None)
    if lever:
        if lever not in levers:
            raise ProfileError(f"profile {name!r} has no lever {lever!r}; it has {', '.join(levers) or 'none'}")
        data = {"name": data["name"], **_entries(data, levers[lever])}
    return _merged(_read(parent), data) if parent else data


def _file(name: str) -> dict[str, Any]:
    if name not in profile_names():
        raise ProfileError(f"no profile {name!r}; there are {', '.join(profile_names())}")
    return tomllib.loads((PROFILES_DIR / f"{name}.toml").read_text(encoding="utf-8"))


def _entries(data: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """The part of `data` the dotted paths name ("*" for any key at that level)."""
    kept: dict[str, Any] = {}
    for path in paths:
        kept = _merged(kept, _entry(data, path.split(".")))
    return kept


def _entry(data: dict[str, Any], parts: list[str]) -> dict[str, Any]:
    head, rest = parts[0], parts[1:]
    keys = list(data) if head == "*" else [head] if head in data else []
    found: dict[str, Any] = {}
    for key in keys:
        if not rest:
            found[key] = data[key]
        elif isinstance(data[key], dict) and (inner := _entry(data[key], rest)):
            found[key] = inner
    return found


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def _profile(data: dict[str, Any]) -> Profile:
    try:
        return Profile(
            name=data["name"],
            description=data.get("description", ""),
            population=_population(data["population"]),
            services=_services(data["services"]),
        )
    except (KeyError, TypeError) as problem:
        raise ProfileError(f"profile {data.get('name', '?')}: missing or wrong entry {problem}") from problem


def _population(data: dict[str, Any]) -> Population:
    bands = tuple(_age_band(entry) for entry in data["age_bands"])
    unknown = (set(data.get("internet", {})) | set(data.get("counter_reach", {}))) - set(REGION_CODES)
    if unknown:
        raise ProfileError(f"unknown regions {sorted(unknown)}")
    internet = {code: float(data.get("internet", {}).get(code, data["internet_default"])) for code in REGION_CODES}
    reach = {
        code: float(data.get("counter_reach", {}).get(code, data["counter_reach_offline"])) for code in REGION_CODES
    }
    return Population(
        age_bands=bands,
        internet=internet,
        counter_share_online=float(data["counter_share_online"]),
        counter_reach=reach,
    )


def _age_band(entry: dict[str, Any]) -> AgeBand:
    band = entry["band"]
    low, _, high = band.partition("-")
    lowest = int(low.rstrip("+"))
    return AgeBand(
        band=band,
        share=float(entry["share"]),
        internet=float(entry["internet"]),
        lowest_age=lowest,
        highest_age=int(high) if high else 85,
    )


def _services(data: dict[str, Any]) -> dict[str, Behaviour]:
    default = data["default"]
    return {code: _behaviour(code, _merged(default, table)) for code, table in data.items()} | {
        "default": _behaviour("default", default)
    }


_PAIRS = ("resume_days", "decision_days", "response_days")
_DISTRIBUTIONS = ("satisfaction_issued", "satisfaction_other")


def _behaviour(code: str, data: dict[str, Any]) -> Behaviour:
    values: dict[str, Any] = {}
    for field in fields(Behaviour):
        value = data[field.name]
        values[field.name] = tuple(value) if field.name in _PAIRS + _DISTRIBUTIONS else float(value)
    behaviour = Behaviour(**values)
    decisions = behaviour.approve + behaviour.request_info + behaviour.reject
    if abs(decisions - 1) > 1e-6:
        raise ProfileError(f"{code}: approve + request_info + reject is {decisions:.3f}, not 1")
    for name in _DISTRIBUTIONS:
        if len(values[name]) != 5 or abs(sum(values[name]) - 1) > 1e-6:
            raise ProfileError(f"{code}: {name} needs 5 shares summing to 1")
    return behaviour
