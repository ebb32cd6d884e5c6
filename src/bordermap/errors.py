"""Exceptions raised by bordermap.

Every error a user can see is a :class:`BordermapError`. The CLI turns them into a message and an
exit status (1 for invalid data, 2 for usage errors) and prints a traceback only with ``--debug``.
"""

from __future__ import annotations

from dataclasses import dataclass


class BordermapError(Exception):
    """Base class of every error bordermap reports to a user."""

    exit_code = 1
    #: Stable name of the broken rule (docs/errors.md), or "" when no rule applies.
    code = ""

    def __init__(self, message: str = "", code: str = "") -> None:
        super().__init__(message)
        if code:
            self.code = code


class DataError(BordermapError):
    """Input data cannot be read or used (exit status 1)."""


class UsageError(BordermapError):
    """The request itself is wrong: bad option value, unwritable output path (exit status 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One problem found in a dataset.

    Parameters
    ----------
    code
        Stable machine-readable name of the rule, e.g. ``"unknown-country"``.
    message
        What is wrong, in words.
    file
        The file the problem is in.
    feature
        The feature id, or ``#index`` when the feature has no usable id.
    prop
        The property (JSON Pointer style, e.g. ``/sides/1``) the problem is about.
    """

    code: str
    message: str
    file: str = ""
    feature: str = ""
    prop: str = ""

    def __str__(self) -> str:
        where = ":".join(p for p in (self.file, self.feature) if p)
        prop = f" {self.prop}" if self.prop else ""
        return f"{where}{prop}: {self.message} [{self.code}]" if where else f"{self.message} [{self.code}]"


