"""What a build did (`BuildReport`): its summary line and report.json."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class BuildReport:
    articles: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skip_lines: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    triples: int = 0
    extracted: int = 0  # articles extracted in this run
    unchanged: int = 0  # articles whose content had not changed since the last build
    removed: int = 0  # articles no longer among the inputs, taken out of the store
    kept: list[str] = field(default_factory=list)  # articles whose input could not be read: last graph kept
    replaced: dict[str, int] = field(default_factory=dict)  # source -> bytes replaced by U+FFFD in decoding
    split: dict[str, int] = field(default_factory=dict)  # source -> parts of an article over the size limit
    conforms: bool | None = None  # SHACL validation (None: not validated)
    violations: int = 0
    validation: str = ""  # why validation was skipped, when it was
    outputs: list[str] = field(default_factory=list)
    exports: dict[str, str] = field(default_factory=dict)  # export file name -> SHA-256

    def summary(self) -> str:
        parts = [f"built {self.articles} article(s), {self.triples} triples"]
        if self.unchanged or self.removed:
            parts.append(f"{self.extracted} extracted, {self.unchanged} unchanged, {self.removed} removed")
        if self.kept:
            parts.append(f"{len(self.kept)} unreadable input(s) kept as last built")
        if self.skipped:
            why = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
            parts.append(f"skipped {sum(self.skipped.values())} ({why})")
        if self.failed:
            parts.append(f"{len(self.failed)} failed in extraction")
        if self.replaced:
            parts.append(
                f"{sum(self.replaced.values())} undecodable byte(s) replaced in {len(self.replaced)} article(s)"
            )
        if self.split:
            parts.append(f"{len(self.split)} article(s) over the size limit split")
        if self.conforms is not None:
            parts.append("conforms to the shapes" if self.conforms else f"{self.violations} SHACL result(s)")
        elif self.validation:
            parts.append(self.validation)
        return "; ".join(parts)

    def to_json(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "extracted": self.extracted,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "kept_unreadable": self.kept,
            "replaced_bytes": dict(sorted(self.replaced.items())),
            "split": dict(sorted(self.split.items())),
            "conforms": self.conforms,
            "violations": self.violations,
            "validation": self.validation or ("validated" if self.conforms is not None else "not validated"),
            "triples": self.triples,
            "skipped": dict(sorted(self.skipped.items())),
            "skips": self.skip_lines,
            "failed": self.failed,
            "outputs": self.outputs,
            "exports": dict(sorted(self.exports.items())),
        }
