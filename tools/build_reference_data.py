"""Rebuild the registry's reference data files from the compiled sources in ../shared/data.

Run from the repository root: ``.venv/bin/python tools/build_reference_data.py [SHARED_DATA_DIR]``.
The output is committed; the platform itself never reads ../shared at run time.

- municipalities_2024.csv: CBS code, CBS name, province code and name (342 rows).
- population.csv: one row per figure with its source (CBS final 2021-2023, CBS provisional
  2024, Amstelveen's own counts), never an estimate.
- map_nl_2024.json: municipality outlines projected to an SVG canvas and simplified
  (Douglas-Peucker, tolerance below half a pixel), for the server-rendered member map.
"""

import csv
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "stedennet" / "registry" / "data"

CBS_37259 = (
    "CBS StatLine 37259eng, PopulationOn1January_1 (definitief)",
    "https://opendata.cbs.nl/statline/#/CBS/en/dataset/37259eng/table",
)
CBS_2024_PROVISIONAL = ("CBS Gebieden in Nederland 2024, Inwonertal_54 (voorlopig)", "")

# Amstelveen's own register counts on 1 January (shared/data/README.md, section 4), and the
# figure the issue asks for: 92,363 for 2022, source Gemeente Amstelveen, 1 June 2022.
AMSTELVEEN_OWN = [
    ("2020-01-01", 91694, "Gemeente Amstelveen, Facts & Figures (amstelveenweb.com, september 2020)",
     "https://amstelveenweb.com/amstelveen"),
    ("2021-01-01", 90830, "Gemeente Amstelveen, Facts & Figures 2021; Amstelveens Nieuwsblad 4 februari 2021", ""),
    ("2022-01-01", 92363, "Gemeente Amstelveen, persbericht 1 juni 2022 (eigen telling)",
     "https://amstelveenweb.com/fotodisp&fotodisp=4976"),
    ("2023-01-01", 94435, "Gemeente Amstelveen, Facts & Figures 2023", "https://amstelveenweb.com/amstelveen"),
]
AMSTELVEEN_CBS_2020 = ("GM0362", "2020-01-01", 91675)

CANVAS_WIDTH = 600.0
TOLERANCE = 0.35  # pixels


def main(shared: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (shared / "municipalities_nl.csv").open(encoding="utf-8") as fh:
        municipalities = list(csv.DictReader(fh))
    with (shared / "g40_members.csv").open(encoding="utf-8") as fh:
        g40 = list(csv.DictReader(fh))

    with (OUT / "municipalities_2024.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["cbs_code", "name", "province_code", "province"])
        for row in sorted(municipalities, key=lambda r: r["cbs_code"]):
            writer.writerow([row["cbs_code"], row["name"], row["province_code"], row["province"]])

    figures: dict[tuple[str, str, str], tuple[int, str, str]] = {}

    def add(code: str, day: str, value: str | int, source: str, note: str, url: str) -> None:
        if value in ("", None):
            return
        key = (code, day, source)
        if key in figures and figures[key][0] != int(value):
            raise SystemExit(f"conflicting figures for {key}: {figures[key][0]} and {value}")
        figures[key] = (int(value), note, url)

    for row in g40:
        for year in (2021, 2022, 2023):
            add(row["cbs_code"], f"{year}-01-01", row[f"population_{year}"], "cbs_final", *CBS_37259)
        add(row["cbs_code"], "2024-01-01", row["population_2024"], "cbs_provisional", *CBS_2024_PROVISIONAL)
    for row in municipalities:
        add(row["cbs_code"], "2023-01-01", row["population_2023"], "cbs_final", *CBS_37259)
        add(row["cbs_code"], "2024-01-01", row["population_2024"], "cbs_provisional", *CBS_2024_PROVISIONAL)
    add(*AMSTELVEEN_CBS_2020, "cbs_final", *CBS_37259)
    for day, value, note, url in AMSTELVEEN_OWN:
        add("GM0362", day, value, "municipal", note, url)

    with (OUT / "population.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["cbs_code", "reference_date", "inhabitants", "source", "source_note", "source_url"])
        for (code, day, source), (value, note, url) in sorted(figures.items()):
            writer.writerow([code, day, value, source, note, url])

    build_map(shared / "gemeenten_2024.geojson", OUT / "map_nl_2024.json")
    print(f"{len(municipalities)} municipalities, {len(figures)} population figures written to {OUT}")


def build_map(src: Path, dest: Path) -> None:
    data = json.loads(src.read_text(encoding="utf-8"))
    # An equirectangular projection scaled by cos(52.2°) keeps the country's proportions
    # within a percent, which is all a choropleth needs.
    kx = math.cos(math.radians(52.2))
    rings_by_code: dict[str, list[list[tuple[float, float]]]] = {}
    xs, ys = [], []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = []
        for polygon in polygons:
            for ring in polygon:
                projected = [(lon * kx, -lat) for lon, lat in ring]
                rings.append(projected)
                xs.extend(p[0] for p in projected)
                ys.extend(p[1] for p in projected)
        rings_by_code[feature["properties"]["cbs_code"]] = rings
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    scale = CANVAS_WIDTH / (max_x - min_x)
    height = round((max_y - min_y) * scale, 1)
    paths = {}
    for code, rings in sorted(rings_by_code.items()):
        parts = []
        for ring in rings:
            points = [((x - min_x) * scale, (y - min_y) * scale) for x, y in ring]
            points = simplify(points, TOLERANCE)
            if len(points) < 4:
                continue
            coords = " ".join(f"{x:.1f} {y:.1f}" for x, y in points[:-1])
            parts.append(f"M{coords}Z")
        paths[code] = "".join(parts)
    dest.write_text(
        json.dumps(
            {
                "source": "CBS / Kadaster (PDOK), CBS Wijken en Buurten 2024, gemeenten; vereenvoudigd",
                "width": CANVAS_WIDTH,
                "height": height,
                "paths": paths,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on a closed ring (first point equals last), iteratively."""
    if len(points) < 5:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    # Split the ring at its farthest point from the start so both halves are open lines.
    far = max(range(len(points)), key=lambda i: (points[i][0] - points[0][0]) ** 2 + (points[i][1] - points[0][1]) ** 2)
    keep[far] = True
    stack = [(0, far), (far, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        if hi - lo < 2:
            continue
        (x1, y1), (x2, y2) = points[lo], points[hi]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, best_i = -1.0, lo
        for i in range(lo + 1, hi):
            px, py = points[i]
            d = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm else math.hypot(px - x1, py - y1)
            if d > best:
                best, best_i = d, i
        if best > tolerance:
            keep[best_i] = True
            stack.append((lo, best_i))
            stack.append((best_i, hi))
    return [p for p, k in zip(points, keep, strict=True) if k]


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
