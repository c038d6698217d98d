"""The page registry (pages.toml): every page with its URL, section and priority areas, checked when read."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict

Section = Literal["Meeting", "Priority areas", "Scrutiny", "Assurance", "Data"]
SECTIONS: tuple[str, ...] = ("Meeting", "Priority areas", "Scrutiny", "Assurance", "Data")


class PageSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    url_path: str
    title: str
    section: Section
    kind: str
    heading: str = ""
    areas: tuple[str, ...] = ()

    @property
    def file(self) -> str:
        return f"pages/{self.url_path}.py"

    @property
    def page_heading(self) -> str:
        return self.heading or self.title


class PageRegistry(BaseModel):
    model_config = ConfigDict(frozen=True)
    areas: dict[str, str]  # priority area id -> its name in words
    pages: tuple[PageSpec, ...]

    def page(self, url_path: str) -> PageSpec:
        for spec in self.pages:
            if spec.url_path == url_path:
                return spec
        raise KeyError(f"no page '{url_path}' in pages.toml")

    def page_of_area(self, area: str) -> str:
        return next(p.url_path for p in self.pages if area in p.areas)


def check(registry: PageRegistry) -> list[str]:
    """Registry rules, as messages: each area on exactly one page, each page's areas named, URLs unique."""
    problems = []
    paths = [p.url_path for p in registry.pages]
    problems += [
        f"pages.toml: url_path '{p}' appears {paths.count(p)} times" for p in sorted(set(paths)) if paths.count(p) > 1
    ]
    for area in registry.areas:
        on = [p.url_path for p in registry.pages if area in p.areas]
        if len(on) != 1:
            problems.append(
                f"pages.toml: priority area '{area}' is on {len(on)} pages ({', '.join(on) or 'none'}); "
                "it must be on exactly one"
            )
    for spec in registry.pages:
        problems += [
            f"pages.toml: page '{spec.url_path}' shows area '{a}', which [areas] does not name"
            for a in spec.areas
            if a not in registry.areas
        ]
        if spec.kind == "priority" and not spec.areas:
            problems.append(f"pages.toml: priority page '{spec.url_path}' shows no area")
    return problems


@lru_cache(maxsize=1)
def load_pages() -> PageRegistry:
    raw = tomllib.loads(
        resources.files("cscp_metrics.indicators.registry").joinpath("pages.toml").read_text(encoding="utf-8")
    )
    registry = PageRegistry(areas=raw["areas"], pages=tuple(PageSpec(**p) for p in raw["page"]))
    problems = check(registry)
    if problems:
        raise ValueError("\n".join(problems))
    return registry