class ValidationError(DataError):
    """A dataset breaks one or more rules; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) found:\n{lines}")


@dataclass(frozen=True)
class Code:
    """One problem code: the stable name of a broken rule (docs/errors.md).

    Parameters
    ----------
    name
        The code, e.g. ``"unclosed-ring"``.
    stage
        Where it is raised: ``read`` (loading refuses the input), ``validate`` (a rule of the data
        model that ``bordermap validate`` checks) or ``command`` (a command's own input or output).
    meaning
        What it means, in one line.
    warning
        Reported, but the dataset still counts as valid (``validate --strict`` fails on it).
    raised_by_test
        For a code no dataset file can give (an unwritable output, a download, an import, a
        resource limit): the test that raises it and asserts the code, as ``file.py::test_name``
        under ``tests/``. Every other code has an example in ``tests/examples/``.
    """

    name: str
    stage: str
    meaning: str
    warning: bool = False
    raised_by_test: str = ""


#: Every problem code bordermap raises, in the order docs/errors.md lists them. A code is added
#: here first; tests/test_problem_codes.py checks the source, the docs and the examples against it.
CODES: tuple[Code, ...] = (
    # read stage
    Code("too-large", "read", "a file is larger than the size limit or than the memory available to read it",
         raised_by_test="test_bad_input.py::test_huge_geojson_is_refused_unread_only_when_it_does_not_fit"),
    Code("unreadable", "read", "the file cannot be opened (permissions, a directory, a broken CSV)",
         raised_by_test="test_problem_codes.py::test_a_directory_given_as_a_layer_file_is_unreadable"),
    Code("empty-file", "read", "the file is empty or only whitespace"),
    Code("not-utf8", "read", "the bytes are not UTF-8"),
    Code("invalid-json", "read", "not JSON: truncated, a trailing comma, NaN, nesting too deep"),
    Code("number-out-of-range", "read", "a number beyond a double or an integer beyond ±(2**53 − 1)"),
    Code("lone-surrogate", "read", "a string holds an unpaired UTF-16 surrogate escape"),
    Code("too-deep", "read", "values nested more than 32 levels deep"),
    Code("not-geojson", "read", "valid JSON but no GeoJSON object"),
    Code("not-feature-collection", "read", "not a FeatureCollection with a features array"),
    Code("crs-not-wgs84", "read", "a crs member names a CRS other than WGS84 longitude/latitude"),
    Code("not-a-feature", "read", "an item of features is not a Feature object"),
    Code("properties-not-object", "read", "properties is neither an object nor null"),
    Code("geometry-type", "read", "an unknown geometry type, or one the layer does not take"),
    Code("geometry-coordinates", "read", "coordinates missing or nested wrongly for the type"),
    Code("coordinates-not-numbers", "read", "coordinates that are not JSON numbers"),
    Code("coordinates-not-finite", "read", "NaN or infinite coordinates in data built in memory",
         raised_by_test="test_problem_codes.py::test_nan_coordinates_built_in_memory_are_not_finite"),
    Code("coordinates-out-of-range", "read", "longitude beyond ±180 or latitude beyond ±90"),
    Code("too-few-positions", "read", "a line with fewer than 2 positions, a ring with fewer than 4, an empty part"),
    Code("unclosed-ring", "read", "a polygon ring whose last position differs from its first"),
    Code("missing-file", "read", "a dataset directory without dataset.json"),
    # validate stage
    Code("schema", "validate", "a property breaks the layer's JSON Schema"),
    Code("missing-property", "validate", "a required property is absent"),
    Code("unknown-layer", "validate", "a single-file feature's layer names no layer of the data model"),
    Code("geometry-missing", "validate", "null or empty geometry in a layer that needs one"),
    Code("invalid-geometry", "validate", "an OGC-invalid polygon"),
    Code("crosses-antimeridian", "validate", "a line or ring crosses ±180° without being split"),
    Code("zero-length", "validate", "a line whose positions are all the same point"),
    Code("coordinates-swapped", "validate", "the coordinates look like latitude,longitude"),
    Code("duplicate-id", "validate", "a feature or registry id used twice"),
    Code("unknown-source", "validate", "a source id that is not in sources.json"),
    Code("unknown-depiction", "validate", "a depiction not listed in dataset.json"),
    Code("unknown-enclave", "validate", "a boundary enclave_id that is no enclave of the areas layer"),
    Code("unknown-place", "validate", "a place_ids item that is not in the places layer"),
    Code("unknown-country", "validate", "a country code that is not ISO 3166-1 alpha-2"),
    Code("country-not-listed", "validate", "a valid country code that dataset.json's countries does not list"),
    Code("bad-date", "validate", "an impossible or malformed date"),
    Code("date-order", "validate", "a period that ends before it starts"),
    Code("status-history", "validate", "status_history entries out of order, overlapping or open inside"),
    Code("status-mismatch", "validate", "status differs from what status_history gives on the as-of date",
         warning=True),
    Code("precision-null", "validate", "precision_m is null although the feature has a geometry"),
    Code("enclave-outside", "validate", "an enclave lies partly outside the country that surrounds it"),
    Code("polygons-overlap", "validate", "two country or enclave polygons of one depiction overlap"),
    Code("sides-mismatch", "validate", "the polygons left and right of a boundary line are not its sides"),
    Code("nonstandard-geometry-type", "validate", "a LinearRing geometry, not an RFC 7946 type", warning=True),
    Code("line-not-simple", "validate", "a line crosses or touches itself", warning=True),
    Code("ring-orientation", "validate", "polygon rings do not follow the right-hand rule", warning=True),
    # commands
    Code("cannot-write", "command", "the output could not be written; nothing is left behind",
         raised_by_test="test_export_atomic.py::test_failed_export_leaves_nothing"),
    Code("no-features", "command", "import: the input holds no layer or placemark",
         raised_by_test="test_problem_codes.py::test_import_of_a_kmz_without_kml_has_no_features"),
    Code("rows-skipped", "command", "import of a CSV: GDAL read fewer rows than the file holds",
         raised_by_test="test_problem_codes.py::test_import_of_a_csv_gdal_reads_short_skips_rows"),
    Code("encoding", "command", "import: the attributes are not UTF-8 and the input does not say its encoding",
         raised_by_test="test_problem_codes.py::test_import_of_a_shapefile_in_an_unsaid_encoding"),
    Code("fetch-failed", "command", "init: an upstream package could not be downloaded",
         raised_by_test="test_problem_codes.py::test_a_package_that_cannot_be_fetched"),
    Code("unknown-perspective", "command", "a perspective that is not one of the dataset's views",
         raised_by_test="test_problem_codes.py::test_a_perspective_the_dataset_lacks"),
)

#: The codes that are warnings (:attr:`Code.warning`).
WARNING_CODES: frozenset[str] = frozenset(c.name for c in CODES if c.warning)
