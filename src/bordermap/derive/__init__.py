"""The ``make data`` pipeline: upstream country polygons → the layers of ``geodata/kg-tj``.

Run it as ``python -m bordermap.derive`` (``--only osm2022`` to rebuild one depiction).
"""
