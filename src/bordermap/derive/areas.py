"""Features of the ``areas`` layer: each country's polygon in the window, and the enclaves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bordermap.countries import country_name
from bordermap.derive.claims import UNCURATED_POLICY, StatusPolicy, citations
from bordermap.derive.depiction_build import DepictionBuild
from bordermap.derive.geodesy import area_km2


def area_features(
    build: DepictionBuild,
    as_of: str,
    policy: StatusPolicy = UNCURATED_POLICY,
    country_names: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Country regions (without the enclaves they administer) and enclave polygons.

    ``country_names`` names the regions (default: ISO 3166 names, :func:`country_name`).
    """
    names = country_names or {}
    d = build.depiction
    common = {"depiction": d.id, "precision_m": d.precision_m}
    out: list[dict[str, Any]] = []
    for code in sorted(build.coverage):
        out.append(
            {
                **common,
                "id": f"{d.id}_region_{code.lower()}",
                "kind": "country_region",
                "country": code,
                "administered_by": code,
                "names": {"en": f"{names.get(code) or country_name(code)} ({d.id}, region window)"},
                "sources": citations(d.source_id, "country polygon", with_status=False),
                "geometry_method": (
                    f"extracted from {build.provenance()}; enclaves cut out as separate features; "
                    "no simplification"
                ),
                "geometry": build.region(code),
            }
        )
    for enclave in build.enclaves:
        in_pair = {enclave.administered_by, enclave.surrounded_by} == set(build.pair)
        feature: dict[str, Any] = {
            **common,
            "id": f"{d.id}_enclave_{enclave.key}",
            "kind": "enclave",
            "enclave_key": enclave.key,
            "administered_by": enclave.administered_by,
            "surrounded_by": enclave.surrounded_by,
            "names": enclave.names,
            "area_km2": round(area_km2(enclave.polygon), 3),
            "sources": (
                policy.citations(d.source_id, "enclave polygon")
                if in_pair
                else citations(d.source_id, "enclave polygon", with_status=False)
            ),
            "geometry_method": (
                f"component of the {enclave.administered_by} polygon inside the "
                f"{enclave.surrounded_by} outline, from {build.provenance()}; identified: "
                f"{enclave.identified_by}; no simplification"
            ),
            "geometry": enclave.polygon,
        }
        if in_pair:
            drawn = {"id": d.id, "vintage": d.vintage, "source_id": d.source_id}
            feature |= policy.fields(policy.enclave(enclave.key), as_of, drawn) | policy.flag()
        else:
            feature["note"] = (
                f"Outside the {'–'.join(build.pair)} pair: shown for context; its status is not "
                "curated here."
            )
        out.append(feature)
    return out
