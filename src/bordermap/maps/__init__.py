"""Maps: the interactive HTML map and static maps share the styles in :mod:`style`."""
