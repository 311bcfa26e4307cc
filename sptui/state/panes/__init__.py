"""One module a dashboard pane: how its resource is fetched, turned into keyed rows, and laid out in columns.

The registry that names them and sets their pace is state/resources.py; the spec type is spec.py.
"""
