"""Reading and writing datasets; kept apart from the data model (:mod:`bordermap.model`)."""
