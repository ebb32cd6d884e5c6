"""``bordermap scale``: the line's length against the ruler it is measured with."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

from bordermap.cli.helpers import emit, text_table
from bordermap.cli.options import DISTANCE, POSITIVE, dataset_arg, depiction_opt, format_opt, output_opt
from bordermap.errors import UsageError
from bordermap.io.textsafe import terminal_safe
from bordermap.scale import RULERS_M, analyse, plot, scale_effect
from bordermap.validate import load_valid


@click.command(short_help="Length against ruler (divider method), fractal fit, plot.")
@dataset_arg
@depiction_opt
@click.option(
    "--target",
    "targets",
    multiple=True,
    type=POSITIVE,
    metavar="KM",
    help="A quoted length to find the ruler for (repeatable; default: the register's border lengths).",
)
@click.option(
    "--fit-min",
    "fit_min",
    type=DISTANCE,
    default=None,
    help="Smallest ruler in the fit (default: the line's median vertex spacing or precision).",
)
@format_opt(("table", "json"))
@output_opt(required=False, help="Write the Richardson plot (PNG or SVG, by the suffix).")
def scale(
    path: Path | None,
    depiction: str | None,
    targets: tuple[float, ...],
    fit_min: float | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Measure the main line with rulers from 10 m to 10 km (divider method, geodesic steps).

    Fit Richardson's relation L(r) = M·r^(1−D), and find the ruler at which the line measures each
    quoted length — or say why no ruler does: a divider never measures more than the polyline.
    The scale effect — the line's length at the 50–200 m rulers of official maps, extrapolated by
    the relation where they lie below the line's resolution, and labelled so — is the interval
    `bordermap check` uses for its map_scale verdict.
    """
    dataset = load_valid(path, outputs=(output,))
    if depiction is not None and depiction not in dataset.depictions:
        raise UsageError(
            f"--depiction {depiction!r}: the dataset has {', '.join(dataset.depictions)}"
        )
    if output is not None and output.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"{output}: the plot is written as .png or .svg")
    if not targets:
        quoted = {
            float(f["value"])
            for f in dataset.figures
            if f.get("category") == "border_length"
            and f.get("unit") == "km"
            and isinstance(f.get("value"), (int, float))
        }
        targets = tuple(sorted(quoted))
    analysis = analyse(dataset, depiction, RULERS_M, targets, fit_min)
    if output is not None:
        plot(analysis, output)
    if fmt == "json":
        click.echo(terminal_safe(json.dumps(analysis.summary(), ensure_ascii=False, indent=2), json=True))
        return
    # One decimal: the fitted lengths are a model's, extrapolated below the line's resolution; metres
    # of them (1,263.034 km) would claim a precision nothing measured.
    emit(pd.DataFrame(analysis.records()), "table", "{:,.1f}")
    fit = analysis.fit
    click.echo(
        f"\nPolyline (vertex to vertex): {analysis.polyline_km:,.3f} km; median vertex spacing "
        f"{analysis.median_vertex_spacing_m:,.0f} m"
    )
    click.echo(
        f"Richardson fit over rulers {analysis.fit_range_m[0]:,.0f}–{analysis.fit_range_m[1]:,.0f} m: "
        f"L(r) = {fit.M:,.4g} · r^(1 − {fit.D:.4f}) m  (D = {fit.D:.4f}, R² = {fit.r_squared:.4f})"
    )
    click.echo(f"Scale effect: {scale_effect(analysis).describe()}.")
    if analysis.targets:
        rows = pd.DataFrame(
            [
                {
                    "target_km": t.target_km,
                    "ruler_m": t.ruler_m,
                    "fit_ruler_m": t.fit_ruler_m,
                    "extrapolated": t.extrapolated,
                    "at_official_rulers": t.at_official_rulers,
                }
                for t in analysis.targets
            ]
        )
        # A target as quoted (970.8, 1,006.84; not 970.80, 900.00); rulers to the centimetre at most.
        click.echo("\n" + terminal_safe(text_table(rows, lambda v: f"{v:,.2f}".rstrip("0").rstrip("."))))
        for t in analysis.targets:
            click.echo(terminal_safe(f"  {t.target_km:,g} km: {t.note}"))
